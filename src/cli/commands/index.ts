/**
 * The CLI's command table: one file per command in this folder, one entry here each. Only names and
 * help lines live here; a command's file (and TensorFlow.js with it) loads when the command runs.
 */
import type { CliCommand } from './types';

export type { CliCommand, CommandBody } from './types';

export const COMMANDS: CliCommand[] = [
  {
    name: 'decode',
    json: true,
    summary: 'stylise photos or videos with a trained decoder (the bundled one by default): OUT/<name>-<decoder>.png',
    usage: 'decode <photo|video>... [--decoder NAME] [--out DIR] [--max-side N] [--precision f32|f16] [--backend NAME] [--threads N] [--json]',
    load: () => import('./decode').then((m) => m.decodeCommand),
  },
  {
    name: 'run',
    json: true,
    summary: 'run a graph document (a file, or a bundled preset by name) and write every image-out node to DIR/<nodeId>.png (graph embedded)',
    usage:
      'run <graph.json|PRESET> [--out DIR] [--set NODE_ID.PARAM=VALUE]... [--sweep NODE_ID.PARAM=A,B,...|off] [--backend wasm|cpu|webgpu] [--threads N] [--json] ' +
      '[--allow-read DIR]... [--allow-net HOST]... [--trust] [--fetch-timeout SECONDS] [--fetch-max-mb MB] [--nodes PKG|DIR]...',
    load: () => import('./run').then((m) => m.runCommand),
  },
  {
    name: 'validate',
    json: true,
    summary: 'check a graph document (types, ports, params, cycles, the sweep it names); exit 0 or 2 with the messages',
    usage: 'validate <graph.json> [--json] [--nodes PKG|DIR]...',
    load: () => import('./validate').then((m) => m.validateCommand),
  },
  {
    name: 'nodes',
    json: true,
    summary: 'list the node types with their ports and parameters (--json for scripts, --markdown for docs/nodes.md)',
    usage: 'nodes [--json | --markdown] [--nodes PKG|DIR]... [TYPE...]',
    load: () => import('./nodes').then((m) => m.nodesCommand),
  },
  {
    name: 'extract',
    summary: 'print the graph document embedded in a PNG this tool saved (or write it with --out)',
    usage: 'extract <image.png> [--out graph.json]',
    load: () => import('./extract').then((m) => m.extractCommand),
  },
  {
    name: 'decoders',
    json: true,
    summary: 'list (yours and bundled), export (8-bit quantised too), import or remove trained MGAN decoders',
    usage: 'decoders list [--json] | export NAME [--out FILE] [--quantize uint8] | import FILE [--name NAME] | remove NAME | index [--cache DIR] [--bundled DIR]',
    load: () => import('./decoders').then((m) => m.decodersCommand),
  },
  {
    name: 'discriminators',
    json: true,
    summary: 'list (name, size, architecture, when saved) or remove the MDAN discriminators stored by name',
    usage: 'discriminators list [--json] | remove NAME [--cache DIR]',
    load: () => import('./discriminators').then((m) => m.discriminatorsCommand),
  },
  {
    name: 'editor',
    json: true,
    summary: 'serve the editor from the installed package and open it in your browser (prints the URL)',
    usage: 'editor [--port N] [--host H] [--no-open] [--json]',
    load: () => import('./editor').then((m) => m.editorCommand),
  },
  {
    name: 'weights',
    summary: 'install the VGG19 weights into your data folder (md5-checked), or --check them',
    usage: 'weights [--from <folder|url>] [--check] [--cache <dir>]',
    load: () => import('./weights').then((m) => m.weightsBody),
  },
];
