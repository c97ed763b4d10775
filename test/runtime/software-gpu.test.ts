// Which WebGPU adapters the browser passes over for WASM (src/runtime/backend.ts).
import { describe, expect, it } from 'vitest';
import { softwareWebGpu } from '../../src/runtime/software-gpu';

describe('software WebGPU adapters', () => {
  it('names SwiftShader, lavapipe and a fallback adapter', () => {
    expect(softwareWebGpu({ info: { vendor: 'google', architecture: 'swiftshader', device: '', description: '' } })).toBe('SwiftShader');
    expect(softwareWebGpu({ info: { vendor: 'mesa', architecture: '', device: '', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' } })).toBe('lavapipe (llvmpipe)');
    expect(softwareWebGpu({ info: { vendor: '', architecture: '', device: '', description: '' }, isFallbackAdapter: true })).toBe('a fallback (software) adapter');
    expect(softwareWebGpu({ info: { vendor: 'microsoft', description: 'Microsoft Basic Render Driver' } })).toBe('WARP');
  });
  it('leaves real GPUs alone (and adapters that say nothing about themselves)', () => {
    expect(softwareWebGpu({ info: { vendor: 'nvidia', architecture: 'ampere', device: '', description: 'NVIDIA GeForce RTX 3080' } })).toBeUndefined();
    expect(softwareWebGpu({ info: { vendor: 'intel', architecture: 'gen-12lp', device: '', description: '' }, isFallbackAdapter: false })).toBeUndefined();
    expect(softwareWebGpu({})).toBeUndefined();
  });
});
