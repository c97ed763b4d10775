/**
 * The graph document: the JSON a user saves, shares and the CLI runs.
 * Pure data; nothing here knows about TensorFlow.js, React or RxJS.
 */

/** The kinds of value that flow along edges. Connections are type-checked against these. */
export const PORT_TYPES = [
  'Image',
  'ImageSet',
  'Features',
  'Patches',
  'PatchSpec',
  'Discriminator',
  'Decoder',
  'Frames',
  'Number',
] as const;
export type PortType = (typeof PORT_TYPES)[number];

export const CURRENT_SCHEMA_VERSION = 2;

export interface Position {
  x: number;
  y: number;
}

export type ParamValue = number | string | boolean | null;

export interface GraphNode {
  id: string;
  type: string;
  /** The node type's version when the node was saved (node-level migrations). */
  version: number;
  params: Record<string, ParamValue>;
  position: Position;
  /** Optional UI flags; bypassed nodes pass their first input through. */
  bypass?: boolean;
  /** Free text label shown instead of the type's title. */
  label?: string;
}

export interface PortRef {
  node: string;
  port: string;
}

export interface GraphEdge {
  from: PortRef;
  to: PortRef;
}

export interface Size {
  width: number;
  height: number;
}

/**
 * A markdown note on the canvas. Notes and frames are for the reader: they never run, never reach
 * the runtime and never change a cache key.
 */
export interface GraphNote {
  id: string;
  /** Markdown (rendered as text: never as HTML). */
  text: string;
  position: Position;
  /** Card width in canvas pixels; the height follows the text. */
  width?: number;
  /** `#rrggbb`; default a pale yellow. */
  color?: string;
}

/** A titled, coloured rectangle that groups nodes and notes: moving it moves them. */
export interface GraphFrame {
  id: string;
  title: string;
  /** `#rrggbb` */
  color: string;
  position: Position;
  size: Size;
  /** Ids of the nodes inside it (a node is in at most one frame). */
  nodes: string[];
  /** Ids of the notes inside it. */
  notes: string[];
}

export interface Annotations {
  notes: GraphNote[];
  frames: GraphFrame[];
}

export interface GraphDocument {
  schemaVersion: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
  meta: Record<string, unknown>;
  /** Notes and frames (schema 2); absent when there are none. */
  annotations?: Annotations;
}

/** What the graph layer needs to know of a node type (a subset of NodeDefinition, no `run`). */
export interface PortSpec {
  name: string;
  /** One type, or several accepted types (inputs only; an output has exactly one). */
  type: PortType | PortType[];
  optional?: boolean;
  /**
   * Outputs only: worth computing only for a consumer (a strip of extra decodes, a report). The
   * runtime tells `run` which outputs an edge takes (RunContext.wiredOutputs); an unwired on-demand
   * output may be left out, and a result without it is not reused once it is wired.
   */
  onDemand?: boolean;
  description?: string;
}

interface ParamSpecBase {
  name: string;
  description: string;
  /** Optional label for the UI; defaults to name. */
  label?: string;
  /** The value Li & Wand use, where the paper gives one (also in the description). */
  paper?: number | string | boolean;
  /**
   * A long node takes a new value at its next step (an optimiser's learning rate, a loss weight):
   * changing it does not restart a running or paused run.
   */
  midRun?: boolean;
}
export interface NumberParamSpec extends ParamSpecBase {
  type: 'number';
  default: number;
  min?: number;
  max?: number;
  step?: number;
  integer?: boolean;
}
export interface SeedParamSpec extends ParamSpecBase {
  type: 'seed';
  default: number;
}
export interface StringParamSpec extends ParamSpecBase {
  type: 'string';
  default: string;
  /** When present the value must be one of these (a select in the UI). */
  options?: readonly string[];
  /** Hint for the UI widget ("image" = an image picker, "path", "url", "multiline"). */
  widget?: 'image' | 'path' | 'url' | 'multiline' | 'decoder';
  /**
   * What the text names outside the graph, for the access rules (docs/security.md): a local file or
   * folder it reads (`path`), a comma list of them (`path-list`), a URL it fetches (`url`), a saved
   * store entry that may also be given as a path (`store-or-path`), a plain file name it writes
   * under the output folder or a store (`output-name`), or the key of a file dropped in the editor,
   * kept in that browser's storage, which no link or file carries (`browser-asset`).
   */
  resource?: ParamResource;
  /**
   * A `url` param that may instead hold the image itself, as a PNG or JPEG `data:` URL: read from the
   * graph, nothing fetched (src/graph/embedded-images.ts).
   */
  embedsImage?: boolean;
}
export type ParamResource = 'path' | 'path-list' | 'url' | 'store-or-path' | 'output-name' | 'browser-asset';
export interface BooleanParamSpec extends ParamSpecBase {
  type: 'boolean';
  default: boolean;
}
export type ParamSpec = NumberParamSpec | SeedParamSpec | StringParamSpec | BooleanParamSpec;

export interface NodeTypeSpec {
  type: string;
  version: number;
  title: string;
  category: string;
  /** The doc card: what the node does, the paper's reasoning, what each parameter changes (markdown). */
  doc: string;
  inputs: PortSpec[];
  outputs: PortSpec[];
  params: ParamSpec[];
  /** Long-running (MDAN, training, video): runs only when asked, supports pause/step/cancel. */
  long?: boolean;
  /** Migrates a node's params saved at an older version of this type. */
  migrate?: (params: Record<string, ParamValue>, fromVersion: number) => Record<string, ParamValue>;
}

/** A lookup of node types, as the graph layer sees them (validation, connect checks). */
export interface NodeTypeLookup {
  get(type: string): NodeTypeSpec | undefined;
}
