/** Time estimates of long nodes before they run: work counted from the graph, priced at the reference setup. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../src/graph/types';
import { nodeRegistry } from '../../src/nodes/registry';
import { estimateSeconds, measuredFactor, updateFactor, workOf } from '../../src/runtime/estimate';

const preset = (name: string): GraphDocument => JSON.parse(readFileSync(`presets/${name}.json`, 'utf8'));

describe('work estimates', () => {
  it('prices an MDAN run as setup plus iterations scaled by the pixel count', () => {
    const doc = preset('unguided-texture');
    const parts = workOf(doc, 'mdan', nodeRegistry)!;
    // Setup 17 s for a 256 px example, here the result's 128 px (a quarter), + 100 iterations × 2.5 s
    // at 128 px: the "about 4-5 minutes" measured for the presets.
    expect(estimateSeconds(parts, 1).seconds).toBeCloseTo(17 / 4 + 250, 5);
    const bigger = structuredClone(doc);
    bigger.nodes.find((n) => n.id === 'mdan')!.params.size = 256;
    // The example follows the result's size: 256 px, the full 17 s.
    expect(estimateSeconds(workOf(bigger, 'mdan', nodeRegistry)!, 1).seconds).toBeCloseTo(17 + 4 * 250, 5);
    const fixedExample = structuredClone(doc);
    fixedExample.nodes.find((n) => n.id === 'mdan')!.params.exampleSize = 512;
    expect(estimateSeconds(workOf(fixedExample, 'mdan', nodeRegistry)!, 1).seconds).toBeCloseTo(4 * 17 + 250, 5);
    expect(estimateSeconds(parts, 2).seconds).toBeCloseTo(2 * (17 / 4 + 250), 5);
  });

  it('counts the MGAN training steps from the photos feeding the trainer, near the measured run', () => {
    const parts = workOf(preset('mgan-train'), 'trainer', nodeRegistry)!;
    const steps = parts.find((p) => p.kind === 'mgan-step')!.iterations!;
    // The preset's measured run took 432 steps (3 photos, 3 epochs, batch 2, 64 px crops at stride 32).
    expect(Math.abs(steps - 432) / 432).toBeLessThan(0.2);
    const e = estimateSeconds(parts, 1);
    expect(e.secondsPerIteration).toBeCloseTo(1.2, 5);
    expect(e.seconds).toBeGreaterThan(steps * 1.2);
  });

  it('has no total when the photo count is known only at run time, but still a time per step', () => {
    const doc = preset('mgan-train');
    doc.nodes.find((n) => n.id === 'photos')!.params.folder = '/some/folder';
    const e = estimateSeconds(workOf(doc, 'trainer', nodeRegistry)!, 1);
    expect(e.seconds).toBeUndefined();
    expect(e.secondsPerIteration).toBeCloseTo(1.2, 5);
  });

  it('prices a stylised video per decoded frame, counting frames from the source when it can', () => {
    const doc = preset('video-stylisation');
    const e = estimateSeconds(workOf(doc, 'video_out', nodeRegistry)!, 1);
    // 2 s at 12 fps, 256 px frames (3:2): 24 × 0.044 MP × 48 s.
    expect(e.seconds).toBeCloseTo(24 * ((256 * 171) / 1e6) * 48, 5);
    doc.nodes.find((n) => n.id === 'clip')!.params.duration = 0;
    expect(estimateSeconds(workOf(doc, 'video_out', nodeRegistry)!, 1).seconds).toBeUndefined();
  });

  it('gives cheap and undecoded nodes no estimate', () => {
    const doc = preset('perlin-noise');
    expect(workOf(doc, 'noise', nodeRegistry)).toBeUndefined();
  });
});

describe('backend speed factor', () => {
  it('is the measured pace over the reference pace of the counted part', () => {
    const parts = workOf(preset('unguided-texture'), 'mdan', nodeRegistry)!;
    expect(measuredFactor(parts, 5000)).toBeCloseTo(2, 5);
    expect(measuredFactor(parts, 0)).toBeUndefined();
    expect(measuredFactor([], 5000)).toBeUndefined();
  });

  it('moves part way towards a new measurement', () => {
    let f = updateFactor(undefined, 2);
    expect(f).toEqual({ factor: 2, runs: 1 });
    f = updateFactor(f, 4);
    expect(f).toEqual({ factor: 3, runs: 2 });
    for (let i = 0; i < 10; i++) f = updateFactor(f, 10);
    expect(f.factor).toBeGreaterThan(9);
    expect(f.factor).toBeLessThan(10);
  });
});
