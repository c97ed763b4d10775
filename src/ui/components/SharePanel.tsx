/**
 * The share dialog: Copy share link opens it when a node holds a photo dropped in this browser, which
 * a plain link cannot carry. It says so per node and offers the link with small copies embedded.
 */
import { useEffect, useState } from 'react';
import { useEditor, usePanels } from '../hooks';
import { formatKB, type SharePlan } from '../store/link-images';

export function SharePanel() {
  const editor = useEditor();
  const { share } = usePanels();
  const [plan, setPlan] = useState<SharePlan>();
  const [failure, setFailure] = useState<string>();
  useEffect(() => {
    if (!share) return;
    let live = true;
    setPlan(undefined);
    setFailure(undefined);
    editor.planShare().then(
      (p) => live && setPlan(p),
      (e: unknown) => live && setFailure(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [share, editor]);
  if (!share) return null;
  const close = () => editor.panels.set({ share: false });
  const copy = (url: string) => {
    void editor.copyLink(url);
    close();
  };
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <section className="share-dialog" data-testid="share-dialog" role="dialog" aria-label="Share link">
        <header>
          <h2>Copy share link</h2>
          <button className="icon" title="close" onClick={close}>✕</button>
        </header>
        <p className="share-warning" data-testid="share-warning">
          A photo dropped on the canvas stays in this browser: a plain link carries only its name, so whoever opens it
          gets the node without its photo. The link can carry small copies instead, inside the link itself (nothing is
          uploaded, and the receiver's editor fetches nothing to show them).
        </p>
        {!plan && !failure && <p className="muted" data-testid="share-planning">Preparing small copies…</p>}
        {failure && <p className="share-failure" data-testid="share-failure">Could not prepare the copies: {failure}</p>}
        {plan && (
          <ul className="share-files">
            {plan.files.map((f) => (
              <li key={f.nodeId} data-testid={`share-file-${f.nodeId}`} data-status={f.status}>
                <strong>{f.nodeId}</strong>
                {f.original && (
                  <span className="muted"> · {f.original.width}×{f.original.height} {f.original.type.replace('image/', '').toUpperCase()}, {formatKB(f.original.bytes)}</span>
                )}
                <div className={f.status === 'embedded' ? 'share-ok' : 'share-problem'}>{f.message}</div>
              </li>
            ))}
          </ul>
        )}
        {plan?.noEmbedReason && <p className="share-problem" data-testid="share-no-embed">No link with photos: {plan.noEmbedReason}.</p>}
        <div className="share-actions">
          <button className="primary" data-testid="share-copy-embedded" disabled={!plan?.embeddedUrl} onClick={() => plan?.embeddedUrl && copy(plan.embeddedUrl)}>
            Copy link with the photos{plan?.embeddedUrl ? ` (${formatKB(plan.embeddedUrl.length)})` : ''}
          </button>
          <button data-testid="share-copy-plain" disabled={!plan} onClick={() => plan && copy(plan.plainUrl)}>
            Copy without them{plan ? ` (${formatKB(plan.plainUrl.length)})` : ''}
          </button>
          <button data-testid="share-cancel" onClick={close}>Cancel</button>
        </div>
      </section>
    </div>
  );
}
