/**
 * `mgan-studio decode PHOTO... [--decoder NAME]`: the main job in one command. Builds the graph the
 * mgan-decode preset holds (source, decoder, output) once per input, photo or video, and runs it
 * like `run` does; each output is named after its input.
 */
import { stat } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { emptyDocument } from '../../graph/document';
import { addNode, connect, GraphEditError } from '../../graph/edit';
import type { GraphDocument } from '../../graph/types';
import { nodeRegistry } from '../../nodes/registry';
import { trustedAccess } from '../../platform/node/access';
import { parseCommandArgs } from '../args';
import { EXIT_OK, UsageError, type CliIO } from '../io';
import { IMAGE_OUT_TYPE, parseBackendFlags, runGraphDocument, type RunSummary } from './run';
import type { CommandBody } from './types';

/** The decoder that ships with MGAN Studio (public/decoders). */
export const DEFAULT_DECODER = 'starry_night';
/** Photos are scaled down to this longest side unless --max-side says otherwise (CPU decoding time grows with the pixels). */
export const DEFAULT_DECODE_MAX_SIDE = 512;
/** Inputs decoded frame by frame through the video services (ffmpeg); a folder is a folder of PNG frames. */
export const VIDEO_EXTENSIONS = ['.webm', '.mp4', '.mov', '.mkv', '.m4v', '.avi', '.ogv', '.gif'];

export const DECODE_DETAILS = [
  'Stylises each photo (PNG, JPEG, WebP) or video (WebM, MP4, MOV, MKV, AVI, GIF, or a folder of PNG',
  'frames) with a trained MGAN decoder and writes OUT/<name>-<decoder>.png (a video: OUT/<name>-<decoder>.webm',
  'and its frames). The files you type are read as they are: no --allow-read needed.',
  'options:',
  `  --decoder, -d NAME   a decoder of yours or a bundled one (\`mgan-studio decoders list\`), or a .mgan file;`,
  `                       default ${DEFAULT_DECODER} (bundled)`,
  '  --out, -o DIR        where the results go; default out/',
  `  --max-side N         scale inputs down to at most N pixels on the longer side (default ${DEFAULT_DECODE_MAX_SIDE}; 0 = full size)`,
  '  --precision f32|f16  f16: half precision on a WebGPU GPU with shader-f16 (--backend webgpu), within',
  '                       0.01 of the f32 pixels; elsewhere f32 with a warning (default f32)',
  '  --backend, --threads, --json   as for `run`',
].join('\n');

/** A node id (and file name) from a file name: letters, digits, '_' and '-' only. */
function safeName(text: string): string {
  return text.replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/^-+|-+$/g, '') || 'input';
}

/** The decode graph for these inputs: one source → decoder → output chain each. */
export function decodeDocument(inputs: Array<{ path: string; video: boolean }>, decoder: string, maxSide: number, precision = 'f32'): GraphDocument {
  const decoderName = safeName(basename(decoder, extname(decoder)));
  let doc = emptyDocument({ title: `decode with ${decoder}` });
  const taken = new Set<string>();
  inputs.forEach((input, row) => {
    let name = `${safeName(basename(input.path, extname(input.path)))}-${decoderName}`;
    for (let n = 2; taken.has(name); n++) name = `${safeName(basename(input.path, extname(input.path)))}-${n}-${decoderName}`;
    taken.add(name);
    const y = row * 240;
    const video = nodeRegistry.get('video-source')!;
    // A video's frames have no "full size" setting: 0 takes the largest the node allows.
    const spec = video.params.find((p) => p.name === 'maxSide');
    const videoMaxSide = maxSide || (spec?.type === 'number' && spec.max !== undefined ? spec.max : 4096);
    const source = input.video
      ? addNode(doc, video, { x: 0, y }, { path: input.path, maxSide: videoMaxSide, fps: 0, start: 0, duration: 0 })
      : addNode(doc, nodeRegistry.get('image-source')!, { x: 0, y }, { sample: '', path: input.path, maxSide, multipleOf: 8 });
    doc = source.doc;
    const decode = addNode(doc, nodeRegistry.get('mgan-decoder')!, { x: 360, y }, { decoder, precision });
    doc = decode.doc;
    const out = input.video
      ? addNode(doc, nodeRegistry.get('video-out')!, { x: 720, y }, { name, writeFrames: true, webm: true })
      : addNode(doc, nodeRegistry.get(IMAGE_OUT_TYPE)!, { x: 720, y });
    doc = out.doc;
    if (!input.video) doc = { ...doc, nodes: doc.nodes.map((n) => (n.id === out.id ? { ...n, id: name } : n)) };
    const outId = input.video ? out.id : name;
    doc = connect(doc, { node: source.id, port: input.video ? 'frames' : 'image' }, { node: decode.id, port: 'image' }, nodeRegistry);
    doc = connect(doc, { node: decode.id, port: input.video ? 'frames' : 'image' }, { node: outId, port: input.video ? 'frames' : 'image' }, nodeRegistry);
  });
  return doc;
}

export const decodeCommand: CommandBody = {
  details: DECODE_DETAILS,
  async run(args, io: CliIO) {
    const { values, positionals } = parseCommandArgs(args, {
      decoder: { type: 'string', short: 'd', default: DEFAULT_DECODER },
      out: { type: 'string', short: 'o', default: 'out' },
      'max-side': { type: 'string' },
      precision: { type: 'string', default: 'f32' },
      backend: { type: 'string' },
      threads: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (positionals.length === 0) throw new UsageError('missing the photo or video to decode');
    const maxSide = values['max-side'] === undefined ? DEFAULT_DECODE_MAX_SIDE : Number(values['max-side']);
    if (!(Number.isInteger(maxSide) && maxSide >= 0)) throw new UsageError(`--max-side ${values['max-side']}: expected a whole number of pixels (0 = full size)`);
    const { backend, threads } = parseBackendFlags(values);
    const inputs: Array<{ path: string; video: boolean }> = [];
    for (const typed of positionals) {
      const info = await stat(typed).catch(() => undefined);
      if (!info) throw new UsageError(`cannot read '${typed}': no such file or folder`);
      const video = info.isDirectory() || VIDEO_EXTENSIONS.includes(extname(typed).toLowerCase());
      inputs.push({ path: resolve(typed), video });
    }
    const decoder = values.decoder!;
    let doc: GraphDocument;
    try {
      doc = decodeDocument(inputs, /[\\/]|\.mgan$/i.test(decoder) ? resolve(decoder) : decoder, maxSide, values.precision);
    } catch (e) {
      // A value the nodes refuse (a --max-side out of range, a decoder name with odd characters, a --precision).
      if (e instanceof GraphEditError) throw new UsageError(e.message);
      throw e;
    }
    const summary: RunSummary = { file: positionals.join(' '), nodes: [], written: [], exitCode: EXIT_OK };
    const human: CliIO = values.json ? { out: () => undefined, err: io.err } : io;
    // The graph holds only what was typed on this command line: the user's own, so trusted.
    summary.exitCode = await runGraphDocument('decode', doc, { outDir: resolve(values.out!), overrides: [], sweep: 'off', backend, threads, access: trustedAccess(), registry: nodeRegistry }, human, summary);
    if (values.json) io.out(JSON.stringify(summary));
    return summary.exitCode;
  },
};
