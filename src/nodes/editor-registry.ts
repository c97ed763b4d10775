/**
 * The editor's node types (its page and its runtime worker): the built-in ones and those of the
 * installed node packages (installed-node-packages.ts).
 */
import { nodePackageOf } from './node-package';
import { createNodeRegistry } from './registry';
import { INSTALLED_NODE_PACKAGES } from './installed-node-packages';

export const editorNodeRegistry = createNodeRegistry(INSTALLED_NODE_PACKAGES.map(({ name, module }) => nodePackageOf(name, module)));
