/**
 * The bundled VGG inverter's name and what lists of decoders say of it. It is a decoder like any other
 * (G that turns relu4_1 back into the photo), but it is where every style's training starts, not a
 * style: decoding through it gives the photo back, softened. Lists show it, labelled, so nobody picks it
 * for a painting by mistake.
 */

/** The bundled decoder G starts from with `startFromInverter` (docs/decoders.md, "The inverter"). */
export const INVERTER_DECODER = 'vgg19-inverter';

/** The short label lists put beside its name. */
export const INVERTER_LABEL = 'not a style';

/** Why, in one sentence (a tooltip, a note). */
export const INVERTER_EXPLANATION =
  "the VGG inverter: it turns VGG features back into the photo (a softened copy, no painting); the MGAN trainer starts every style from it";

export const isInverterDecoder = (name: string): boolean => name === INVERTER_DECODER;
