/**
 * Which node package each of a document's node types came from (`meta.nodePackages`: type → package
 * name), written by the editor when it adds a node of an installed package. Only a name: the package is
 * code, never loaded from a document; the name lets a reader without it be told what to install.
 */

/** The `meta` key of a document that maps each node type from a package to the package's name. */
export const NODE_PACKAGES_META = 'nodePackages';

/** The package each node type of a document came from, as the document records it. */
export function recordedNodePackages(meta: Record<string, unknown>): Map<string, string> {
  const recorded = meta[NODE_PACKAGES_META];
  if (!recorded || typeof recorded !== 'object' || Array.isArray(recorded)) return new Map();
  return new Map(Object.entries(recorded).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** `meta` recording that node type `type` came from package `name`. */
export function withNodePackage(meta: Record<string, unknown>, type: string, name: string): Record<string, unknown> {
  return { ...meta, [NODE_PACKAGES_META]: { ...Object.fromEntries(recordedNodePackages(meta)), [type]: name } };
}
