import { writeFile } from 'node:fs/promises';
import { serializeDocument } from '../../graph/document';
import { ShareCodecError } from '../../graph/share-errors';
import { extractGraphFromPng } from '../../graph/share-png';
import { readFile } from 'node:fs/promises';
import { validateDocument } from '../../graph/validate';
import { nodeRegistry } from '../../nodes/registry';
import { onePositional, parseCommandArgs } from '../args';
import { EXIT_INVALID, EXIT_OK, UsageError } from '../io';
import type { CliCommand } from './types';

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read image '${path}': ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

export const extractCommand: CliCommand = {
  name: 'extract',
  summary: 'print the graph document embedded in a PNG this tool saved (or write it with --out)',
  usage: 'extract <image.png> [--out graph.json]',
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { out: { type: 'string', short: 'o' } });
    const file = onePositional(positionals, 'PNG file');
    let raw: unknown;
    try {
      raw = extractGraphFromPng(await readBytes(file));
    } catch (e) {
      if (e instanceof ShareCodecError) throw new UsageError(`${file}: ${e.message}`);
      throw e;
    }
    if (raw === undefined) {
      io.err(`${file}: holds no MGAN Studio graph (no 'mgan-studio-graph' text chunk)`);
      return EXIT_INVALID;
    }
    // Print it even when it does not validate here (say, a node type this install lacks), with a warning.
    const checked = validateDocument(raw, nodeRegistry);
    for (const e of checked.errors) io.err(`${file}: warning: embedded graph: ${e.message}`);
    const text = checked.document ? serializeDocument(checked.document) : `${JSON.stringify(raw, null, 2)}\n`;
    if (values.out) {
      await writeFile(values.out, text);
      io.err(`wrote ${values.out}`);
    } else {
      io.out(text.trimEnd());
    }
    return EXIT_OK;
  },
};
