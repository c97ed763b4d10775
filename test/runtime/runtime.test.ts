import * as tf from '@tensorflow/tfjs';
import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { GraphRuntime } from '../../src/runtime/runtime';
import type { NodeStatus, PreviewImage } from '../../src/runtime/types';
import { doc, edge, fakeRegistry, node, testEnv, until } from './fake-nodes';

let runtimes: GraphRuntime[] = [];
function makeRuntime(options: { live?: boolean } = {}) {
  const { registry, counters } = fakeRegistry();
  const runtime = new GraphRuntime({ registry, env: testEnv, previewIntervalMs: 0, ...options });
  runtimes.push(runtime);
  return { runtime, counters };
}
afterEach(() => {
  for (const r of runtimes) r.dispose();
  runtimes = [];
});

/** A node's status as the runtime has it now (status$ replays the latest map on subscribe). */
function statusNow(runtime: GraphRuntime, id: string): NodeStatus | undefined {
  let now: NodeStatus | undefined;
  runtime.status$.subscribe((m) => (now = m.get(id))).unsubscribe();
  return now;
}

async function pixels(runtime: GraphRuntime, id: string, port = 'image'): Promise<number[]> {
  const t = runtime.getOutput(id, port) as tf.Tensor;
  expect(t, `output ${id}.${port}`).toBeInstanceOf(tf.Tensor);
  return Array.from(await t.data());
}

// fill -> a -> b, plus a sibling branch fill -> side
const chain = (factorA = 0.5) =>
  doc(
    [node('src', 'fill', { value: 0.8 }), node('a', 'scale', { factor: factorA }), node('b', 'scale', { factor: 0.5 }), node('side', 'scale')],
    [edge('src', 'a'), edge('a', 'b'), edge('src', 'side')],
  );

describe('GraphRuntime: caching and selective re-execution', () => {
  it('re-runs only what is downstream of a changed param', async () => {
    const { runtime, counters } = makeRuntime();
    runtime.setDocument(chain(0.5));
    const first = await runtime.run();
    expect([...first.values()].every((s) => s.state === 'done')).toBe(true);
    expect(counters.runs).toEqual({ src: 1, a: 1, b: 1, side: 1 });
    expect((await pixels(runtime, 'b'))[0]).toBeCloseTo(0.2);

    runtime.setDocument(chain(1));
    const second = await runtime.run();
    expect(counters.runs).toEqual({ src: 1, a: 2, b: 2, side: 1 });
    expect(second.get('src')?.cached).toBe(true);
    expect(second.get('side')?.cached).toBe(true);
    expect(second.get('b')?.cached).toBe(false);
    expect((await pixels(runtime, 'b'))[0]).toBeCloseTo(0.4);

    // Same document again: nothing runs, everything comes from the cache.
    await runtime.run();
    expect(counters.runs).toEqual({ src: 1, a: 2, b: 2, side: 1 });
  });

  it('re-runs a node naming a changed outside resource, and what it feeds, but nothing else', async () => {
    const { runtime, counters } = makeRuntime();
    runtime.setDocument(doc([node('n', 'named'), node('down', 'scale'), node('src', 'fill'), node('side', 'scale')], [edge('n', 'down'), edge('src', 'side')]));
    await runtime.run();
    await runtime.run();
    expect(counters.runs).toEqual({ n: 1, down: 1, src: 1, side: 1 });
    const keys = ['n', 'down', 'src', 'side'].map((id) => runtime.cacheKeyOf(id));
    // Another kind of resource changed: nothing the graph names.
    runtime.resourcesChanged('url');
    expect(['n', 'down', 'src', 'side'].map((id) => runtime.cacheKeyOf(id))).toEqual(keys);
    runtime.resourcesChanged('store-or-path');
    expect(runtime.cacheKeyOf('n')).not.toBe(keys[0]);
    expect(runtime.cacheKeyOf('down')).not.toBe(keys[1]);
    expect(runtime.cacheKeyOf('src')).toBe(keys[2]);
    const statuses = await runtime.run();
    expect(counters.runs).toEqual({ n: 2, down: 2, src: 1, side: 1 });
    expect(statuses.get('side')?.cached).toBe(true);
  });

  it('runs only what the targets need', async () => {
    const { runtime, counters } = makeRuntime();
    runtime.setDocument(chain());
    const statuses = await runtime.run({ targets: ['a'] });
    expect(counters.runs).toEqual({ src: 1, a: 1 });
    expect([...statuses.keys()].sort()).toEqual(['a', 'src']);
  });

  it('keys depend on params and inputs, not on position or node order', () => {
    const { runtime } = makeRuntime();
    const d = chain();
    runtime.setDocument(d);
    const before = runtime.cacheKeyOf('b');
    const moved = { ...d, nodes: [...d.nodes].reverse().map((n) => ({ ...n, position: { x: 99, y: 1 } })) };
    runtime.setDocument(moved);
    expect(runtime.cacheKeyOf('b')).toBe(before);
    runtime.setDocument(chain(0.25));
    expect(runtime.cacheKeyOf('b')).not.toBe(before);
    expect(runtime.cacheKeyOf('side')).toBe(runtime.cacheKeyOf('side'));
  });
});

describe('GraphRuntime: tensor ownership', () => {
  it('returns tf.memory().numTensors to its baseline after a run and clearCache()', async () => {
    const baseline = tf.memory().numTensors;
    const { runtime } = makeRuntime();
    runtime.setDocument(chain());
    await runtime.run();
    expect(tf.memory().numTensors).toBe(baseline + 4);
    // A changed param replaces (and disposes) the old outputs of a and b.
    runtime.setDocument(chain(0.9));
    await runtime.run();
    expect(tf.memory().numTensors).toBe(baseline + 4);
    runtime.clearCache();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('clones an input a node hands back as its output, so nothing is disposed twice', async () => {
    const { registry } = fakeRegistry();
    const passThrough = { ...registry.get('scale')!, type: 'leaky', run: async ({ inputs }: { inputs: Record<string, unknown> }) => ({ image: inputs.image }) };
    const { NodeRegistry } = await import('../../src/nodes/registry');
    const runtime = new GraphRuntime({ registry: new NodeRegistry([registry.get('fill')!, passThrough]), env: testEnv });
    runtimes.push(runtime);
    const baseline = tf.memory().numTensors;
    runtime.setDocument(doc([node('src', 'fill'), node('p', 'leaky')], [edge('src', 'p')]));
    await runtime.run();
    expect(runtime.getOutput('p', 'image')).not.toBe(runtime.getOutput('src', 'image'));
    runtime.clearCache();
    expect(tf.memory().numTensors).toBe(baseline);
  });
});

describe('GraphRuntime: errors', () => {
  it('isolates a failing node: it errors, its dependents wait, siblings finish, the cache stays', async () => {
    const { runtime, counters } = makeRuntime();
    const d = doc(
      [node('src', 'fill'), node('bad', 'fail'), node('after', 'scale'), node('side', 'scale')],
      [edge('src', 'bad'), edge('bad', 'after'), edge('src', 'side')],
    );
    runtime.setDocument(d);
    const statuses = await runtime.run();
    expect(statuses.get('bad')).toMatchObject({ state: 'error', error: 'boom: this node always fails' });
    expect(statuses.get('after')).toMatchObject({ state: 'waiting', error: "input 'image' from 'bad' failed" });
    expect(statuses.get('side')?.state).toBe('done');
    expect(statuses.get('src')?.state).toBe('done');
    expect(runtime.getOutput('side', 'image')).toBeInstanceOf(tf.Tensor);

    const again = await runtime.run();
    expect(again.get('side')?.cached).toBe(true);
    expect(counters.runs.src).toBe(1);
    expect(counters.runs.side).toBe(1);
    // A failure is not cached: the failing node is tried again.
    expect(counters.runs.bad).toBe(2);
  });

  it('reports an unknown node type and a bad param as errors on that node', async () => {
    const { runtime } = makeRuntime();
    runtime.setDocument(
      doc([node('ghost', 'no-such-type'), node('src', 'fill', { value: 7 }), node('after', 'scale')], [edge('src', 'after')]),
    );
    const statuses = await runtime.run();
    expect(statuses.get('ghost')).toMatchObject({ state: 'error', error: "unknown node type 'no-such-type'" });
    expect(statuses.get('src')?.state).toBe('error');
    expect(statuses.get('src')?.errorName).toBe('ParamError');
    expect(statuses.get('src')?.error).toMatch(/src.*value/);
    expect(statuses.get('after')?.state).toBe('waiting');
  });
});

describe('GraphRuntime: long nodes', () => {
  const longDoc = (run: number, iterations: number) =>
    doc([node('src', 'fill'), node('loop', 'loop', { iterations, run }), node('out', 'scale')], [edge('src', 'loop'), edge('loop', 'out')]);

  it('skips long nodes unless targeted or includeLong; their dependents wait', async () => {
    const { runtime, counters } = makeRuntime();
    runtime.setDocument(longDoc(0, 2));
    const statuses = await runtime.run();
    expect(counters.runs.loop).toBeUndefined();
    expect(statuses.get('out')?.state).toBe('waiting');
    expect(statuses.get('out')?.error).toMatch(/from 'loop' has not run/);
    const full = await runtime.run({ includeLong: true });
    expect(full.get('out')?.state).toBe('done');
    // Once computed, a long node's cached result serves later ordinary runs.
    const later = await runtime.run();
    expect(later.get('loop')?.cached).toBe(true);
  });

  it('a superseded run of a long node stops within one iteration', async () => {
    const { runtime, counters } = makeRuntime();
    runtime.setDocument(longDoc(1, 10_000));
    const first = runtime.run({ includeLong: true });
    await until(() => counters.iterations.length >= 3, 'the first run to iterate');
    runtime.setDocument(longDoc(2, 3));
    const doneBeforeSwitch = counters.iterations.filter((it) => it.tag === 1).length;
    const second = runtime.run({ includeLong: true });
    const firstStatuses = await first;
    expect(firstStatuses.get('out')?.state).not.toBe('done');
    const statuses = await second;
    expect(statuses.get('out')?.state).toBe('done');
    const firstIterations = counters.iterations.filter((it) => it.tag === 1).length;
    expect(firstIterations - doneBeforeSwitch).toBeLessThanOrEqual(1);
    expect(counters.iterations.filter((it) => it.tag === 2)).toHaveLength(3);
  });

  it('takes a midRun param at the next iteration without restarting, and keeps the result under the new key', async () => {
    const { runtime, counters } = makeRuntime();
    const withGain = (gain: number) =>
      doc([node('src', 'fill'), node('loop', 'loop', { iterations: 40, run: 1, gain }), node('out', 'scale')], [edge('src', 'loop'), edge('loop', 'out')]);
    runtime.setDocument(withGain(1));
    runtime.pause('loop');
    const running = runtime.run({ includeLong: true });
    await until(() => counters.runs.loop === 1, 'the run to start');
    await new Promise((r) => setTimeout(r, 20));
    runtime.step('loop');
    await until(() => counters.iterations.length === 1, 'one step');
    // Paused: the edit neither cancels nor restarts it.
    runtime.setDocument(withGain(0.5));
    runtime.resume('loop');
    const statuses = await running;
    expect(statuses.get('loop')?.state).toBe('done');
    expect(counters.runs.loop).toBe(1);
    expect(counters.iterations).toHaveLength(40);
    expect(counters.iterations[0]!.gain).toBe(1);
    expect(counters.iterations.at(-1)!.gain).toBe(0.5);
    // The result is the new document's: asking again answers from the cache, scaled by the new gain.
    const again = await runtime.run({ includeLong: true });
    expect(again.get('loop')?.cached).toBe(true);
    expect(counters.runs.loop).toBe(1);
    const source = await pixels(runtime, 'src');
    const out = await pixels(runtime, 'loop');
    expect(out[0]).toBeCloseTo(source[0]! * 0.5, 5);
  });

  it('sets a paused run aside when an edit supersedes it, and undo brings it back paused where it was', async () => {
    const { runtime, counters } = makeRuntime();
    runtime.setDocument(longDoc(1, 6));
    runtime.pause('loop');
    const running = runtime.run({ includeLong: true });
    await until(() => counters.runs.loop === 1, 'the run to start');
    runtime.step('loop');
    runtime.step('loop');
    await until(() => counters.iterations.length === 2, 'two steps');
    const pausedStatus = statusNow(runtime, 'loop')!;
    expect(pausedStatus).toMatchObject({ state: 'paused', info: { iteration: 2, total: 6 } });
    // An edit the run cannot take: the run waits, set aside, and the card says so.
    runtime.setDocument(longDoc(1, 7));
    expect(statusNow(runtime, 'loop')).toMatchObject({ state: 'idle', info: { message: 'paused run set aside: undo brings it back' } });
    await new Promise((r) => setTimeout(r, 30));
    expect(counters.iterations).toHaveLength(2);
    // Deleting the node sets it aside too.
    runtime.setDocument(doc([node('src', 'fill')], []));
    // Undo, twice: the same run, paused at iteration 2.
    runtime.setDocument(longDoc(1, 7));
    runtime.setDocument(longDoc(1, 6));
    expect(statusNow(runtime, 'loop')).toMatchObject({ state: 'paused', info: { iteration: 2, total: 6 } });
    runtime.resume('loop');
    const statuses = await running;
    expect(statuses.get('out')?.state).toBe('done');
    expect(counters.runs.loop).toBe(1);
    expect(counters.iterations.map((it) => it.i)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('a new run of the node discards the run set aside', async () => {
    const { runtime, counters } = makeRuntime();
    runtime.setDocument(longDoc(1, 6));
    runtime.pause('loop');
    const first = runtime.run({ includeLong: true });
    await until(() => counters.runs.loop === 1, 'the run to start');
    runtime.setDocument(longDoc(2, 2));
    const second = await runtime.run({ includeLong: true });
    expect(second.get('loop')?.state).toBe('done');
    expect((await first).get('out')?.state).not.toBe('done');
    // Back at the first document there is nothing to bring back: it would run anew.
    runtime.setDocument(longDoc(1, 6));
    expect(statusNow(runtime, 'loop')?.state).toBe('idle');
    expect(counters.runs.loop).toBe(2);
  });

  it('restarts a long node when a param it cannot take mid-run changes', async () => {
    const { runtime, counters } = makeRuntime();
    runtime.setDocument(longDoc(1, 10_000));
    const running = runtime.run({ includeLong: true });
    await until(() => counters.iterations.length >= 2, 'iterations');
    runtime.setDocument(longDoc(2, 10_000));
    expect((await running).get('loop')?.state).toBe('cancelled');
    runtime.cancel();
  });

  it('cancel() stops a long node and marks it cancelled', async () => {
    const { runtime, counters } = makeRuntime();
    runtime.setDocument(longDoc(1, 10_000));
    const baseline = tf.memory().numTensors;
    const running = runtime.run({ includeLong: true });
    await until(() => counters.iterations.length >= 2, 'iterations');
    runtime.cancel('loop');
    const statuses = await running;
    expect(statuses.get('loop')?.state).toBe('cancelled');
    expect(statuses.get('out')).toMatchObject({ state: 'waiting', error: "input 'image' from 'loop' was cancelled" });
    runtime.clearCache();
    expect(tf.memory().numTensors).toBeLessThanOrEqual(baseline);
  });

  it('pauses, steps one iteration at a time, and resumes', async () => {
    const { runtime, counters } = makeRuntime();
    const seen: NodeStatus[] = [];
    runtime.status$.subscribe((m) => {
      const s = m.get('loop');
      if (s) seen.push(s);
    });
    runtime.setDocument(longDoc(1, 6));
    runtime.pause('loop'); // before it starts: it starts paused
    const running = runtime.run({ includeLong: true });
    await until(() => seen.some((s) => s.state === 'paused'), 'paused status');
    await new Promise((r) => setTimeout(r, 50));
    expect(counters.iterations).toHaveLength(0);
    runtime.step('loop');
    await until(() => counters.iterations.length === 1, 'one step');
    await new Promise((r) => setTimeout(r, 50));
    expect(counters.iterations).toHaveLength(1);
    runtime.step('loop');
    await until(() => counters.iterations.length === 2, 'second step');
    runtime.resume('loop');
    const statuses = await running;
    expect(counters.iterations).toHaveLength(6);
    expect(statuses.get('loop')?.state).toBe('done');
    const progress = seen.filter((s) => s.info?.iteration !== undefined).map((s) => s.info!.iteration);
    expect(progress).toContain(6);
  });
});

describe('GraphRuntime: on-demand outputs', () => {
  // src -> rep (long; its `report` output is on demand) -> out, and with `withReport` rep.report -> seen
  const reportDoc = (withReport: boolean, skipReport = false) =>
    doc(
      [node('src', 'fill'), node('rep', 'report', { skipReport }), node('out', 'scale'), ...(withReport ? [node('seen', 'scale')] : [])],
      [edge('src', 'rep'), edge('rep', 'out'), ...(withReport ? [edge('rep', 'seen', 'image', 'report')] : [])],
    );

  it('tells a node which outputs are wired; an unwired on-demand output is left out without an error', async () => {
    const { runtime, counters } = makeRuntime();
    runtime.setDocument(reportDoc(false));
    const statuses = await runtime.run({ includeLong: true });
    expect(statuses.get('rep')?.state).toBe('done');
    expect(statuses.get('out')?.state).toBe('done');
    expect(counters.wired).toEqual([['image']]);
    expect(runtime.getOutput('rep', 'report')).toBeUndefined();
  });

  it('wiring it later reruns the node (the kept result lacks it); unwiring it again reuses the result', async () => {
    const { runtime, counters } = makeRuntime();
    runtime.setDocument(reportDoc(false));
    await runtime.run({ includeLong: true });
    const key = runtime.cacheKeyOf('rep');

    runtime.setDocument(reportDoc(true));
    // Same key (wiring is not part of it), but the kept result does not serve: not up to date.
    expect(runtime.cacheKeyOf('rep')).toBe(key);
    expect(statusNow(runtime, 'rep')?.state).toBe('idle');
    const waiting = await runtime.run();
    expect(waiting.get('rep')?.state).toBe('idle');
    expect(waiting.get('rep')?.info?.message).toMatch(/run it again/);
    expect(waiting.get('seen')?.state).toBe('waiting');
    expect(counters.runs.rep).toBe(1);

    const wired = await runtime.run({ includeLong: true });
    expect(counters.runs.rep).toBe(2);
    expect(counters.wired[1]).toEqual(['image', 'report']);
    expect(wired.get('seen')?.state).toBe('done');
    expect(await pixels(runtime, 'seen')).toEqual(new Array(48).fill(0.25));

    // Unwired again: the result with the report serves, nothing reruns.
    runtime.setDocument(reportDoc(false));
    const again = await runtime.run({ includeLong: true });
    expect(again.get('rep')?.cached).toBe(true);
    expect(counters.runs.rep).toBe(2);
  });

  it('a wired on-demand output the node leaves out is still an error', async () => {
    const { runtime } = makeRuntime();
    runtime.setDocument(reportDoc(true, true));
    const statuses = await runtime.run({ includeLong: true });
    expect(statuses.get('rep')?.state).toBe('error');
    expect(statuses.get('rep')?.error).toMatch(/no value for output 'report'/);
  });
});

describe('GraphRuntime: bypass, previews, live mode', () => {
  it('a bypassed node passes its first input through as a clone', async () => {
    const { runtime, counters } = makeRuntime();
    const d = doc([node('src', 'fill', { value: 0.6 }), node('a', 'scale', { factor: 0.5 }, { bypass: true })], [edge('src', 'a')]);
    runtime.setDocument(d);
    await runtime.run();
    expect(counters.runs.a).toBeUndefined();
    expect(runtime.getOutput('a', 'image')).not.toBe(runtime.getOutput('src', 'image'));
    expect((await pixels(runtime, 'a'))[0]).toBeCloseTo(0.6);
    runtime.setDocument({ ...d, nodes: d.nodes.map((n) => ({ ...n, bypass: false })) });
    await runtime.run();
    expect((await pixels(runtime, 'a'))[0]).toBeCloseTo(0.3);
  });

  it('emits RGBA previews of image results and progress previews', async () => {
    const { runtime } = makeRuntime();
    const previews: PreviewImage[] = [];
    runtime.preview$.subscribe((p) => previews.push(p));
    runtime.setDocument(doc([node('src', 'fill', { value: 1 })], []));
    await runtime.run();
    await until(() => previews.length > 0, 'a preview');
    expect(previews[0]).toMatchObject({ nodeId: 'src', width: 4, height: 4 });
    expect(Array.from(previews[0].data.slice(0, 4))).toEqual([255, 255, 255, 255]);
  });

  it('live mode re-runs cheap nodes after setDocument', async () => {
    const { runtime, counters } = makeRuntime({ live: true });
    runtime.setDocument(chain(0.5));
    await until(() => runtime.getOutput('b', 'image') !== undefined, 'the live run');
    runtime.setDocument(chain(1));
    await until(() => counters.runs.a === 2 && runtime.getOutput('b', 'image') !== undefined, 'the second live run');
    expect(counters.runs.src).toBe(1);
  });

  it('live mode turned off runs nothing on edits; turned on, it runs the live targets', async () => {
    const { runtime, counters } = makeRuntime({ live: true });
    runtime.setLive(false);
    runtime.setDocument(chain(0.5));
    await new Promise((r) => setTimeout(r, 100));
    expect(counters.runs).toEqual({});
    runtime.setLive(true);
    await until(() => runtime.getOutput('b', 'image') !== undefined, 'the live run');
    expect(counters.runs).toEqual({ src: 1, a: 1, b: 1, side: 1 });
  });

  it('live mode leaves long nodes and half-wired nodes idle, and updates what a long node feeds once it finishes', async () => {
    const { runtime, counters } = makeRuntime({ live: true });
    runtime.setDocument(
      doc(
        [node('src', 'fill'), node('loop', 'loop', { iterations: 2 }), node('after', 'scale'), node('unwired', 'scale')],
        [edge('src', 'loop'), edge('loop', 'after')],
      ),
    );
    await until(() => runtime.getOutput('src', 'image') !== undefined, 'the live run');
    await new Promise((r) => setTimeout(r, 100));
    expect(counters.runs).toEqual({ src: 1 });
    const statuses = await firstValueFrom(runtime.status$);
    expect(statuses.get('loop')?.state).toBe('idle');
    expect(statuses.get('unwired')?.state).toBe('idle');

    await runtime.run({ targets: ['loop'] });
    expect(counters.runs.after).toBeUndefined();
    await until(() => runtime.getOutput('after', 'image') !== undefined, 'the live run after the long node');
    expect(counters.runs).toEqual({ src: 1, loop: 1, after: 1 });
  });
});

describe('GraphRuntime: concurrent runs', () => {
  it('a second run of the same document joins the work in flight instead of restarting it', async () => {
    const { runtime, counters } = makeRuntime();
    runtime.setDocument(doc([node('src', 'fill'), node('loop', 'loop', { iterations: 4 })], [edge('src', 'loop')]));
    const [a, b] = await Promise.all([runtime.run({ includeLong: true }), runtime.run({ includeLong: true })]);
    expect(counters.runs.loop).toBe(1);
    expect(counters.iterations).toHaveLength(4);
    expect(a.get('loop')?.state).toBe('done');
    expect(b.get('loop')?.state).toBe('done');
  });
});

describe('GraphRuntime: documents that cannot run', () => {
  it('a cycle makes every node an error instead of throwing; fixing it runs again', async () => {
    const { runtime, counters } = makeRuntime();
    const cyclic = doc([node('a', 'scale'), node('b', 'scale')], [edge('a', 'b'), edge('b', 'a')]);
    runtime.setDocument(cyclic);
    const statuses = await runtime.run({ targets: ['a'] });
    expect(statuses.get('a')?.state).toBe('error');
    expect(statuses.get('a')?.error).toMatch(/cycle/);
    expect(counters.runs).toEqual({});
    runtime.setDocument(chain());
    expect((await runtime.run()).get('b')?.state).toBe('done');
  });

  it('an edge from an output the upstream node does not have leaves the consumer waiting, named', async () => {
    const { runtime } = makeRuntime();
    runtime.setDocument(doc([node('src', 'fill'), node('a', 'scale')], [edge('src', 'a', 'image', 'nope')]));
    const statuses = await runtime.run();
    expect(statuses.get('a')).toMatchObject({ state: 'waiting', error: "input 'image' from 'src' has no value (no output 'nope' there)" });
  });
});

describe('GraphRuntime: overlapping runs of different documents', () => {
  it('a run of an older document never supersedes the newer run of a changed node', async () => {
    const { runtime, counters } = makeRuntime();
    // src -> loop (long, slow) -> b; b changes while the loop runs in the first run.
    const d = (factor: number) =>
      doc([node('src', 'fill'), node('loop', 'loop', { iterations: 6 }), node('b', 'scale', { factor })], [edge('src', 'loop'), edge('loop', 'b')]);
    runtime.setDocument(d(0.5));
    const older = runtime.run({ includeLong: true });
    await until(() => counters.iterations.length >= 1, 'the loop to start');
    runtime.setDocument(d(0.25));
    const newer = runtime.run({ includeLong: true });
    const [, statuses] = await Promise.all([older, newer]);
    expect(counters.runs.loop).toBe(1);
    expect(statuses.get('b')?.state).toBe('done');
    expect(counters.runs.b).toBe(1);
    expect((await pixels(runtime, 'b'))[0]).toBeCloseTo(0.125);
  });

  it('a pause lasts until the paused job ends, not into the next run', async () => {
    const { runtime, counters } = makeRuntime();
    runtime.setDocument(doc([node('src', 'fill'), node('loop', 'loop', { iterations: 2 })], [edge('src', 'loop')]));
    runtime.pause('loop');
    const first = runtime.run({ includeLong: true });
    await until(() => runtime.document.nodes.length > 0 && counters.runs.loop === 1, 'the paused job to start');
    runtime.step('loop');
    runtime.step('loop');
    expect((await first).get('loop')?.state).toBe('done');
    runtime.setDocument(doc([node('src', 'fill'), node('loop', 'loop', { iterations: 3 })], [edge('src', 'loop')]));
    expect((await runtime.run({ includeLong: true })).get('loop')?.state).toBe('done');
    expect(counters.iterations).toHaveLength(5);
  });
});

describe('GraphRuntime: status stream', () => {
  it('reports waiting, running with progress, then done with ms; a targeted long node runs without includeLong', async () => {
    const { runtime } = makeRuntime();
    const states: string[] = [];
    runtime.status$.subscribe((m) => {
      const s = m.get('loop');
      if (s && states.at(-1) !== s.state) states.push(s.state);
    });
    runtime.setDocument(doc([node('src', 'fill'), node('loop', 'loop', { iterations: 3 })], [edge('src', 'loop')]));
    const statuses = await runtime.run({ targets: ['loop'] });
    expect(states).toEqual(['idle', 'waiting', 'running', 'done']);
    const done = statuses.get('loop')!;
    expect(done.ms).toBeGreaterThan(0);
    expect(done.cached).toBe(false);
  });
});

describe('GraphRuntime: long node results kept for undo', () => {
  it('changing a long node param back reuses its earlier result; old results are freed past the limit', async () => {
    const { registry, counters } = fakeRegistry();
    const runtime = new GraphRuntime({ registry, env: testEnv, longResultsKept: 2 });
    runtimes.push(runtime);
    const baseline = tf.memory().numTensors;
    const d = (iterations: number) => doc([node('src', 'fill'), node('loop', 'loop', { iterations })], [edge('src', 'loop')]);
    for (const iterations of [1, 2, 1]) {
      runtime.setDocument(d(iterations));
      await runtime.run({ includeLong: true });
    }
    expect(counters.runs.loop).toBe(2);
    expect(runtime.getOutput('loop', 'image')).toBeInstanceOf(tf.Tensor);
    // src + two kept loop results.
    expect(tf.memory().numTensors).toBe(baseline + 3);
    runtime.setDocument(d(3));
    await runtime.run({ includeLong: true });
    expect(counters.runs.loop).toBe(3);
    expect(tf.memory().numTensors).toBe(baseline + 3);
    runtime.clearCache();
    expect(tf.memory().numTensors).toBe(baseline);
  });
});

describe('GraphRuntime: streams and edge cases', () => {
  it('live mode coalesces a burst of edits into one run', async () => {
    const { runtime, counters } = makeRuntime({ live: true });
    runtime.setDocument(chain(0.1));
    runtime.setDocument(chain(0.2));
    runtime.setDocument(chain(0.3));
    await until(() => runtime.getOutput('b', 'image') !== undefined, 'the live run');
    expect(counters.runs.a).toBe(1);
    expect((await pixels(runtime, 'a'))[0]).toBeCloseTo(0.24);
  });

  it('a bypassed node with nothing to pass through is an error on that node', async () => {
    const { runtime } = makeRuntime();
    runtime.setDocument(doc([node('src', 'fill', {}, { bypass: true })], []));
    const statuses = await runtime.run();
    expect(statuses.get('src')).toMatchObject({ state: 'error' });
    expect(statuses.get('src')?.error).toMatch(/bypassed node 'src' has no connected input/);
  });
});

describe('GraphRuntime: preview throttling', () => {
  it('passes at most one progress preview per interval, plus the final result', async () => {
    const { registry } = fakeRegistry();
    const runtime = new GraphRuntime({ registry, env: testEnv, previewIntervalMs: 600_000 });
    runtimes.push(runtime);
    const previews: PreviewImage[] = [];
    runtime.preview$.subscribe((p) => previews.push(p));
    runtime.setDocument(doc([node('src', 'fill'), node('loop', 'loop', { iterations: 5 })], [edge('src', 'loop')]));
    await runtime.run({ includeLong: true });
    await new Promise((r) => setTimeout(r, 20));
    // src: its final image; loop: the first of five progress previews, then its final image.
    expect(previews.map((p) => p.nodeId).sort()).toEqual(['loop', 'loop', 'src']);
    const baseline = tf.memory().numTensors;
    runtime.clearCache();
    expect(tf.memory().numTensors).toBe(baseline - 2);
  });
});
