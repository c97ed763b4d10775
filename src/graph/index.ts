/** The graph document's public API (pure TypeScript: no React, RxJS or TensorFlow.js). */
export * from './types';
export * from './issues';
export * from './document';
export * from './params';
export * from './ports';
export * from './migrations';
export * from './validate';
export * from './resources';
export * from './embedded-images';
export * from './topo';
export * from './edit';
export * from './annotations';
export * from './history';
export { ShareCodecError } from './share-errors';
export * from './share-url';
export * from './share-png';
export { locateJsonError, type JsonSyntaxProblem } from './json-error';
export * from './limits';
