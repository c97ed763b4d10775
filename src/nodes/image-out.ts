/** image-out: marks an image as the graph's result (the CLI writes it as a PNG). */
import * as tf from '@tensorflow/tfjs';
import { assertImage } from '../method/image/image-tensor';
import type { RunContext } from './types';
import { defineNode, param } from './define-node';

async function run(ctx: RunContext): Promise<{ image: tf.Tensor3D }> {
  const image = ctx.inputs.image;
  assertImage(image, "image-out's input 'image'");
  // A copy: outputs belong to the runtime, which also owns (and disposes) the input.
  return { image: tf.tidy(() => image.clipByValue(0, 1) as tf.Tensor3D) };
}

export const imageOutNode = defineNode({
  type: 'image-out',
  version: 1,
  title: 'Image out',
  category: 'Output',
  doc: `The graph's result. On the command line (\`mgan-studio run graph.json --out DIR\`) each
Image out node is written to \`DIR/<node id>.png\` (8-bit RGB, values clipped to [0, 1]), with the
graph embedded in the PNG so dropping the file on the editor restores the graph. In the editor it
shows a large preview and a download button.

Its *image* output passes the (clipped) image on, so a result can still feed other nodes.`,
  inputs: [{ name: 'image', type: 'Image', description: 'The result image.' }],
  outputs: [{ name: 'image', type: 'Image', description: 'The same image, clipped to [0, 1].' }],
  params: {},
  run,
});
