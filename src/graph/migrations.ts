/**
 * Schema migrations: each step rewrites a raw (unvalidated) document from one schemaVersion to the
 * next; migrateDocument chains them up to CURRENT_SCHEMA_VERSION. Node types migrate their own params
 * (NodeTypeSpec.migrate) when a node was saved at an older type version: see migrateNode.
 */
import { describeNode } from './issues';
import { CURRENT_SCHEMA_VERSION, type GraphNode, type NodeTypeSpec, type ParamValue } from './types';
import { isRecord } from '../util/is-record';

export interface SchemaMigration {
  from: number;
  to: number;
  /** One line for the user ("schema 0 → 1: links became edges ..."). */
  describe: string;
  migrate(raw: Record<string, unknown>): Record<string, unknown>;
}

/** A document that cannot be migrated (too new, or no path from its version). */
export class MigrationError extends Error {
  constructor(
    message: string,
    public readonly code: string,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

/**
 * Schema 0, the pre-release format: `links: [{source, sourcePort, target, targetPort}]`, node positions
 * as top-level `x`/`y`, no node `version` (every type was at version 1), the title at the top level.
 * Anything that does not look like that is left for validation to report.
 */
export const migrateV0toV1: SchemaMigration = {
  from: 0,
  to: 1,
  describe: 'schema 0 → 1: links became edges, node x/y became position, node versions recorded, title moved into meta',
  migrate(raw) {
    const { links, title, nodes, schemaVersion: _old, ...rest } = raw;
    const meta: Record<string, unknown> = isRecord(rest.meta) ? { ...rest.meta } : {};
    if (title !== undefined && meta.title === undefined) meta.title = title;
    const migratedNodes = Array.isArray(nodes)
      ? nodes.map((node) => {
          if (!isRecord(node)) return node;
          const { x, y, ...nodeRest } = node;
          const out: Record<string, unknown> = { ...nodeRest };
          if (out.version === undefined) out.version = 1;
          if (out.position === undefined && (x !== undefined || y !== undefined)) out.position = { x: x ?? 0, y: y ?? 0 };
          return out;
        })
      : nodes;
    const edges = Array.isArray(links)
      ? links.map((link) =>
          isRecord(link) ? { from: { node: link.source, port: link.sourcePort }, to: { node: link.target, port: link.targetPort } } : link,
        )
      : (rest.edges ?? []);
    return { ...rest, schemaVersion: 1, nodes: migratedNodes, edges, meta };
  },
};

/**
 * Schema 2 adds `annotations` (notes and frames). A schema 1 document has none: its nodes, edges and
 * meta load unchanged. Schema 1 readers ignored unknown top-level fields, so a stray `annotations`
 * in a schema 1 file never meant anything and is dropped rather than read as notes.
 */
export const migrateV1toV2: SchemaMigration = {
  from: 1,
  to: 2,
  describe: 'schema 1 → 2: documents may hold notes and frames (annotations); this one has none yet',
  migrate(raw) {
    const { annotations: _unread, ...rest } = raw;
    return { ...rest, schemaVersion: 2 };
  },
};

/** Every schema migration, oldest first. Add a step here whenever CURRENT_SCHEMA_VERSION goes up. */
export const SCHEMA_MIGRATIONS: readonly SchemaMigration[] = [migrateV0toV1, migrateV1toV2];

/**
 * Brings a raw document up to `target` (default CURRENT_SCHEMA_VERSION). A missing schemaVersion
 * means schema 0 (pre-release files carried none). Non-objects and non-integer versions are returned
 * untouched for validation to report. Throws MigrationError for a document newer than `target`
 * or with no migration path.
 */
export function migrateDocument(
  raw: unknown,
  migrations: readonly SchemaMigration[] = SCHEMA_MIGRATIONS,
  target: number = CURRENT_SCHEMA_VERSION,
): { raw: unknown; applied: string[] } {
  if (!isRecord(raw)) return { raw, applied: [] };
  const saved = raw.schemaVersion === undefined ? 0 : raw.schemaVersion;
  if (typeof saved !== 'number' || !Number.isInteger(saved) || saved < 0) return { raw, applied: [] };
  let version: number = saved;
  if (version > target) {
    throw new MigrationError(
      `this document has schemaVersion ${version}, newer than this MGAN Studio understands (${target}): update MGAN Studio to open it`,
      'schema-too-new',
    );
  }
  let doc: Record<string, unknown> = raw;
  const applied: string[] = [];
  while (version < target) {
    const step = migrations.find((m) => m.from === version);
    if (!step) throw new MigrationError(`no migration from schemaVersion ${version} to ${target}`, 'no-migration');
    doc = step.migrate(doc);
    version = step.to;
    applied.push(step.describe);
  }
  return { raw: doc, applied };
}

/**
 * Brings one node's params up to its type's version with the type's `migrate` (a type with no
 * `migrate` keeps the params; validation then fills new defaults and drops removed params).
 * Returns the node unchanged when it is current or newer; `applied` describes what ran.
 * Errors thrown by the type's migrate propagate.
 */
export function migrateNode(node: GraphNode, spec: NodeTypeSpec): { node: GraphNode; applied?: string } {
  if (node.version >= spec.version) return { node };
  const params: Record<string, ParamValue> = spec.migrate ? spec.migrate({ ...node.params }, node.version) : node.params;
  return {
    node: { ...node, version: spec.version, params },
    applied: `${describeNode(node.id, spec.type)}: version ${node.version} → ${spec.version}`,
  };
}
