/** Run-to-here for every node; run / pause / step / stop for long nodes. */
import type { NodeState } from '../../runtime/types';
import { useEditor } from '../hooks';

export function RunControls({ nodeId, long, state, testIdPrefix = '' }: { nodeId: string; long: boolean; state: NodeState; testIdPrefix?: string }) {
  const editor = useEditor();
  const active = state === 'running' || state === 'paused' || state === 'waiting';
  return (
    <div className="run-controls nodrag">
      <button title={long ? 'run (with everything it needs)' : 'run to here'} data-testid={`${testIdPrefix}run-${nodeId}`}
        disabled={state === 'running'} onClick={() => (state === 'paused' ? editor.resume(nodeId) : editor.run(nodeId))}>
        {long ? '▶' : '▶ here'}
      </button>
      {long && (
        <>
          <button title="pause" data-testid={`${testIdPrefix}pause-${nodeId}`} disabled={state !== 'running'} onClick={() => editor.pause(nodeId)}>❚❚</button>
          <button title="one iteration" data-testid={`${testIdPrefix}step-${nodeId}`} disabled={state !== 'paused'} onClick={() => editor.step(nodeId)}>▶❚</button>
          <button title="stop" data-testid={`${testIdPrefix}stop-${nodeId}`} disabled={!active} onClick={() => editor.stop(nodeId)}>■</button>
        </>
      )}
    </div>
  );
}
