/**
 * The banner over a graph opened from a share link or a dropped file: it runs (and fetches) nothing
 * until the user presses Run. It lists the URLs and local paths the graph would load, so the user
 * can judge before anything leaves the browser.
 */
import { useEditor, useMeta } from '../hooks';
import { formatKB } from '../store/link-images';

export function PausedBanner() {
  const editor = useEditor();
  const { paused } = useMeta();
  if (!paused) return null;
  const urls = paused.references.filter((r) => r.kind === 'url');
  const paths = paused.references.filter((r) => r.kind === 'path');
  const embedded = paused.embedded;
  const run = (
    <button className="primary" data-testid="paused-run" onClick={() => editor.allowRun()}>
      Run
    </button>
  );
  if (paused.kept) {
    return (
      <div className="paused-banner kept" data-testid="paused-banner" data-kept="true" role="status">
        <span>Paused: this graph came from a link or a file and runs nothing until you press Run.</span>
        {run}
      </div>
    );
  }
  return (
    <div className="paused-banner" data-testid="paused-banner" data-kept="false" role="alert">
      <div className="paused-text">
        <strong>This graph came from a link or a file, so it is paused.</strong> Nothing runs and nothing is
        fetched until you press Run.{' '}
        {paused.references.length === 0 ? 'It loads nothing from outside the editor (bundled samples only).' : 'It would load:'}
        {embedded.length > 0 && (
          <span data-testid="paused-embedded">
            {' '}It carries {embedded.length === 1 ? 'an image' : `${embedded.length} images`} inside itself (
            {embedded.map((e) => `${e.nodeId}.${e.param}, ${formatKB(e.bytes)}`).join('; ')}): read from the graph, nothing fetched.
          </span>
        )}
        {paused.references.length > 0 && (
          <ul data-testid="paused-references">
            {urls.map((r) => (
              <li key={`${r.nodeId}.${r.param}.${r.value}`} data-kind="url">
                URL <code>{r.value}</code> <span className="where">({r.nodeId}.{r.param})</span>
              </li>
            ))}
            {paths.map((r) => (
              <li key={`${r.nodeId}.${r.param}.${r.value}`} data-kind="path">
                local path <code>{r.value}</code> <span className="where">({r.nodeId}.{r.param})</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="paused-actions">
        {run}
        <button data-testid="paused-keep" onClick={() => editor.keepPaused()}>
          Keep paused
        </button>
      </div>
    </div>
  );
}
