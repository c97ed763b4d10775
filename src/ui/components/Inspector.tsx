/** The selected node in full: label, every parameter, status, a larger preview and the loss chart. */
import { nodeRegistry } from '../../nodes/registry';
import { useEditor, useEditorState, useGraphNode, useNodeStatus } from '../hooks';
import { setLabel } from '../store/graph-ops';
import { LossChart } from './LossChart';
import { formatMs, TimeLine } from './NodeCard';
import { NodePreview } from './NodePreview';
import { ParamWidget } from './ParamWidget';
import { RunControls } from './RunControls';

export function Inspector() {
  const { selection } = useEditorState();
  return (
    <aside className="inspector" data-testid="inspector">
      {selection.length === 1 ? (
        <NodeInspector nodeId={selection[0]!} />
      ) : (
        <div className="empty">
          {selection.length > 1 ? `${selection.length} nodes selected.` : 'Select a node to see all its parameters.'}
        </div>
      )}
    </aside>
  );
}

function NodeInspector({ nodeId }: { nodeId: string }) {
  const editor = useEditor();
  const node = useGraphNode(nodeId);
  const status = useNodeStatus(nodeId);
  if (!node) return null;
  const def = nodeRegistry.get(node.type);
  return (
    <div data-testid={`inspector-${nodeId}`}>
      <header>
        <h2>{def?.title ?? node.type}</h2>
        {def && <button className="icon" title="doc card" data-testid="inspector-doc" onClick={() => editor.panels.set({ docType: node.type })}>?</button>}
      </header>
      <div className="node-id">{nodeId} · {node.type}@{node.version}</div>
      <label className="param">
        <span className="param-label">label</span>
        <input type="text" value={node.label ?? ''} placeholder={def?.title}
          onChange={(e) => editor.store.edit((d) => setLabel(d, nodeId, e.target.value || undefined), `label:${nodeId}`)} />
      </label>
      {def?.params.map((spec) => (
        <ParamWidget key={spec.name} nodeId={`inspector-${nodeId}`} spec={spec} value={node.params[spec.name]}
          onChange={(v) => editor.setParam(nodeId, spec.name, v)} />
      ))}
      {def && <RunControls nodeId={nodeId} long={!!def.long} state={status?.state ?? 'idle'} testIdPrefix="inspector-" />}
      {def?.long && <TimeLine nodeId={nodeId} state={status?.state ?? 'idle'} testIdPrefix="inspector-" />}
      <div className="status-block">
        <div>state: <b>{status?.state ?? 'idle'}</b>{status?.cached ? ' (from cache)' : ''}{status?.ms !== undefined ? ` · ${formatMs(status.ms)}` : ''}</div>
        {status?.info?.message && <div>{status.info.message}</div>}
        {status?.error && <div className="node-error">{status.error}</div>}
      </div>
      <NodePreview nodeId={nodeId} type={node.type} />
      {def?.long && (
        <>
          <h3>Losses</h3>
          <LossChart nodeId={nodeId} />
        </>
      )}
    </div>
  );
}
