/**
 * The API for writing node types outside this repository (docs/custom-nodes.md), exported by the
 * package as `mgan-studio/nodes`: `defineNode` and the param builders, the types a node's `run`
 * sees, and the error a node throws for a bad param. The built-in nodes are written with the same.
 */
export { defineNode, param, NodeDeclarationError } from './define-node';
export type { MigrationStep, NodeDeclaration, ParamDecl, ParamDecls, ParamsOf } from './define-node';
export { ParamError, aboutParam, outputWanted } from './types';
export type { ImageRef, NodeDefinition, NodeEnv, NodeOutputs, ProgressInfo, RunContext, RunControl, UpstreamNode, WorkKind, WorkPart } from './types';
export type { NodePackage } from './node-package';
export { NODE_PACKAGE_FORMAT } from './node-package';
export type { ParamValue, PortSpec, PortType } from '../graph/types';
