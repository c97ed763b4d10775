import { sweepOfDocument, sweepOutputs, SweepError } from '../../graph/sweep';
import { nodeRegistry } from '../../nodes/registry';
import { onePositional, parseCommandArgs } from '../args';
import { loadDocument } from '../document';
import { EXIT_INVALID, EXIT_OK } from '../io';
import { IMAGE_OUT_TYPE } from './run';
import type { CommandBody } from './types';

export const validateCommand: CommandBody = {
  async run(args, io) {
    const { positionals } = parseCommandArgs(args, {});
    const file = onePositional(positionals, 'graph file');
    const result = await loadDocument(file, nodeRegistry, io);
    if (!result.document) {
      io.err(`${file}: invalid (${result.errors.length} error${result.errors.length === 1 ? '' : 's'})`);
      return EXIT_INVALID;
    }
    // `run` runs the sweep a document names: check it as `run` would.
    try {
      const sweep = sweepOfDocument(result.document, nodeRegistry);
      if (sweep) sweepOutputs(result.document, sweep, IMAGE_OUT_TYPE);
    } catch (e) {
      if (!(e instanceof SweepError)) throw e;
      io.err(`${file}: error: ${e.message}`);
      io.err(`${file}: invalid (1 error)`);
      return EXIT_INVALID;
    }
    const notes = result.document.annotations;
    const extra = notes ? `, ${notes.notes.length} notes, ${notes.frames.length} frames` : '';
    io.out(`${file}: ok (${result.document.nodes.length} nodes, ${result.document.edges.length} edges${extra})`);
    return EXIT_OK;
  },
};
