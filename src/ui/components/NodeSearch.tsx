/**
 * Fuzzy node search (double-click, `/`, or a wire dropped in empty space). With a pending wire,
 * only node types with a compatible port are listed, and the new node is connected to it.
 */
import { useMemo, useState, type KeyboardEvent } from 'react';
import type { NodeDefinition } from '../../nodes/types';
import { editorNodeRegistry } from '../../nodes/editor-registry';
import { fuzzyFilter } from '../fuzzy';
import { useEditor, usePanels } from '../hooks';
import { portColor } from '../port-colors';
import { addNode, compatibleInputs, compatibleOutputs, connect } from '../store/graph-ops';
import type { SearchRequest } from '../store/panels';

interface Candidate {
  def: NodeDefinition;
  /** The port the pending wire goes to on the new node. */
  port?: string;
}

function candidates(req: SearchRequest): Candidate[] {
  const pending = req.pending;
  if (!pending) return editorNodeRegistry.list().map((def) => ({ def }));
  const matches = pending.end === 'source' ? pending.types.flatMap((t) => compatibleInputs(t)) : compatibleOutputs(pending.types);
  const seen = new Set<string>();
  const out: Candidate[] = [];
  for (const m of matches) {
    if (seen.has(m.spec.type)) continue;
    seen.add(m.spec.type);
    const def = editorNodeRegistry.get(m.spec.type);
    if (def) out.push({ def, port: m.port.name });
  }
  return out;
}

export function NodeSearch() {
  const editor = useEditor();
  const { search } = usePanels();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const list = useMemo(
    () => (search ? fuzzyFilter(query, candidates(search), (c) => `${c.def.title} ${c.def.type} ${c.def.category}`) : []),
    [search, query],
  );
  if (!search) return null;

  const close = () => {
    setQuery('');
    setActive(0);
    editor.panels.set({ search: undefined });
  };
  const pick = (c: Candidate) => {
    try {
      editor.store.edit((doc) => {
        const added = addNode(doc, c.def.type, search.position);
        const placed = editor.clearOfCards(added.doc, [added.id]);
        const p = search.pending;
        if (!p || !c.port) return placed;
        const here = { node: added.id, port: c.port };
        return p.end === 'source' ? connect(placed, p.port, here) : connect(placed, here, p.port);
      });
    } catch (e) {
      editor.toasts.show(e instanceof Error ? e.message : String(e), 'error');
    }
    close();
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') close();
    else if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, list.length - 1));
    else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
    else if (e.key === 'Enter' && list[active]) pick(list[active]);
    else return;
    e.preventDefault();
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div className="node-search" data-testid="node-search">
        <input autoFocus placeholder={search.pending ? `Nodes that take ${search.pending.types.join(' | ')}…` : 'Add a node…'}
          value={query} data-testid="node-search-input" onKeyDown={onKey}
          onChange={(e) => { setQuery(e.target.value); setActive(0); }} />
        <ul>
          {list.map((c, i) => (
            <li key={c.def.type} className={i === active ? 'active' : ''} data-testid={`search-item-${c.def.type}`}
              onMouseEnter={() => setActive(i)} onClick={() => pick(c)}>
              <span className="swatch" style={{ background: portColor(c.def.outputs[0]?.type ?? c.def.inputs[0]?.type ?? 'Number') }} />
              <span className="title">{c.def.title}</span>
              <span className="category">{c.def.category}{c.def.long ? ' · long' : ''}</span>
              <button className="icon" title="doc card" onClick={(e) => { e.stopPropagation(); editor.panels.set({ docType: c.def.type }); }}>?</button>
            </li>
          ))}
          {list.length === 0 && <li className="empty">No node matches.</li>}
        </ul>
      </div>
    </div>
  );
}
