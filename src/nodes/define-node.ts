/**
 * One declaration per node type: its ports, its params (type, range, default, doc, the paper's value),
 * its numbered migrations, how it runs. Everything else follows from it: the params' TypeScript type
 * inside `run` and `estimateWork`, the ParamSpecs the document is validated against (and defaults
 * filled from), the CLI's `nodes` reference (docs/nodes.md) and the editor's doc card. The built-in
 * nodes and custom node packages (docs/custom-nodes.md) are written the same way.
 *
 *   export const blurNode = defineNode({
 *     type: 'blur', version: 1, title: 'Blur', category: 'Image', doc: '…',
 *     inputs: [{ name: 'image', type: 'Image' }],
 *     outputs: [{ name: 'image', type: 'Image' }],
 *     params: { radius: param.number({ default: 2, min: 0, max: 32, integer: true, doc: 'Pixels.' }) },
 *     async run(ctx) { … ctx.params.radius (a number) … },
 *   });
 *
 * The declaration is checked when it is made (a default outside its range, a migration out of
 * order, a port named twice): a mistake fails when the module loads, naming the type and the field.
 */
import { paramProblem } from '../graph/params';
import {
  PORT_TYPES,
  type BooleanParamSpec,
  type NumberParamSpec,
  type ParamSpec,
  type ParamValue,
  type NodeTypeSpec,
  type PortSpec,
  type SeedParamSpec,
  type StringParamSpec,
} from '../graph/types';
import type { NodeDefinition, NodeOutputs, RunContext, UpstreamNode, WorkPart } from './types';

/** What every param declaration says besides its type: what it does, and the paper's value if it has one. */
interface ParamText {
  /** One line for the reference and the editor; the paper's value is added after it. */
  doc: string;
  /** The value Li & Wand use, shown as "(paper: …)". */
  paper?: number | string | boolean;
  /** A label for the editor; default the param's name. */
  label?: string;
}

/** One param of a declaration; `T` is the type its value has in `run`. */
export interface ParamDecl<T extends ParamValue> {
  readonly spec: UnnamedSpec & { doc: string };
  /** Only carries the value's type. */
  readonly valueType?: T;
}

/** A ParamSpec without its name (the key it is declared under) and description (made from doc and paper). */
type UnnamedSpec = ParamSpec extends infer S ? (S extends ParamSpec ? Omit<S, 'name' | 'description'> : never) : never;

type Declared<S extends ParamSpec> = Omit<S, 'name' | 'description' | 'type' | 'label'> & ParamText;

function declare<T extends ParamValue>(spec: ParamDecl<T>['spec']): ParamDecl<T> {
  return { spec };
}

/** The param builders: `param.number({ … })` and so on. */
export const param = {
  /** A number; `integer: true` for whole numbers. */
  number: (p: Declared<NumberParamSpec>): ParamDecl<number> => declare({ type: 'number', ...p }),
  /** A random seed: an integer from 0 to MAX_SEED. */
  seed: (p: Declared<SeedParamSpec>): ParamDecl<number> => declare({ type: 'seed', ...p }),
  boolean: (p: Declared<BooleanParamSpec>): ParamDecl<boolean> => declare({ type: 'boolean', ...p }),
  /** Free text (a path, a URL, a name: say which with `widget` and `resource`). */
  string: (p: Omit<Declared<StringParamSpec>, 'options'>): ParamDecl<string> => declare({ type: 'string', ...p }),
  /** One of a fixed list of strings (a select in the editor); its type in `run` is their union (the default is checked to be one). */
  choice: <const O extends readonly string[]>(options: O, p: Omit<Declared<StringParamSpec>, 'options'>): ParamDecl<O[number]> =>
    declare({ type: 'string', options, ...p }),
};

export type ParamDecls = Record<string, ParamDecl<ParamValue>>;

/** The params of a declaration as `run` sees them: every one present, of its declared type. */
export type ParamsOf<P extends ParamDecls> = { [K in keyof P]: P[K] extends ParamDecl<infer T> ? T : never };

/**
 * One step of a node type's migrations: brings params saved at `version - 1` to `version`. Steps
 * are numbered 2, 3, … up to the type's version, one per version, none skipped.
 */
export interface MigrationStep {
  version: number;
  /** What changed, for the reader of the declaration. */
  why: string;
  up(params: Record<string, ParamValue>): Record<string, ParamValue>;
}

/** A node type as declared: the graph layer's NodeTypeSpec with typed params, numbered migrations and `run`. */
export interface NodeDeclaration<P extends ParamDecls> extends Omit<NodeTypeSpec, 'params' | 'migrate'> {
  params: P;
  migrations?: readonly MigrationStep[];
  /** Long nodes: the work a run will do, for the time estimate before it runs. */
  estimateWork?(params: ParamsOf<P>, input: (port: string) => UpstreamNode | undefined): WorkPart[];
  run(ctx: RunContext<ParamsOf<P>>): Promise<NodeOutputs>;
}

/** A declaration that cannot be right; the message names the node type and what to fix. */
export class NodeDeclarationError extends Error {
  constructor(type: string, message: string) {
    super(`node type '${type}': ${message}`);
    this.name = 'NodeDeclarationError';
  }
}

const TYPE_NAME = /^[a-z][a-z0-9-]{0,63}$/;

function paperText(value: number | string | boolean): string {
  return typeof value === 'string' ? value : String(value);
}

/** The one-line description of a param: its doc, then the paper's value. */
function description(doc: string, paper: number | string | boolean | undefined): string {
  return paper === undefined ? doc : `${doc.replace(/\.$/, '')} (paper: ${paperText(paper)}).`;
}

function paramSpecs(type: string, params: ParamDecls): ParamSpec[] {
  return Object.entries(params).map(([name, { spec }]) => {
    const { doc, paper, ...rest } = spec;
    if (!doc.trim()) throw new NodeDeclarationError(type, `param '${name}' has no doc`);
    const full = { name, ...rest, description: description(doc, paper), ...(paper === undefined ? {} : { paper }) } as ParamSpec;
    const problem = paramProblem(full, full.default);
    if (problem) throw new NodeDeclarationError(type, `param '${name}': its default ${problem.text.replace(/^= /, '')}`);
    return full;
  });
}

function checkPorts(type: string, ports: PortSpec[], side: 'input' | 'output'): void {
  const seen = new Set<string>();
  for (const port of ports) {
    if (seen.has(port.name)) throw new NodeDeclarationError(type, `${side} '${port.name}' is declared twice`);
    seen.add(port.name);
    const types = Array.isArray(port.type) ? port.type : [port.type];
    const unknown = types.find((t) => !(PORT_TYPES as readonly string[]).includes(t));
    if (unknown) throw new NodeDeclarationError(type, `${side} '${port.name}' has the unknown port type '${unknown}' (known: ${PORT_TYPES.join(', ')})`);
    if (side === 'output' && types.length !== 1) throw new NodeDeclarationError(type, `output '${port.name}' must have exactly one type`);
    if (side === 'input' && port.onDemand) throw new NodeDeclarationError(type, `input '${port.name}': onDemand is for outputs (an unconnected input is 'optional')`);
  }
}

/** Steps numbered 2 … version, one per version; returns the node type's `migrate`. */
function migrationOf(type: string, version: number, steps: readonly MigrationStep[] | undefined): NodeDefinition['migrate'] {
  if (!steps?.length) return undefined;
  const first = version - steps.length + 1;
  steps.forEach((step, i) => {
    if (step.version !== first + i || first < 2) {
      throw new NodeDeclarationError(type, `migration steps must be numbered one per version up to ${version}, the type's version; step ${i + 1} is numbered ${step.version}`);
    }
  });
  return (params, fromVersion) => {
    if (fromVersion < first - 1) throw new Error(`no migration from version ${fromVersion} (the oldest it migrates is ${first - 1})`);
    return steps.filter((s) => s.version > fromVersion).reduce((p, s) => s.up(p), params);
  };
}

/** A node type from its declaration (see the top of this file). */
export function defineNode<const P extends ParamDecls>(declaration: NodeDeclaration<P>): NodeDefinition {
  const { params, migrations, estimateWork, run, ...rest } = declaration;
  const type = declaration.type;
  if (!TYPE_NAME.test(type)) throw new NodeDeclarationError(type, "a type name is lowercase letters, digits and '-', starting with a letter (at most 64)");
  if (!Number.isInteger(declaration.version) || declaration.version < 1) throw new NodeDeclarationError(type, `version must be a whole number of at least 1, got ${declaration.version}`);
  checkPorts(type, declaration.inputs, 'input');
  checkPorts(type, declaration.outputs, 'output');
  const migrate = migrationOf(type, declaration.version, migrations);
  // The runtime hands `run` params validated against these specs, defaults filled in: their types hold.
  return {
    ...rest,
    params: paramSpecs(type, params),
    ...(migrate ? { migrate } : {}),
    ...(estimateWork ? { estimateWork: estimateWork as unknown as NodeDefinition['estimateWork'] } : {}),
    run: run as unknown as NodeDefinition['run'],
  };
}
