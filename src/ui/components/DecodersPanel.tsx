/**
 * The Decoders panel: every decoder a name can mean here, yours (this browser) and the bundled ones,
 * with their texture, a photo decoded through each, and what they learnt from. Yours can be exported,
 * renamed and deleted; bundled ones are read-only (export only).
 */
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { INVERTER_EXPLANATION, INVERTER_LABEL, isInverterDecoder } from '../../formats/inverter-decoder';
import { trainingSummary } from '../decoder-summary';
import { useEditor, usePanels } from '../hooks';
import type { DecoderView } from '../store/decoder-shelf';
import { formatBytes } from './Toolbar';
import { DecoderThumbs } from './DecoderThumbs';

export function DecodersPanel() {
  const editor = useEditor();
  const { decoders: open } = usePanels();
  const [list, setList] = useState<DecoderView[]>();
  const [failure, setFailure] = useState<string>();
  const fileInput = useRef<HTMLInputElement>(null);
  const refresh = useCallback(() => {
    editor.decoderShelf.list().then(
      (l) => {
        setList(l);
        setFailure(undefined);
      },
      (e: unknown) => setFailure(e instanceof Error ? e.message : String(e)),
    );
  }, [editor]);
  useEffect(() => {
    if (!open) return;
    refresh();
    const unsubscribe = editor.subscribeDecoders(refresh);
    return () => void unsubscribe();
  }, [open, editor, refresh]);
  if (!open) return null;
  const close = () => editor.panels.set({ decoders: false });
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <section className="decoders-panel" data-testid="decoders-panel" role="dialog" aria-label="Decoders">
        <header>
          <h2>Decoders</h2>
          <button data-testid="decoders-import" onClick={() => fileInput.current?.click()}>Import .mgan…</button>
          <input ref={fileInput} type="file" accept=".mgan,application/octet-stream" hidden data-testid="decoders-import-input"
            onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void editor.importDecoder(f); }} />
          <button className="icon" title="close" onClick={close}>✕</button>
        </header>
        <p className="decoders-intro">
          A decoder paints a photo in the style of its texture in one pass (node <b>MGAN decoder</b>, param <code>decoder</code>).
          <b> Yours</b> are kept in this browser; <b>bundled</b> ones come with the site and are read-only (one of yours with the
          same name is used instead). To get one: train it with the <b>mgan-train</b> preset (the trainer's <code>saveAs</code>),
          import a <code>.mgan</code> file (here, or drop it on the canvas), or write one on the command line with{' '}
          <code>npx mgan-studio decoders export NAME</code>.
        </p>
        {failure && <p className="share-problem" data-testid="decoders-failure">Could not list the decoders: {failure}</p>}
        {list && list.length === 0 && <p className="empty" data-testid="decoders-empty">No decoder here yet: none of yours, none bundled with this site.</p>}
        <ul className="decoder-list">
          {list?.map((d) => <DecoderRow key={`${d.origin}:${d.name}`} entry={d} />)}
        </ul>
        <p className="decoders-intro muted">The second picture is the bundled photo “coffee” decoded through each decoder, made here on your backend.</p>
      </section>
    </div>
  );
}

function DecoderRow({ entry }: { entry: DecoderView }) {
  const editor = useEditor();
  const shelf = editor.decoderShelf;
  const [mode, setMode] = useState<'rename' | 'delete'>();
  const [newName, setNewName] = useState(entry.name);
  const testId = `decoder-${entry.origin}-${entry.name}`;
  const yours = entry.origin === 'yours';
  const rename = async () => {
    if (newName.trim() && (await shelf.rename(entry.name, newName))) setMode(undefined);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') void rename();
    else if (e.key === 'Escape') setMode(undefined);
    e.stopPropagation();
  };
  return (
    <li className={`decoder-row${entry.hidden ? ' hidden' : ''}`} data-testid={testId}>
      <DecoderThumbs entry={entry} testId={testId} />
      <div className="decoder-info">
        <div className="decoder-name">
          <strong>{entry.name}</strong>
          <span className={`badge ${entry.origin}`}>{yours ? 'yours' : 'bundled'}</span>
          {isInverterDecoder(entry.name) && <span className="badge note" data-testid={`${testId}-role`} title={INVERTER_EXPLANATION}>{INVERTER_LABEL}</span>}
          {entry.hidesBundled && <span className="badge note" data-testid={`${testId}-hides`} title="a bundled decoder has this name too; yours is the one used">hides the bundled one</span>}
          {entry.hidden && <span className="badge note" data-testid={`${testId}-hidden`} title="one of yours has this name, so this one is not used">hidden by yours</span>}
        </div>
        {entry.error ? (
          <div className="node-error">damaged: {entry.error}</div>
        ) : (
          entry.meta && (
            <>
              <div className="decoder-summary" data-testid={`${testId}-summary`}>{trainingSummary(entry.meta)}</div>
              <div className="decoder-details">
                made {entry.meta.createdAt.slice(0, 10)} · VGG19 {entry.meta.vggConvention}
                {entry.bytes !== undefined && ` · ${formatBytes(entry.bytes)} ${entry.quantization ?? 'float32'}`}
              </div>
            </>
          )
        )}
        {mode === 'rename' && (
          <div className="decoder-actions">
            <input autoFocus value={newName} data-testid={`${testId}-new-name`} onChange={(e) => setNewName(e.target.value)} onKeyDown={onKey} />
            <button className="primary" data-testid={`${testId}-rename-ok`} onClick={() => void rename()}>Rename</button>
            <button onClick={() => setMode(undefined)}>Cancel</button>
          </div>
        )}
        {mode === 'delete' && (
          <div className="decoder-actions confirm">
            <span>Delete your decoder '{entry.name}' from this browser for good?{entry.hidesBundled ? ' The bundled one of that name is used again.' : ''}</span>
            <button className="danger" data-testid={`${testId}-delete-ok`} onClick={() => void shelf.remove(entry.name)}>Delete</button>
            <button onClick={() => setMode(undefined)}>Keep</button>
          </div>
        )}
        {!mode && (
          <div className="decoder-actions">
            <button data-testid={`${testId}-export`} title="download it as one .mgan file" onClick={() => void shelf.export(entry.name)} disabled={!!entry.error || entry.hidden}>Export</button>
            {yours && <button data-testid={`${testId}-rename`} onClick={() => { setNewName(entry.name); setMode('rename'); }}>Rename</button>}
            {yours && <button data-testid={`${testId}-delete`} onClick={() => setMode('delete')}>Delete</button>}
            {!yours && <span className="muted">read-only</span>}
          </div>
        )}
      </div>
    </li>
  );
}
