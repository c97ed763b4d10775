import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { cacheKey, nodeCacheKey } from '../../src/runtime/cache-key';
import { canonicalJson } from '../../src/util/canonical-json';
import { NodeRunControl } from '../../src/runtime/control';
import { isAbortError } from '../../src/util/abort';
import { disposeValue } from '../../src/runtime/dispose';

describe('cache keys', () => {
  it('ignore object key order and tell different values apart', () => {
    expect(canonicalJson({ b: 1, a: [1, { y: 2, x: 'é' }] })).toBe('{"a":[1,{"x":"é","y":2}],"b":1}');
    expect(cacheKey({ a: 1, b: 2 })).toBe(cacheKey({ b: 2, a: 1 }));
    expect(cacheKey({ a: 1 })).not.toBe(cacheKey({ a: '1' }));
    expect(cacheKey({ a: NaN })).not.toBe(cacheKey({ a: null }));
    expect(cacheKey({ a: 0 })).toBe(cacheKey({ a: -0 }));
    expect(cacheKey('x')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('change with type version, params, bypass and input keys', () => {
    const parts = { type: 't', version: 1, params: { s: 1 }, bypass: false, inputs: { image: 'k:image' } };
    const base = nodeCacheKey(parts);
    expect(nodeCacheKey({ ...parts, version: 2 })).not.toBe(base);
    expect(nodeCacheKey({ ...parts, params: { s: 2 } })).not.toBe(base);
    expect(nodeCacheKey({ ...parts, bypass: true })).not.toBe(base);
    expect(nodeCacheKey({ ...parts, inputs: { image: 'k2:image' } })).not.toBe(base);
    expect(nodeCacheKey({ ...parts, params: { s: 1 } })).toBe(base);
  });
});

describe('NodeRunControl', () => {
  it('resolves at once while running, waits while paused, releases one checkpoint per step', async () => {
    const ac = new AbortController();
    const control = new NodeRunControl(ac.signal);
    await control.checkpoint();
    control.pause();
    let passed = 0;
    const loop = (async () => {
      for (let i = 0; i < 3; i++) {
        await control.checkpoint();
        passed++;
      }
    })();
    await new Promise((r) => setTimeout(r, 10));
    expect(passed).toBe(0);
    control.step();
    await new Promise((r) => setTimeout(r, 10));
    expect(passed).toBe(1);
    control.resume();
    await loop;
    expect(passed).toBe(3);
  });

  it('rejects waiting and later checkpoints with an AbortError on cancel', async () => {
    const ac = new AbortController();
    const control = new NodeRunControl(ac.signal, { paused: true });
    const waiting = control.checkpoint();
    ac.abort();
    await expect(waiting).rejects.toSatisfy(isAbortError);
    await expect(control.checkpoint()).rejects.toSatisfy(isAbortError);
  });
});

describe('disposeValue', () => {
  it('disposes tensors in arrays, plain objects, maps and disposables, once each', () => {
    const before = tf.memory().numTensors;
    const t = tf.ones([2]);
    let disposed = 0;
    const value = { a: [t, tf.zeros([1])], b: { c: tf.scalar(1), again: t }, m: new Map([['k', tf.scalar(2)]]), d: { dispose: () => disposed++ } };
    disposeValue(value);
    expect(tf.memory().numTensors).toBe(before);
    expect(disposed).toBe(1);
  });
});
