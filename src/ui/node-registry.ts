/** The editor's node types: the built-in ones and those of the installed packages (installed-node-packages.ts). */
import { nodePackageOf } from '../nodes/node-package';
import { createNodeRegistry } from '../nodes/registry';
import { INSTALLED_NODE_PACKAGES } from './installed-node-packages';

export const nodeRegistry = createNodeRegistry(INSTALLED_NODE_PACKAGES.map(({ name, module }) => nodePackageOf(name, module)));
