/** Every node type by category: click to add at the centre of the view, "?" for its doc card. */
import { useReactFlow } from '@xyflow/react';
import { editorNodeRegistry } from '../../nodes/editor-registry';
import { useEditor } from '../hooks';
import { portColor } from '../port-colors';
import { frameItemId, graphNodeIds, noteItemId, parseItemId } from '../canvas-items';
import { addFrame, addNode, addNote } from '../store/graph-ops';

export function Palette() {
  const editor = useEditor();
  const rf = useReactFlow();
  const byCategory = new Map<string, ReturnType<typeof editorNodeRegistry.list>>();
  for (const def of editorNodeRegistry.list()) byCategory.set(def.category, [...(byCategory.get(def.category) ?? []), def]);
  const add = (type: string) => {
    const el = document.querySelector('.canvas');
    const r = el?.getBoundingClientRect();
    const position = rf.screenToFlowPosition({ x: (r?.left ?? 0) + (r?.width ?? 600) / 2 - 100, y: (r?.top ?? 0) + (r?.height ?? 400) / 2 - 60 });
    editor.store.edit((d) => {
      const added = addNode(d, type, position);
      return editor.clearOfCards(added.doc, [added.id]);
    });
  };
  return (
    <nav className="palette" data-testid="palette">
      {[...byCategory].map(([category, defs]) => (
        <section key={category}>
          <h3>{category}</h3>
          {defs.map((def) => (
            <div key={def.type} className="palette-item">
              <button className="add" data-testid={`palette-${def.type}`} title={`add ${def.title}`} onClick={() => add(def.type)}>
                <span className="swatch" style={{ background: portColor(def.outputs[0]?.type ?? def.inputs[0]?.type ?? 'Number') }} />
                {def.title}
              </button>
              <button className="icon" title="doc card" data-testid={`palette-doc-${def.type}`} onClick={() => editor.panels.set({ docType: def.type })}>?</button>
            </div>
          ))}
        </section>
      ))}
      <AnnotationButtons />
      <p className="hint">Double-click the canvas or press <kbd>/</kbd> to search.</p>
    </nav>
  );
}

/** Note at the centre of the view; Frame around the selected nodes and notes (or empty, at the centre). Neither runs. */
function AnnotationButtons() {
  const editor = useEditor();
  const rf = useReactFlow();
  const centre = () => {
    const r = document.querySelector('.canvas')?.getBoundingClientRect();
    return rf.screenToFlowPosition({ x: (r?.left ?? 0) + (r?.width ?? 600) / 2, y: (r?.top ?? 0) + (r?.height ?? 400) / 2 });
  };
  const note = () => {
    const c = centre();
    let id = '';
    if (editor.tryEdit((d) => {
      const r = addNote(d, { x: Math.round(c.x - 130), y: Math.round(c.y - 40) });
      id = r.id;
      return r.doc;
    })) editor.store.setSelection([noteItemId(id)]);
  };
  const frame = () => {
    const selected = editor.store.getSnapshot().selection.filter((s) => parseItemId(s).kind !== 'frame');
    const boxes = rf.getNodes().filter((n) => selected.includes(n.id)).map((n) => ({ x: n.position.x, y: n.position.y, w: n.measured?.width ?? 230, h: n.measured?.height ?? 120 }));
    const c = centre();
    const pad = 24;
    const rect = boxes.length
      ? {
          x: Math.min(...boxes.map((b) => b.x)) - pad,
          y: Math.min(...boxes.map((b) => b.y)) - pad - 28,
          width: Math.max(...boxes.map((b) => b.x + b.w)) - Math.min(...boxes.map((b) => b.x)) + 2 * pad,
          height: Math.max(...boxes.map((b) => b.y + b.h)) - Math.min(...boxes.map((b) => b.y)) + 2 * pad + 28,
        }
      : { x: c.x - 200, y: c.y - 150, width: 400, height: 300 };
    const notes = selected.filter((s) => parseItemId(s).kind === 'note').map((s) => parseItemId(s).id);
    let id = '';
    if (editor.tryEdit((d) => {
      const r = addFrame(d, rect, { nodes: graphNodeIds(selected), notes });
      id = r.id;
      return r.doc;
    })) editor.store.setSelection([frameItemId(id)]);
  };
  return (
    <section>
      <h3>Annotate</h3>
      <div className="palette-item">
        <button className="add" data-testid="add-note" title="a markdown note on the canvas (never runs)" onClick={note}>
          <span className="swatch" style={{ background: '#fff3b0' }} />Note
        </button>
      </div>
      <div className="palette-item">
        <button className="add" data-testid="add-frame" title="a titled frame around the selected nodes: moving it moves them" onClick={frame}>
          <span className="swatch" style={{ background: '#4c7bd9' }} />Frame around selection
        </button>
      </div>
    </section>
  );
}

