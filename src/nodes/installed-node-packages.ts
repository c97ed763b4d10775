/**
 * The node packages the editor loads (docs/custom-nodes.md): one import and one entry per package,
 * then rebuild. They are code, so only this list (what whoever builds the editor installed) loads them,
 * never a graph, a link or a PNG. The example package ships installed, to show how one looks.
 */
import * as imageFilter from '../../examples/nodes-image-filter/index';

export const INSTALLED_NODE_PACKAGES: Array<{ name: string; module: unknown }> = [{ name: 'mgan-studio-nodes-image-filter', module: imageFilter }];
