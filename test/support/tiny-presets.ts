/**
 * The `--set` overrides that run each bundled preset at a tiny size in the CLI (a few seconds a node),
 * for the tests that run presets: the preset results and the stored discriminator's round trip.
 */

/** An MDAN optimiser at 32 px for 2 iterations. */
export const MDAN_TINY = ['size=32', 'iterations=2', 'previewEvery=1'];

/** `--set NODE.A --set NODE.B ...` for one node. */
export const set = (node: string, ...assignments: string[]) => assignments.flatMap((a) => ['--set', `${node}.${a}`]);

/** The overrides that make each preset tiny (every preset must have an entry). */
export const TINY: Record<string, string[]> = {
  'brown-noise': [...set('brown', 'width=24', 'height=16'), ...set('pink', 'width=24', 'height=16'), ...set('gravel', 'maxSide=24')],
  'd-capacity-sweep': [...set('texture', 'maxSide=48'), ...set('mdan', ...MDAN_TINY), ...set('d', 'channels=4')],
  'decoder-channels': [...set('photo', 'maxSide=32'), ...set('channels', 'count=2', 'cells=2')],
  'decoder-losses': [
    ...set('texture', 'maxSide=48'),
    ...set('photos', 'samples=chelsea', 'maxSide=32'),
    ...set('unseen', 'maxSide=32'),
    ...['train_pixel', 'train_neural', 'train_mgan'].flatMap((id) =>
      set(id, 'epochs=1', 'batchSize=128', 'cropSize=16', 'stride=512', 'mdanIterations=1', 'mdanSize=64', 'snapshotEvery=1', 'checkpointEvery=0'),
    ),
  ],
  'gram-mdan-mgan': [
    ...set('texture', 'maxSide=48'),
    ...set('photo', 'maxSide=32'),
    ...set('gram', 'size=32', 'iterations=2', 'previewEvery=1'),
    ...set('mdan', ...MDAN_TINY, 'patchSize=4', 'patchStride=2', 'dChannels=4'),
  ],
  'guided-synthesis': [...set('texture', 'maxSide=48'), ...set('photo', 'maxSide=32'), ...set('sampler', 'size=4', 'stride=2'), ...set('mdan', ...MDAN_TINY)],
  'layer-ablation': [
    ...set('texture', 'maxSide=48'),
    ...set('mdan_relu2_1', ...MDAN_TINY, 'dChannels=4'),
    ...set('mdan_relu3_1', ...MDAN_TINY, 'dChannels=4', 'patchSize=4', 'patchStride=2'),
    ...set('mdan_relu4_1', ...MDAN_TINY, 'dChannels=4', 'patchSize=2', 'patchStride=1'),
  ],
  'mgan-decode': [...set('photo', 'maxSide=32'), ...set('decode', 'noise=0.5', 'noiseSeed=3')],
  'mgan-snapshots': [
    ...set('texture', 'maxSide=48'),
    ...set('photos', 'samples=chelsea', 'maxSide=32'),
    ...set('unseen', 'maxSide=32'),
    ...set('trainer', 'epochs=1', 'batchSize=9', 'cropSize=16', 'stride=512', 'mdanIterations=1', 'mdanSize=64', 'snapshotEvery=0', 'snapshotAt=1 2', 'checkpointEvery=0'),
  ],
  'mgan-train': [
    ...set('texture', 'maxSide=48'),
    ...set('photos', 'samples=chelsea', 'maxSide=32'),
    ...set('d', 'channels=4'),
    ...set('trainer', 'epochs=1', 'batchSize=128', 'cropSize=16', 'stride=512', 'mdanIterations=1', 'mdanSize=64', 'snapshotEvery=1', 'checkpointEvery=0', 'saveAs='),
    ...set('unseen', 'maxSide=32'),
  ],
  'noise-to-texture': [...set('perlin', 'width=32', 'height=24'), ...set('brown', 'width=24', 'height=32')],
  'patch-size-sweep': [...set('texture', 'maxSide=48'), ...set('mdan', ...MDAN_TINY, 'dChannels=4')],
  'perlin-noise': [...set('noise', 'width=24', 'height=16'), ...set('photo', 'maxSide=24'), ...set('low_noise', 'width=24', 'height=16')],
  'pretrained-discriminator': [
    ...set('texture', 'maxSide=48'),
    ...set('d', 'channels=4', 'patchSize=4'),
    ...['earlier_1', 'earlier_2', 'photo'].flatMap((id) => set(id, 'maxSide=32')),
    ...['mdan_earlier_1', 'mdan_earlier_2', 'mdan_pretrained', 'mdan_fresh_50', 'mdan_fresh_500'].flatMap((id) => set(id, ...MDAN_TINY, 'patchSize=4', 'patchStride=2')),
  ],
  'speed-comparison': [...set('texture', 'maxSide=48'), ...set('photo', 'maxSide=32'), ...set('speed', 'sizes=32', 'timedIterations=2', 'decodeRepeats=1', 'dChannels=4')],
  'unguided-texture': [...set('texture', 'maxSide=48'), ...set('mdan', ...MDAN_TINY), ...set('d', 'channels=4')],
  'video-stylisation': [...set('clip', 'maxSide=32', 'fps=4', 'duration=0.5'), ...set('video_out', 'webm=false')],
};
