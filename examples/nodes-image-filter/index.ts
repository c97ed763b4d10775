/** The node types of this package: what `--nodes` and the editor's installed list load. */
import { posterizeNode } from './posterize';

export const nodes = [posterizeNode];
