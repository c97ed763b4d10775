/**
 * vgg19-tap: an image's VGG19 feature map at one ReLU layer (Image → Features).
 */
import * as tf from '@tensorflow/tfjs';
import { VGG19_LAYERS, isVggLayer, vggDownsampling, type FeaturesValue } from '../method/vgg/vgg19';
import { ParamError } from './types';
import { defineNode, param } from './define-node';

export const vgg19TapNode = defineNode({
  type: 'vgg19-tap',
  version: 1,
  title: 'VGG19 features',
  category: 'VGG19',
  doc: `Passes an image through VGG19 (ImageNet weights by Simonyan & Zisserman, CC BY 4.0) and outputs the
feature map of one ReLU layer: "neural patches" of it are what the MDAN/MGAN discriminators judge.

Only the layers up to the one asked for are computed (and loaded). Each 2x2 max-pool halves the size:
relu1_x is full size, relu2_x 1/2, relu3_x 1/4 (256 channels), relu4_x 1/8 and relu5_x 1/16 (512).
The paper uses **relu3_1** for the discriminator (mid-level texture: strokes, local structure),
**relu4_1** as the decoder's input and **relu5_1** for content guidance; shallower layers see colour
and fine grain, deeper ones larger structures.

The output records which weights/preprocessing convention produced it
(\`vgg19-matconvnet-rgb-mean\`: 0..255 RGB minus the ImageNet mean, the project's default weights).

- **layer**: which ReLU output to expose (relu1_1 ... relu5_4).`,
  inputs: [{ name: 'image', type: 'Image', description: 'RGB image in [0, 1]' }],
  outputs: [{ name: 'features', type: 'Features', description: 'the feature map [1, h, w, channels] at `layer`' }],
  params: {
    layer: param.choice(VGG19_LAYERS, {
      default: 'relu3_1',
      doc: "VGG19 ReLU layer to tap (relu3_1: the paper's discriminator layer; relu4_1: the decoder input; relu5_1: content).",
    }),
  },
  async run(ctx) {
    const { layer } = ctx.params;
    const image = ctx.inputs.image as tf.Tensor3D | undefined;
    if (!image) throw new Error("vgg19-tap: input 'image' is not connected");
    const factor = vggDownsampling(layer);
    const [height, width] = image.shape;
    if (height < factor || width < factor) {
      throw new Error(`vgg19-tap: the image (${width}x${height}) is smaller than ${factor}x${factor}, the least ${layer} needs`);
    }
    const service = ctx.env.services.vgg19;
    if (!service) throw new Error('vgg19-tap: no VGG19 service in this environment');
    const vgg = await service.load(layer);
    ctx.signal.throwIfAborted();
    const tensor = tf.tidy(() => vgg.features(tf.expandDims(image, 0) as tf.Tensor4D, [layer])[layer]);
    const features: FeaturesValue = { layer, tensor, convention: vgg.convention };
    return { features };
  },
});
