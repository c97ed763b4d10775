import { nodeRegistry } from '../../nodes/registry';
import { onePositional, parseCommandArgs } from '../args';
import { loadDocument } from '../document';
import { EXIT_INVALID, EXIT_OK } from '../io';
import type { CliCommand } from './types';

export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'check a graph document (types, ports, params, cycles); exit 0 or 2 with the messages',
  usage: 'validate <graph.json>',
  async run(args, io) {
    const { positionals } = parseCommandArgs(args, {});
    const file = onePositional(positionals, 'graph file');
    const result = await loadDocument(file, nodeRegistry, io);
    if (!result.document) {
      io.err(`${file}: invalid (${result.errors.length} error${result.errors.length === 1 ? '' : 's'})`);
      return EXIT_INVALID;
    }
    io.out(`${file}: ok (${result.document.nodes.length} nodes, ${result.document.edges.length} edges)`);
    return EXIT_OK;
  },
};
