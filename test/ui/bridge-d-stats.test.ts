/** The editor's runtime bridge keeps D's statistics per iteration from the patch scores a long node reports. */
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { dScoreStats } from '../../src/nodes/d-score-stats';
import type { GraphRuntimeApi, NodeStatus, PreviewImage } from '../../src/runtime/types';
import { RuntimeBridge } from '../../src/ui/store/runtime-bridge';

function bridge() {
  const status$ = new Subject<Map<string, NodeStatus>>();
  const runtime = { status$, preview$: new Subject<PreviewImage>() } as unknown as GraphRuntimeApi;
  const b = new RuntimeBridge(runtime);
  const report = (state: NodeStatus['state'], iteration?: number, values?: number[]) =>
    status$.next(new Map([['mdan', { nodeId: 'mdan', state, info: iteration === undefined ? undefined : { iteration, extra: values && { patchScores: { rows: 1, cols: values.length, values } } } }]]));
  return { b, report };
}

describe("the bridge's D statistics", () => {
  it('adds one point per iteration, computed from its scores, and keeps them after the run', () => {
    const { b, report } = bridge();
    report('running', 1, [-3, 1]);
    report('running', 1, [-3, 1]); // the same report again (a preview, a progress tick)
    report('running', 2, [-5, -1, 2]);
    report('done');
    expect(b.dStats('mdan').map((p) => p.iteration)).toEqual([1, 2]);
    expect(b.dStats('mdan')[1]!.stats).toEqual(dScoreStats([-5, -1, 2]));
  });

  it('starts again with a new run, ignores reports without scores, and forgets removed nodes', () => {
    const { b, report } = bridge();
    report('running', 1, [-3]);
    report('done');
    report('running', 1, [4]);
    expect(b.dStats('mdan').map((p) => p.stats.max)).toEqual([4]);
    report('running', 2);
    expect(b.dStats('mdan')).toHaveLength(1);
    b.forget(new Set());
    expect(b.dStats('mdan')).toEqual([]);
  });
});
