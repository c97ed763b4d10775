import { readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { serializeDocument } from '../../graph/document';
import { ShareCodecError } from '../../graph/share-errors';
import { extractGraphFromPng } from '../../graph/share-png';
import { validateDocument } from '../../graph/validate';
import { nodeRegistry } from '../../nodes/registry';
import { fsErrorReason } from '../../platform/node/fs-errors';
import { onePositional, parseCommandArgs } from '../args';
import { cliGraphLimits, printIssues } from '../document';
import { EXIT_FAILED, EXIT_INVALID, EXIT_OK, UsageError } from '../io';
import type { CommandBody } from './types';

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (e) {
    throw new UsageError(`cannot read image '${path}': ${fsErrorReason(e)}`);
  }
}

async function writeText(path: string, text: string): Promise<string | undefined> {
  try {
    await writeFile(path, text);
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      const folder = dirname(path);
      const missing = await stat(folder).then(() => false, () => true);
      if (missing) return `cannot write '${path}': the folder '${folder}' does not exist (create it first)`;
    }
    return `cannot write '${path}': ${fsErrorReason(e)}`;
  }
}

export const extractCommand: CommandBody = {
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { out: { type: 'string', short: 'o' } });
    const file = onePositional(positionals, 'PNG file');
    const limits = cliGraphLimits();
    let raw: unknown;
    try {
      raw = extractGraphFromPng(await readBytes(file), limits.maxBytes);
    } catch (e) {
      if (e instanceof ShareCodecError) throw new UsageError(`${file}: ${e.message}`);
      throw e;
    }
    if (raw === undefined) {
      io.err(`${file}: holds no MGAN Studio graph (no 'mgan-studio-graph' text chunk)`);
      return EXIT_INVALID;
    }
    // Print it even when it does not validate here (say, a node type this install lacks), with a warning.
    const checked = validateDocument(raw, nodeRegistry, { limits });
    const refused = checked.errors.find((e) => e.code.startsWith('too-'));
    if (refused) throw new UsageError(`${file}: the embedded graph cannot be opened: ${refused.message}`);
    printIssues(io, file, { errors: [], warnings: checked.errors.map((e) => ({ ...e, message: `embedded graph: ${e.message}` })), migrations: [] });
    const text = checked.document ? serializeDocument(checked.document) : `${JSON.stringify(raw, null, 2)}\n`;
    if (values.out) {
      const failure = await writeText(values.out, text);
      if (failure) {
        io.err(`error: ${failure}`);
        return EXIT_FAILED;
      }
      io.err(`wrote ${values.out}`);
    } else {
      io.out(text.trimEnd());
    }
    return EXIT_OK;
  },
};
