/** The selected node in full: label, every parameter, status, a larger preview and the loss chart. */
import { editorNodeRegistry } from '../../nodes/editor-registry';
import { parseItemId } from '../canvas-items';
import { useEditor, useEditorSlice, useGraphNode, useHeatmapScale, useNodeStatus, useWiredSettings } from '../hooks';
import type { HeatmapScaleMode } from '../heatmap';
import { FRAME_COLORS, MAX_FRAME_TITLE, MAX_NOTE_TEXT, setFrameColor, setFrameTitle, setLabel, setNoteText } from '../store/graph-ops';
import { useFrame, useNote } from './Annotations';
import { LossChart } from './LossChart';
import { formatMs, TimeLine } from './NodeCard';
import { NodePreview } from './NodePreview';
import { ParamWidget } from './ParamWidget';
import { RunControls } from './RunControls';
import { SweepForm } from './Sweeps';

export function Inspector() {
  const selection = useEditorSlice((s) => s.selection);
  return (
    <aside className="inspector" data-testid="inspector">
      {selection.length === 1 ? (
        <ItemInspector itemId={selection[0]!} />
      ) : (
        <div className="empty">
          {selection.length > 1 ? `${selection.length} nodes selected.` : 'Select a node to see all its parameters.'}
        </div>
      )}
    </aside>
  );
}

function ItemInspector({ itemId }: { itemId: string }) {
  const { kind, id } = parseItemId(itemId);
  if (kind === 'note') return <NoteInspector noteId={id} />;
  if (kind === 'frame') return <FrameInspector frameId={id} />;
  return <NodeInspector nodeId={id} />;
}

function NoteInspector({ noteId }: { noteId: string }) {
  const editor = useEditor();
  const note = useNote(noteId);
  if (!note) return null;
  return (
    <div data-testid={`inspector-note-${noteId}`}>
      <header><h2>Note</h2></header>
      <div className="node-id">{noteId} · markdown, shown on the canvas; never runs</div>
      <textarea className="note-text" data-testid="note-text" rows={12} maxLength={MAX_NOTE_TEXT} value={note.text}
        onChange={(e) => editor.tryEdit((d) => setNoteText(d, noteId, e.target.value), `note:${noteId}`)} />
      <small className="hint">{note.text.length} / {MAX_NOTE_TEXT} characters · **bold**, *italic*, `code`, - lists, [links](https://…)</small>
    </div>
  );
}

function FrameInspector({ frameId }: { frameId: string }) {
  const editor = useEditor();
  const frame = useFrame(frameId);
  if (!frame) return null;
  return (
    <div data-testid={`inspector-frame-${frameId}`}>
      <header><h2>Frame</h2></header>
      <div className="node-id">{frameId} · holds {frame.nodes.length} nodes and {frame.notes.length} notes; drag its title to move them all</div>
      <label className="param">
        <span className="param-label">title</span>
        <input type="text" data-testid="frame-title" maxLength={MAX_FRAME_TITLE} value={frame.title}
          onChange={(e) => editor.tryEdit((d) => setFrameTitle(d, frameId, e.target.value), `frame-title:${frameId}`)} />
      </label>
      <div className="param">
        <span className="param-label">colour</span>
        <div className="frame-colors">
          {FRAME_COLORS.map((c) => (
            <button key={c} className={`swatch-button${frame.color === c ? ' on' : ''}`} style={{ background: c }} title={c}
              data-testid={`frame-color-${c.slice(1)}`} onClick={() => editor.tryEdit((d) => setFrameColor(d, frameId, c))} />
          ))}
        </div>
      </div>
    </div>
  );
}

function NodeInspector({ nodeId }: { nodeId: string }) {
  const editor = useEditor();
  const node = useGraphNode(nodeId);
  const status = useNodeStatus(nodeId);
  const wired = useWiredSettings(nodeId);
  if (!node) return null;
  const def = editorNodeRegistry.get(node.type);
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
          onChange={(v) => editor.setParam(nodeId, spec.name, v)} wired={wired.get(spec.name)} />
      ))}
      {def && <RunControls nodeId={nodeId} long={!!def.long} state={status?.state ?? 'idle'} testIdPrefix="inspector-" />}
      {def?.long && <TimeLine nodeId={nodeId} state={status?.state ?? 'idle'} testIdPrefix="inspector-" />}
      {def && <SweepForm key={nodeId} nodeId={nodeId} def={def} />}
      <div className="status-block">
        <div>state: <b>{status?.state ?? 'idle'}</b>{status && editor.bridge.fromCache(nodeId) ? ' (from cache)' : ''}{status?.ms !== undefined ? ` · ${formatMs(status.ms)}` : ''}</div>
        {status?.info?.message && <div>{status.info.message}</div>}
        {status?.error && <div className="node-error">{status.error}</div>}
      </div>
      <NodePreview nodeId={nodeId} type={node.type} large />
      {editor.bridge.extra(nodeId)?.patchScores !== undefined && <HeatmapScaleSelect />}
      {def?.long && (
        <>
          <h3>Losses</h3>
          <LossChart nodeId={nodeId} />
        </>
      )}
    </div>
  );
}

/** The heatmap's colour scale, for every MDAN card: follows the iteration's scores, or fixed. */
function HeatmapScaleSelect() {
  const editor = useEditor();
  const mode = useHeatmapScale();
  return (
    <label className="param" title="how D's heatmap colours its scores, on every card">
      <span className="param-label">heatmap</span>
      <select data-testid="inspector-heatmap-scale" value={mode} onChange={(e) => editor.heatmapScale.set(e.target.value as HeatmapScaleMode)}>
        <option value="run">follows the scores</option>
        <option value="fixed">fixed −2 … +2</option>
      </select>
    </label>
  );
}
