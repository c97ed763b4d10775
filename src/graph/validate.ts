/**
 * Loading a graph document: JSON text or parsed data in, a checked and migrated GraphDocument out
 * (or the list of what is wrong, each naming the node, port, param or JSON path at fault).
 */
import { readAnnotations } from './annotations';
import { emptyDocument } from './document';
import { printable } from '../formats/printable';
import { describeNode, graphError, graphWarning, type GraphIssue } from './issues';
import { locateJsonError } from '../formats/json-error';
import {
  DEFAULT_GRAPH_LIMITS,
  findDeepNesting,
  nestsDeeperThan,
  raiseHint,
  stripBom,
  tooDeepMessage,
  tooLargeMessage,
  type GraphLimits,
} from '../formats/limits';
import { migrateDocument, migrateNode, MigrationError } from './migrations';
import { resolveParams } from './params';
import { acceptedTypes, describeTypes, edgeProblem } from './ports';
import { findCycle } from './topo';
import {
  CURRENT_SCHEMA_VERSION,
  type GraphDocument,
  type GraphEdge,
  type GraphNode,
  type NodeTypeLookup,
  type ParamValue,
  type PortRef,
} from './types';
import { isRecord } from '../util/is-record';

export interface ValidationResult {
  /** Present exactly when there are no errors: migrated, with every known node's params resolved. */
  document?: GraphDocument;
  errors: GraphIssue[];
  warnings: GraphIssue[];
  /** What migrations ran, one line each (schema steps, then node type versions). */
  migrations: string[];
}

export interface ValidateOptions {
  /**
   * A graph still being built (the editor's autosave, a fragment): unconnected required inputs are
   * warnings instead of errors. Everything else is checked the same.
   */
  partial?: boolean;
  /** Size and count limits (default DEFAULT_GRAPH_LIMITS; the CLI reads raised ones from the environment). */
  limits?: Partial<GraphLimits>;
}

/**
 * Node ids become file names (the CLI writes DIR/<nodeId>.png) and `--set NODE.PARAM=VALUE` keys, so
 * they hold letters, digits, '_' and '-' only: no dots, slashes or spaces.
 */
export const NODE_ID_PATTERN = /^[\p{L}\p{N}_][\p{L}\p{N}_-]*$/u;
/** `<id>.png` must fit a file name (255 bytes on common file systems), in any script. */
export const MAX_NODE_ID_BYTES = 200;

const NODE_FIELDS = new Set(['id', 'type', 'version', 'params', 'position', 'bypass', 'label']);

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string "${printable(value)}"`;
  return `${typeof value} ${String(value)}`;
}

/** Reads the document's shape, reporting each bad field by its JSON path; keeps what is usable. */
class ShapeReader {
  readonly issues: GraphIssue[] = [];

  private bad(path: string, expected: string, value: unknown, nodeId?: string): void {
    const message = value === undefined ? `${path} is missing (it must be ${expected})` : `${path} must be ${expected}, got ${kindOf(value)}`;
    this.issues.push(graphError('shape', message, { path, nodeId }));
  }

  private text(value: unknown, path: string, nodeId?: string): string | undefined {
    if (typeof value === 'string' && value.length > 0) return value;
    this.bad(path, 'a non-empty string', value, nodeId);
    return undefined;
  }

  private finite(value: unknown, path: string, nodeId?: string): number {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    this.bad(path, 'a finite number', value, nodeId);
    return 0;
  }

  node(raw: unknown, path: string): GraphNode | undefined {
    if (!isRecord(raw)) return void this.bad(path, 'an object', raw);
    const id = this.text(raw.id, `${path}.id`);
    const type = this.text(raw.type, `${path}.type`, id);
    if (id === undefined || type === undefined) return undefined;
    if (!NODE_ID_PATTERN.test(id)) {
      this.issues.push(
        graphError('bad-id', `${path}.id '${printable(id)}' may only hold letters, digits, '_' and '-' (node ids name output files and --set targets)`, { path: `${path}.id`, nodeId: id }),
      );
    } else if (new TextEncoder().encode(id).length > MAX_NODE_ID_BYTES) {
      this.issues.push(
        graphError('bad-id', `${path}.id '${printable(id)}' is longer than ${MAX_NODE_ID_BYTES} bytes (node ids name output files): shorten it`, { path: `${path}.id`, nodeId: id }),
      );
    }
    const node: GraphNode = { id, type, version: 1, params: {}, position: { x: 0, y: 0 } };
    if (raw.version !== undefined) {
      if (typeof raw.version === 'number' && Number.isInteger(raw.version) && raw.version >= 0) node.version = raw.version;
      else this.bad(`${path}.version`, 'a non-negative integer', raw.version, id);
    } else node.version = Number.NaN; // filled with the type's current version by the caller
    if (raw.params !== undefined) {
      if (!isRecord(raw.params)) this.bad(`${path}.params`, 'an object', raw.params, id);
      else {
        for (const [name, value] of Object.entries(raw.params)) {
          const ok = value === null || ['number', 'string', 'boolean'].includes(typeof value);
          if (ok) node.params[name] = value as ParamValue;
          else this.bad(`${path}.params.${printable(name)}`, 'a number, string, boolean or null', value, id);
        }
      }
    }
    if (raw.position !== undefined) {
      if (!isRecord(raw.position)) this.bad(`${path}.position`, 'an object {"x", "y"}', raw.position, id);
      else node.position = { x: this.finite(raw.position.x, `${path}.position.x`, id), y: this.finite(raw.position.y, `${path}.position.y`, id) };
    }
    if (raw.bypass !== undefined) {
      if (typeof raw.bypass === 'boolean') {
        if (raw.bypass) node.bypass = true;
      } else this.bad(`${path}.bypass`, 'true or false', raw.bypass, id);
    }
    if (raw.label !== undefined) {
      if (typeof raw.label === 'string') node.label = raw.label;
      else this.bad(`${path}.label`, 'a string', raw.label, id);
    }
    for (const key of Object.keys(raw)) {
      if (!NODE_FIELDS.has(key)) this.issues.push(graphWarning('unknown-field', `${path}.${printable(key)} is not a node field; ignored`, { path: `${path}.${key}`, nodeId: id }));
    }
    return node;
  }

  private portRef(raw: unknown, path: string): PortRef | undefined {
    if (!isRecord(raw)) return void this.bad(path, 'an object {"node", "port"}', raw);
    const node = this.text(raw.node, `${path}.node`);
    const port = this.text(raw.port, `${path}.port`);
    return node !== undefined && port !== undefined ? { node, port } : undefined;
  }

  edge(raw: unknown, path: string): GraphEdge | undefined {
    if (!isRecord(raw)) return void this.bad(path, 'an object {"from", "to"}', raw);
    const from = this.portRef(raw.from, `${path}.from`);
    const to = this.portRef(raw.to, `${path}.to`);
    return from && to ? { from, to } : undefined;
  }

  document(raw: unknown): GraphDocument | undefined {
    if (!isRecord(raw)) return void this.bad('the document', 'a JSON object', raw);
    if (raw.schemaVersion !== CURRENT_SCHEMA_VERSION) {
      this.bad('schemaVersion', `a non-negative integer (current: ${CURRENT_SCHEMA_VERSION})`, raw.schemaVersion);
      return undefined;
    }
    const doc = emptyDocument();
    if (!Array.isArray(raw.nodes)) this.bad('nodes', 'an array', raw.nodes);
    else raw.nodes.forEach((n, i) => {
      const node = this.node(n, `nodes[${i}]`);
      if (node) doc.nodes.push(node);
    });
    if (raw.edges !== undefined) {
      if (!Array.isArray(raw.edges)) this.bad('edges', 'an array', raw.edges);
      else raw.edges.forEach((e, i) => {
        const edge = this.edge(e, `edges[${i}]`);
        if (edge) doc.edges.push(edge);
      });
    }
    if (raw.meta !== undefined) {
      if (isRecord(raw.meta)) doc.meta = JSON.parse(JSON.stringify(raw.meta)) as Record<string, unknown>;
      else this.bad('meta', 'an object', raw.meta);
    }
    const notes = readAnnotations(raw.annotations, new Set(doc.nodes.map((n) => n.id)));
    this.issues.push(...notes.issues);
    if (notes.annotations) doc.annotations = notes.annotations;
    return doc;
  }
}

function result(issues: GraphIssue[], migrations: string[], document?: GraphDocument): ValidationResult {
  const errors = issues.filter((i) => i.severity === 'error');
  const warnings = issues.filter((i) => i.severity === 'warning');
  return errors.length > 0 ? { errors, warnings, migrations } : { document, errors, warnings, migrations };
}

/** Node types, versions and params: migrates and resolves each node in place. */
function checkNodes(doc: GraphDocument, types: NodeTypeLookup, issues: GraphIssue[], migrations: string[]): void {
  const seen = new Set<string>();
  doc.nodes = doc.nodes.map((original, index) => {
    let node = original;
    if (seen.has(node.id)) {
      issues.push(graphError('duplicate-id', `node id '${printable(node.id)}' is used twice (nodes[${index}]); node ids must be unique`, { nodeId: node.id, path: `nodes[${index}].id` }));
    }
    seen.add(node.id);
    const spec = types.get(node.type);
    if (!spec) {
      issues.push(graphWarning('unknown-type', `unknown node type '${printable(node.type)}' (node '${printable(node.id)}' kept, it will not run)`, { nodeId: node.id }));
      return Number.isNaN(node.version) ? { ...node, version: 1 } : node;
    }
    if (Number.isNaN(node.version)) node = { ...node, version: spec.version };
    if (node.version > spec.version) {
      issues.push(
        graphWarning(
          'newer-node-version',
          `${describeNode(node.id, node.type)} was saved at type version ${node.version}, newer than this MGAN Studio's ${spec.version}: update MGAN Studio if its params look wrong`,
          { nodeId: node.id },
        ),
      );
    } else {
      try {
        const migrated = migrateNode(node, spec);
        node = migrated.node;
        if (migrated.applied) migrations.push(migrated.applied);
      } catch (e) {
        issues.push(graphError('node-migration', `${describeNode(node.id, node.type)}: cannot migrate from version ${node.version}: ${(e as Error).message}`, { nodeId: node.id }));
        return node;
      }
    }
    const { params, issues: paramIssues } = resolveParams(spec, node.params, node.id);
    issues.push(...paramIssues.map((i) => ({ ...i, path: i.param === undefined ? undefined : `nodes[${index}].params.${i.param}` })));
    return { ...node, params };
  });
}

const MAX_CYCLE_SHOWN = 12;

/** Edge endpoints, port types, one edge per input, required inputs, cycles. */
function checkEdges(doc: GraphDocument, types: NodeTypeLookup, issues: GraphIssue[], options: ValidateOptions): void {
  const into = new Map<string, number>();
  // With duplicate ids the first node wins here; the duplicate is reported already.
  const byId = new Map<string, GraphNode>();
  for (const node of doc.nodes) if (!byId.has(node.id)) byId.set(node.id, node);
  doc.edges.forEach((edge, index) => {
    const problem = edgeProblem(byId, edge.from, edge.to, types);
    if (problem) issues.push(graphError(problem.code, `edges[${index}]: ${problem.message}`, { nodeId: problem.nodeId, port: problem.port, path: `edges[${index}]` }));
    const key = `${edge.to.node}\u0000${edge.to.port}`;
    into.set(key, (into.get(key) ?? 0) + 1);
  });
  for (const [key, count] of into) {
    if (count < 2) continue;
    const [nodeId, port] = key.split('\u0000');
    issues.push(graphError('duplicate-input', `input '${printable(nodeId)}.${printable(port)}' has ${count} edges; an input takes one`, { nodeId, port }));
  }
  for (const node of doc.nodes) {
    const spec = types.get(node.type);
    for (const input of spec?.inputs ?? []) {
      if (input.optional || into.has(`${node.id}\u0000${input.name}`)) continue;
      const message = `${describeNode(node.id, node.type)}: required input '${input.name}' (${describeTypes(acceptedTypes(input))}) is not connected`;
      const where = { nodeId: node.id, port: input.name };
      issues.push(options.partial ? graphWarning('missing-input', message, where) : graphError('missing-input', message, where));
    }
  }
  const cycle = findCycle(doc);
  if (cycle) {
    // A long cycle is shown by its ends: the message stays one readable line.
    const ids = cycle.map((id) => printable(id));
    const path = ids.length > MAX_CYCLE_SHOWN ? [...ids.slice(0, MAX_CYCLE_SHOWN - 2), `… (${ids.length - MAX_CYCLE_SHOWN + 1} more)`, ids[ids.length - 1]] : ids;
    issues.push(graphError('cycle', `the graph has a cycle: ${[...path, ids[0]].join(' → ')} (a node cannot depend on its own output)`, { nodeId: cycle[0] }));
  }
}

function limitsOf(options: ValidateOptions): GraphLimits {
  return { ...DEFAULT_GRAPH_LIMITS, ...options.limits };
}

/** Nesting and counts, checked before anything walks the document: one error, or undefined. */
function limitProblem(raw: unknown, limits: GraphLimits): GraphIssue | undefined {
  if (nestsDeeperThan(raw)) return graphError('too-deep', tooDeepMessage());
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const { nodes, edges, links } = raw as Record<string, unknown>;
  if (Array.isArray(nodes) && nodes.length > limits.maxNodes) {
    return graphError('too-many-nodes', `the graph has ${nodes.length} nodes, more than the ${limits.maxNodes} allowed (${raiseHint('maxNodes', limits.maxNodes)})`, { path: 'nodes' });
  }
  for (const [name, list] of [['edges', edges], ['links', links]] as const) {
    if (Array.isArray(list) && list.length > limits.maxEdges) {
      return graphError('too-many-edges', `the graph has ${list.length} ${name}, more than the ${limits.maxEdges} allowed (${raiseHint('maxEdges', limits.maxEdges)})`, { path: name });
    }
  }
  return undefined;
}

/** Validates parsed JSON: checks limits, migrates, checks shape, types, params, edges and cycles. */
export function validateDocument(raw: unknown, types: NodeTypeLookup, options: ValidateOptions = {}): ValidationResult {
  const tooBig = limitProblem(raw, limitsOf(options));
  if (tooBig) return result([tooBig], []);
  let migrated: unknown;
  const migrations: string[] = [];
  try {
    const out = migrateDocument(raw);
    migrated = out.raw;
    migrations.push(...out.applied);
  } catch (e) {
    if (e instanceof MigrationError) return result([graphError(e.code, e.message, { path: 'schemaVersion' })], migrations);
    throw e;
  }
  const reader = new ShapeReader();
  const doc = reader.document(migrated);
  const issues = reader.issues;
  if (!doc) return result(issues, migrations);
  checkNodes(doc, types, issues, migrations);
  checkEdges(doc, types, issues, options);
  return result(issues, migrations, doc);
}

/**
 * Parses JSON text and validates it; malformed JSON is one error with its line and column. A leading
 * UTF-8 byte order mark is accepted; size and nesting are checked before parsing.
 */
export function parseDocument(text: string, types: NodeTypeLookup, options: ValidateOptions = {}): ValidationResult {
  const body = stripBom(text);
  const { maxBytes } = limitsOf(options);
  if (body.length > maxBytes) return result([graphError('too-large', tooLargeMessage(body.length, maxBytes))], []);
  const deep = findDeepNesting(body);
  if (deep) return result([graphError('too-deep', tooDeepMessage(deep))], []);
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (e) {
    const where = locateJsonError(body);
    const message = where
      ? `invalid JSON at line ${where.line}, column ${where.column}: ${where.reason}`
      : `invalid JSON: ${(e as Error).message}`;
    return result([graphError('json-syntax', message)], []);
  }
  return validateDocument(raw, types, options);
}
