import { useEditor, useToasts } from '../hooks';

export function Toasts() {
  const editor = useEditor();
  const toasts = useToasts();
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast ${t.kind}`} data-testid={`toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
          <span>{t.text}</span>
          <button className="icon" onClick={() => editor.toasts.dismiss(t.id)}>✕</button>
        </div>
      ))}
    </div>
  );
}
