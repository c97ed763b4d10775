/** Graph name and menu, undo/redo, run/stop, import/export/share/save image, gallery, backend and memory. */
import { useEffect, useRef, useState } from 'react';
import type { TensorMemory } from '../../runtime/memory';
import { formatDuration } from '../../runtime/time-left';
import { nextChoice, setThemeChoice, useTheme } from '../theme';
import { editorNodeRegistry } from '../../nodes/editor-registry';
import { useEditor, useEditorSlice, useMeta, useNodeStatus, useRuntimeBusy } from '../hooks';
import { BACKEND_LABEL } from '../store/editor';
import { PresentButton } from './PresentMode';
import { RunControls } from './RunControls';
import { DocumentSweepButton } from './Sweeps';


export function Toolbar() {
  const editor = useEditor();
  const meta = useMeta();
  const canUndo = useEditorSlice((s) => s.canUndo);
  const canRedo = useEditorSlice((s) => s.canRedo);
  const busy = useRuntimeBusy();
  const fileInput = useRef<HTMLInputElement>(null);
  return (
    <header className="toolbar" data-testid="toolbar">
      <h1 className="brand">MGAN Studio</h1>
      <GraphMenu />
      <div className="group">
        <button data-testid="undo" disabled={!canUndo} title="undo (Ctrl+Z)" onClick={() => editor.store.undo()}>↶</button>
        <button data-testid="redo" disabled={!canRedo} title="redo (Ctrl+Shift+Z)" onClick={() => editor.store.redo()}>↷</button>
      </div>
      <div className="group">
        <button data-testid="tidy" title="lay the graph out in columns (undo restores it)" onClick={() => editor.tidy()}>Tidy</button>
        <button data-testid="run-all" title="run every output, long nodes included" onClick={() => editor.run()}>▶ Run all</button>
        <RunAllEta />
        <button data-testid="stop-all" disabled={!busy} title="stop every running node" onClick={() => editor.stop()}>■ Stop</button>
        <DocumentSweepButton />
      </div>
      <SelectedRunControls />
      <div className="group">
        <button data-testid="open-gallery" onClick={() => editor.panels.set({ gallery: true })}>Presets</button>
        <PresentButton />
        <button data-testid="import" title="open a .json graph or a PNG saved here, or store a trained decoder (.mgan)" onClick={() => fileInput.current?.click()}>Import</button>
        <input ref={fileInput} type="file" accept=".json,application/json,image/png,.mgan" hidden data-testid="import-input"
          onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void editor.importFile(f); }} />
        <button data-testid="export" onClick={() => editor.exportJson()}>Export .json</button>
        <button data-testid="share" onClick={() => void editor.copyShareLink()}>Copy share link</button>
        <button data-testid="save-image" title="PNG of the selected (or output) preview, with the graph inside" onClick={() => void editor.saveImage()}>Save image</button>
        <button data-testid="open-versions" onClick={() => editor.panels.set({ versions: true })}>Versions</button>
        <button data-testid="open-decoders" title="trained decoders: yours and the bundled ones" onClick={() => editor.panels.set({ decoders: true })}>Decoders</button>
      </div>
      <span className="spacer" />
      <span className="backend" data-testid="backend" data-backend={meta.backend?.name ?? ''} data-threads={meta.backend?.threads ?? ''}
        title={[meta.backend?.fallbackReason, meta.backend?.threadsReason].filter(Boolean).join('\n')}>
        {meta.backend ? BACKEND_LABEL[meta.backend.name] : '…'}
        {meta.backend?.threads && <span className="threads" data-testid="backend-threads"> · {meta.backend.threads} thread{meta.backend.threads > 1 ? 's' : ''}{meta.backend.threadsReason ? ` (${meta.backend.threadsReason})` : ''}</span>}
        {meta.backend?.fallbackReason && <span className="fallback"> (fallback: {meta.backend.fallbackReason})</span>}
      </span>
      <MemoryGauge />
      <ThemeToggle />
    </header>
  );
}

/** Pause / step / stop for the selected long node, next to Run all. */
function SelectedRunControls() {
  const selection = useEditorSlice((s) => s.selection);
  const doc = useEditorSlice((s) => s.doc);
  const id = selection.length === 1 ? selection[0]! : undefined;
  const node = id ? doc.nodes.find((n) => n.id === id) : undefined;
  const status = useNodeStatus(id ?? '');
  if (!id || !node || !editorNodeRegistry.get(node.type)?.long) return null;
  return (
    <div className="group" data-testid="toolbar-node-controls" title={`controls of '${id}'`}>
      <RunControls nodeId={id} long state={status?.state ?? 'idle'} testIdPrefix="toolbar-" />
    </div>
  );
}

/** Run all's total time: before it runs, the long nodes' estimates; while it runs, what is left. */
function RunAllEta() {
  const editor = useEditor();
  const busy = useRuntimeBusy();
  const doc = useEditorSlice((s) => s.doc);
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, []);
  void doc;
  const seconds = editor.runAllSeconds();
  if (seconds === undefined) return null;
  return (
    <span className="eta" data-testid="run-all-eta" title="Run all: every long node's estimate, or its time left while it runs">
      {busy ? `≈ ${formatDuration(seconds * 1000)} left in all` : `all ≈ ${formatDuration(seconds * 1000)}`}
    </span>
  );
}

/** Light or dark: follows the system until clicked; each click cycles system → the other → system. */
function ThemeToggle() {
  const { choice, theme } = useTheme();
  const label = choice === 'system' ? `theme: ${theme} (as the system)` : `theme: ${theme} (chosen here)`;
  return (
    <button className="icon" data-testid="theme-toggle" data-theme-choice={choice} title={`${label}; click to change`} aria-label={label}
      onClick={() => setThemeChoice(nextChoice(choice))}>
      {theme === 'light' ? '☀' : '☾'}
    </button>
  );
}

function MemoryGauge() {
  const editor = useEditor();
  const [mem, setMem] = useState<TensorMemory>();
  useEffect(() => {
    const poll = () => setMem(editor.runtime.memory?.());
    poll();
    const t = setInterval(poll, 1000);
    return () => clearInterval(t);
  }, [editor]);
  if (!mem) return null;
  return (
    <span className="memory" data-testid="memory" title="TensorFlow.js tensors held (the runtime's cache and running nodes)">
      {mem.numTensors} tensors · {formatBytes(mem.gpuBytes ?? mem.numBytes)}{mem.gpuBytes !== undefined ? ' GPU' : ''}
    </span>
  );
}

function GraphMenu() {
  const editor = useEditor();
  const meta = useMeta();
  const [open, setOpen] = useState(false);
  return (
    <div className="graph-menu">
      <input className="graph-name" data-testid="graph-name" value={meta.graphName} title="graph name" aria-label="graph name"
        onChange={(e) => void editor.rename(e.target.value)} />
      <button data-testid="graphs-button" onClick={() => setOpen(!open)} title="saved graphs">▾</button>
      {open && (
        <div className="menu" data-testid="graphs-menu" onMouseLeave={() => setOpen(false)}>
          <button data-testid="new-graph" onClick={() => { editor.newGraph(); setOpen(false); }}>+ New graph</button>
          {meta.saved.map((g) => (
            <div key={g.id} className={`menu-item${g.id === meta.graphId ? ' current' : ''}`}>
              <button className="open" data-testid={`open-graph-${g.id}`} onClick={() => { void editor.openSaved(g.id); setOpen(false); }}>
                {g.name} <small>{new Date(g.updatedAt).toLocaleString()}</small>
              </button>
              {g.id !== meta.graphId && <button className="icon" title="delete" onClick={() => void editor.deleteSaved(g.id)}>🗑</button>}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

export function formatBytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KB` : n < 1024 ** 3 ? `${(n / 1024 ** 2).toFixed(1)} MB` : `${(n / 1024 ** 3).toFixed(2)} GB`;
}
