/** "Restore earlier version": the autosaved snapshots of the open graph, newest first. */
import { useEffect, useState } from 'react';
import { useEditor, useMeta, usePanels } from '../hooks';
import type { Snapshot } from '../store/persistence';
import { describeChange } from '../store/version-titles';
import { GraphThumbnail } from './PresetsGallery';

export function VersionsPanel() {
  const editor = useEditor();
  const { versions } = usePanels();
  const meta = useMeta();
  const [snaps, setSnaps] = useState<Snapshot[]>([]);
  useEffect(() => {
    if (versions) void editor.snapshots().then(setSnaps);
  }, [versions, editor, meta]);
  if (!versions) return null;
  const before = editor.graphBefore(meta.graphId);
  const close = () => editor.panels.set({ versions: false });
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <section className="versions" data-testid="versions">
        <header>
          <h2>Earlier versions of “{meta.graphName}”</h2>
          <button className="icon" onClick={close}>✕</button>
        </header>
        <ol>
          {snaps.map((s, i) => (
            <li key={s.at + ':' + i} className="version" data-testid={`version-${i}`}>
              <GraphThumbnail doc={s.doc} width={88} height={48} />
              <span className="version-text">
                <span className="version-title" data-testid={`version-title-${i}`}>{describeChange(snaps[i + 1]?.doc, s.doc)}</span>
                <span className="version-when">{new Date(s.at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' })} · {s.nodeCount} nodes · {s.doc.edges.length} edges</span>
              </span>
              <button data-testid={`restore-${i}`} disabled={i === 0} onClick={() => { editor.restore(s); close(); }}>
                {i === 0 ? 'current' : 'restore'}
              </button>
            </li>
          ))}
          {snaps.length === 0 && <li className="empty">No versions saved yet.</li>}
          {before && (
            <li className="before-link" data-testid="version-before-link">
              <span>before the share link: “{before.name}”</span>
              <button data-testid="open-before-link" onClick={() => { void editor.openSaved(before.id); close(); }}>open</button>
            </li>
          )}
        </ol>
      </section>
    </div>
  );
}
