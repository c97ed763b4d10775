/** Parameter specs the noise nodes share (size and seed), so they read and validate alike. */
import type { NumberParamSpec, SeedParamSpec } from '../graph/types';

export const noiseSizeParams = (defaultSize: number): NumberParamSpec[] => [
  { name: 'width', type: 'number', default: defaultSize, min: 1, max: 4096, step: 1, integer: true, description: 'Width in pixels.' },
  { name: 'height', type: 'number', default: defaultSize, min: 1, max: 4096, step: 1, integer: true, description: 'Height in pixels.' },
];

export const noiseSeedParam: SeedParamSpec = {
  name: 'seed',
  type: 'seed',
  default: 1,
  description: 'Random seed: the same seed gives the same pixels, on every machine and backend.',
};
