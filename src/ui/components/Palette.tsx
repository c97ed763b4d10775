/** Every node type by category: click to add at the centre of the view, "?" for its doc card. */
import { useReactFlow } from '@xyflow/react';
import { nodeRegistry } from '../../nodes/registry';
import { useEditor } from '../hooks';
import { portColor } from '../port-colors';
import { addNode } from '../store/graph-ops';

export function Palette() {
  const editor = useEditor();
  const rf = useReactFlow();
  const byCategory = new Map<string, ReturnType<typeof nodeRegistry.list>>();
  for (const def of nodeRegistry.list()) byCategory.set(def.category, [...(byCategory.get(def.category) ?? []), def]);
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
      <p className="hint">Double-click the canvas or press <kbd>/</kbd> to search.</p>
    </nav>
  );
}
