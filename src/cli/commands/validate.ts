import { sweepOfDocument, sweepOutputs, SweepError } from '../../graph/sweep';
import { nodeRegistry } from '../../nodes/registry';
import { onePositional, parseCommandArgs } from '../args';
import { loadDocument } from '../document';
import { EXIT_INVALID, EXIT_OK } from '../io';
import { IMAGE_OUT_TYPE } from './run';
import type { CommandBody } from './types';

export const validateCommand: CommandBody = {
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } });
    const file = onePositional(positionals, 'graph file');
    // --json: one object on stdout; the messages (errors among them) stay on stderr.
    const report = (summary: Record<string, unknown>) => values.json && io.out(JSON.stringify({ file, ...summary }));
    const result = await loadDocument(file, nodeRegistry, io);
    if (!result.document) {
      io.err(`${file}: invalid (${result.errors.length} error${result.errors.length === 1 ? '' : 's'})`);
      report({ ok: false, exitCode: EXIT_INVALID });
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
      report({ ok: false, exitCode: EXIT_INVALID });
      return EXIT_INVALID;
    }
    const notes = result.document.annotations;
    const extra = notes ? `, ${notes.notes.length} notes, ${notes.frames.length} frames` : '';
    if (values.json) report({ ok: true, nodes: result.document.nodes.length, edges: result.document.edges.length, exitCode: EXIT_OK });
    else io.out(`${file}: ok (${result.document.nodes.length} nodes, ${result.document.edges.length} edges${extra})`);
    return EXIT_OK;
  },
};
