/** A node type's doc card: what it does and why (from `def.doc`), its ports and what each parameter changes. */
import { editorNodeRegistry } from '../../nodes/editor-registry';
import { useEditor, usePanels } from '../hooks';
import { portColor, portTypes } from '../port-colors';
import { Markdown } from './Markdown';

export function DocCard() {
  const editor = useEditor();
  const { docType } = usePanels();
  if (!docType) return null;
  const def = editorNodeRegistry.get(docType);
  const close = () => editor.panels.set({ docType: undefined });
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <article className="doc-card" data-testid="doc-card">
        <header>
          <h2>{def?.title ?? docType}</h2>
          <span className="category">{def?.category}{def?.long ? ' · long-running' : ''}</span>
          <button className="icon" onClick={close} title="close">✕</button>
        </header>
        {!def ? (
          <p>Unknown node type '{docType}'.</p>
        ) : (
          <>
            <Markdown source={def.doc} />
            <h3>Ports</h3>
            <ul className="ports">
              {def.inputs.map((p) => (
                <li key={`in-${p.name}`}><span className="swatch" style={{ background: portColor(p.type) }} /> in <b>{p.name}</b> ({portTypes(p.type).join(' | ')}{p.optional ? ', optional' : ''}){p.description ? `: ${p.description}` : ''}</li>
              ))}
              {def.outputs.map((p) => (
                <li key={`out-${p.name}`}><span className="swatch" style={{ background: portColor(p.type) }} /> out <b>{p.name}</b> ({portTypes(p.type).join(' | ')}){p.description ? `: ${p.description}` : ''}</li>
              ))}
            </ul>
            {def.params.length > 0 && (
              <>
                <h3>Parameters</h3>
                <dl className="params">
                  {def.params.map((p) => (
                    <div key={p.name}>
                      <dt>{p.label ?? p.name} <span className="default">default {String(p.default)}{p.type === 'number' && p.min !== undefined && p.max !== undefined ? `, ${p.min}–${p.max}` : ''}</span></dt>
                      <dd>{p.description}</dd>
                    </div>
                  ))}
                </dl>
              </>
            )}
          </>
        )}
      </article>
    </div>
  );
}
