/**
 * A node on the canvas: typed, coloured ports; inline params; status, progress, time, preview,
 * error; run controls for long nodes; "?" opens the node type's doc card.
 */
import { Handle, Position, useConnection, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { PortSpec } from '../../graph/types';
import { editorNodeRegistry } from '../../nodes/editor-registry';
import { formatDuration } from '../../runtime/time-left';
import { recordedNodePackages } from '../../graph/node-packages';
import { useConnectedPorts, useEditor, useEstimate, useGraphNode, useNodeStatus, useTimeLeft, useWiredSettings } from '../hooks';
import { describeWiredSetting } from '../../nodes/patch-wiring';
import { portColor, portTypes } from '../port-colors';
import { hasResultsArea, MAX_INLINE_PARAMS } from '../layout';
import { canConnect, setBypass } from '../store/graph-ops';
import { LossChart } from './LossChart';
import { NodePreview } from './NodePreview';
import { ParamWidget } from './ParamWidget';
import { RunControls } from './RunControls';


export const NodeCard = memo(function NodeCard({ id, selected }: NodeProps) {
  const editor = useEditor();
  const node = useGraphNode(id);
  const status = useNodeStatus(id);
  useConnectedPorts(id);
  const wired = useWiredSettings(id);
  if (!node) return null;
  const def = editorNodeRegistry.get(node.type);
  const provider = def ? undefined : recordedNodePackages(editor.store.getSnapshot().doc.meta).get(node.type);
  const state = status?.state ?? 'idle';
  const title = node.label ?? def?.title ?? node.type;
  const category = def?.category ?? 'missing';
  // Wired settings the inline params do not already show as wired.
  const inline = new Set(def?.params.slice(0, MAX_INLINE_PARAMS).map((p) => p.name));
  const offCard = [...wired.values()].filter((s) => !inline.has(s.name));

  return (
    <div
      className={`node-card state-${state} cat-${category.toLowerCase().replace(/\W+/g, '-')}${selected ? ' selected' : ''}${node.bypass ? ' bypassed' : ''}${def ? '' : ' missing'}`}
      data-testid={`node-${id}`}
      data-node-type={node.type}
      data-state={state}
      data-cached={status && editor.bridge.fromCache(id) ? 'true' : 'false'}
    >
      <div className="node-header">
        <span className={`status-dot ${state}`} title={state} />
        <span className="node-title" title={node.type}>{title}</span>
        {def && (
          <button className="icon" title="what this node does" data-testid={`doc-button-${id}`}
            onClick={() => editor.panels.set({ docType: node.type })}>?</button>
        )}
        <button className={`icon${node.bypass ? ' on' : ''}`} title="bypass (B)" data-testid={`bypass-${id}`}
          onClick={() => editor.store.edit((d) => setBypass(d, id, !node.bypass))}>⤼</button>
      </div>
      {!def && (
        <div className="node-error">
          Unknown node type '{node.type}': kept as it was, it cannot run.
          {provider && ` It comes from the node package '${provider}', which is not installed in this editor.`}
        </div>
      )}
      <div className="node-ports">
        <div className="inputs">
          {def?.inputs.map((p) => <PortRow key={p.name} nodeId={id} port={p} side="input" />)}
        </div>
        <div className="outputs">
          {def?.outputs.map((p) => <PortRow key={p.name} nodeId={id} port={p} side="output" />)}
        </div>
      </div>
      {def && def.params.length > 0 && (
        <div className="node-params">
          {def.params.slice(0, MAX_INLINE_PARAMS).map((spec) => (
            <ParamWidget key={spec.name} nodeId={id} spec={spec} value={node.params[spec.name]}
              onChange={(v) => editor.setParam(id, spec.name, v)} wired={wired.get(spec.name)} />
          ))}
          {def.params.length > MAX_INLINE_PARAMS && <div className="more">+{def.params.length - MAX_INLINE_PARAMS} more in the inspector</div>}
        </div>
      )}
      {offCard.length > 0 && (
        <div className="wired-settings" data-testid={`wired-${id}`} title="set by the wires into this node, not by its own params">
          {offCard.map((s) => <div key={s.name}>⇠ {describeWiredSetting(s)}</div>)}
        </div>
      )}
      {def && <RunControls nodeId={id} long={!!def.long} state={state} />}
      {def?.long && <TimeLine nodeId={id} state={state} />}
      {def && hasResultsArea(def) ? (
        // Fixed height, scrolling inside (the wheel scrolls it rather than zooming the canvas);
        // focusable, so the keyboard can scroll it too.
        <div className="card-results nowheel" data-testid={`results-${id}`} tabIndex={0} role="region" aria-label={`results of ${title}`}>
          <NodeStatusLine nodeId={id} />
          <NodePreview nodeId={id} type={node.type} />
          {def.long && <LossChart nodeId={id} compact />}
        </div>
      ) : (
        <>
          <NodeStatusLine nodeId={id} />
          <NodePreview nodeId={id} type={node.type} />
        </>
      )}
    </div>
  );
});

/** Before a run: how long it will take on this backend; while it runs: how long is left. */
export function TimeLine({ nodeId, state, testIdPrefix = '' }: { nodeId: string; state: string; testIdPrefix?: string }) {
  const estimate = useEstimate(nodeId);
  const left = useTimeLeft(nodeId);
  if (state === 'running' || state === 'paused') {
    return (
      <div className="time-line" data-testid={`${testIdPrefix}time-left-${nodeId}`}>
        {state === 'paused' ? 'paused: time left resumes with the run' : left === undefined ? 'timing the first iterations…' : `≈ ${formatDuration(left)} left`}
      </div>
    );
  }
  if (!estimate) return null;
  return (
    <div className="time-line" data-testid={`${testIdPrefix}estimate-${nodeId}`} title={estimate.detail}>
      {estimate.text}
    </div>
  );
}

function NodeStatusLine({ nodeId }: { nodeId: string }) {
  const editor = useEditor();
  const status = useNodeStatus(nodeId);
  if (!status) return null;
  const pct = status.progress !== undefined ? Math.round(status.progress * 100) : undefined;
  return (
    <div className="node-status" data-testid={`status-${nodeId}`}>
      {(status.state === 'running' || status.state === 'paused') && pct !== undefined && (
        <div className="progress" title={`${pct}%`}>
          <div className="bar" style={{ width: `${pct}%` }} />
        </div>
      )}
      <div className="status-text">
        <span data-testid={`state-${nodeId}`}>{status.state}{editor.bridge.fromCache(nodeId) ? ' (cached)' : ''}</span>
        {status.info?.message && <span className="msg">{status.info.message}</span>}
        {status.ms !== undefined && <span className="ms" data-testid={`ms-${nodeId}`}>{formatMs(status.ms)}</span>}
      </div>
      {status.error && <div className="node-error" data-testid={`error-${nodeId}`}>{status.error}</div>}
      {status.notes?.map((n, i) => <div key={i} className="node-note" data-testid={`note-${nodeId}`}>{n}</div>)}
      {status.warnings?.map((w, i) => <div key={i} className="node-warning">⚠ {w}</div>)}
    </div>
  );
}

function PortRow({ nodeId, port, side }: { nodeId: string; port: PortSpec; side: 'input' | 'output' }) {
  const editor = useEditor();
  const connection = useConnection();
  let dim = false;
  if (connection.inProgress && connection.fromHandle && connection.fromNode.id !== nodeId) {
    const from = { node: connection.fromNode.id, port: connection.fromHandle.id ?? '' };
    const here = { node: nodeId, port: port.name };
    const fromIsOutput = connection.fromHandle.type === 'source';
    // Only the opposite kind of port can take the wire; of those, only type-compatible ones.
    dim = fromIsOutput === (side === 'output') || !(fromIsOutput ? canConnect(editor.store.doc, from, here) : canConnect(editor.store.doc, here, from)).ok;
  }
  const types = portTypes(port.type);
  return (
    <div className={`port ${side}${dim ? ' incompatible' : ''}`} title={`${types.join(' | ')}${port.description ? `: ${port.description}` : ''}`}>
      <Handle
        type={side === 'input' ? 'target' : 'source'}
        position={side === 'input' ? Position.Left : Position.Right}
        id={port.name}
        style={{ background: portColor(port.type) }}
        data-testid={`handle-${nodeId}-${side}-${port.name}`}
      />
      <span className="port-name">{port.name}{port.optional ? '?' : ''}</span>
    </div>
  );
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
