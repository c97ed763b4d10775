/** Params the noise nodes share (size and seed), so they read and validate alike. */
import { param } from './define-node';

export const noiseSizeParams = (defaultSize: number) => ({
  width: param.number({ default: defaultSize, min: 1, max: 4096, step: 1, integer: true, doc: 'Width in pixels.' }),
  height: param.number({ default: defaultSize, min: 1, max: 4096, step: 1, integer: true, doc: 'Height in pixels.' }),
});

export const noiseSeedParam = param.seed({ default: 1, doc: 'Random seed: the same seed gives the same pixels, on every machine and backend.' });
