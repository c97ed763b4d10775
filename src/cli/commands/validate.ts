import { sweepOfDocument, sweepOutputs, SweepError } from '../../graph/sweep';
import { onePositional, parseCommandArgs } from '../args';
import { loadDocument } from '../document';
import { NODES_HELP, NODES_OPTION, registryWith } from '../node-packages';
import { EXIT_INVALID, EXIT_OK } from '../io';
import { IMAGE_OUT_TYPE } from './run';
import type { CliCommand } from './types';

export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'check a graph document (types, ports, params, cycles, the sweep it names); exit 0 or 2 with the messages',
  usage: 'validate <graph.json> [--nodes PKG|DIR]...',
  details: `options:\n${NODES_HELP}`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { ...NODES_OPTION });
    const registry = await registryWith(values.nodes);
    const file = onePositional(positionals, 'graph file');
    const result = await loadDocument(file, registry, io);
    if (!result.document) {
      io.err(`${file}: invalid (${result.errors.length} error${result.errors.length === 1 ? '' : 's'})`);
      return EXIT_INVALID;
    }
    // `run` runs the sweep a document names: check it as `run` would.
    try {
      const sweep = sweepOfDocument(result.document, registry);
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
