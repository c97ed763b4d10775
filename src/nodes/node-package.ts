/**
 * A node package: node types written outside this repository with defineNode (docs/custom-nodes.md),
 * in an npm package or a folder whose entry module exports them:
 *
 *   export const nodes = [posterizeNode];
 *
 * They are code, so they are only ever loaded from what the user installed (the CLI's `--nodes`,
 * the editor's installed list), never from a graph, a link or a PNG. A document records which package
 * each of its node types came from (src/graph/node-packages.ts), so a reader without it is told what to install.
 */
import type { NodeDefinition } from './types';

/** What the loaders hand the registry: the package's name (as users install it) and its node types. */
export interface NodePackage {
  name: string;
  nodes: NodeDefinition[];
}

/** The name of the entry module's export that lists the node types. */
export const NODE_PACKAGE_FORMAT = 'export const nodes: NodeDefinition[] (made with defineNode)';

/**
 * The node types a package's entry module exports, checked: throws a one-line error naming the
 * package and what is wrong.
 */
export function nodePackageOf(name: string, module: unknown): NodePackage {
  const nodes = (module as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(nodes) || nodes.length === 0) {
    throw new Error(`node package '${name}' exports no node types: its entry module needs ${NODE_PACKAGE_FORMAT}`);
  }
  nodes.forEach((def, i) => {
    const d = def as Partial<NodeDefinition> | null;
    if (!d || typeof d.type !== 'string' || typeof d.run !== 'function' || !Array.isArray(d.params) || !Array.isArray(d.inputs) || !Array.isArray(d.outputs)) {
      throw new Error(`node package '${name}': nodes[${i}] is not a node type made with defineNode`);
    }
  });
  return { name, nodes: nodes as NodeDefinition[] };
}
