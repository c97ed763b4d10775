// The custom kernel table: a backend's rows are installed when it starts, and only then.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { CUSTOM_KERNELS, customKernelsFor } from '../../src/method/kernels/custom-kernels';

describe('custom kernel table', () => {
  it('has every row described, grouped by backend', () => {
    for (const row of CUSTOM_KERNELS) {
      expect(row.kernel.length).toBeGreaterThan(0);
      expect(row.replaces.length).toBeGreaterThan(0);
      expect(row.why.length).toBeGreaterThan(10);
    }
    const order = CUSTOM_KERNELS.map((r) => r.backend);
    // Each backend's rows are contiguous.
    expect(new Set(order).size).toBe(order.filter((b, i) => i === 0 || order[i - 1] !== b).length);
  });

  it("installed WASM's kernels when the test setup started the WASM backend", () => {
    const kernels = customKernelsFor('wasm').flatMap((r) => r.kernel.split(/, | \(\+ /).map((k) => k.replace(/\)$/, '')));
    for (const name of kernels.filter((k) => !k.includes('gradient'))) {
      const kernelName = name === 'MganInterleavePhases' || name === 'Grad' ? 'MganInterleavePhases' : name;
      expect(tf.getKernel(kernelName, 'wasm'), name).toBeDefined();
    }
    expect(tf.getKernel('MganInterleavePhasesGrad', 'wasm')).toBeDefined();
  });
});
