/**
 * Present mode: a graph's frames as slides, for projecting the paper's argument step by step. The
 * toolbar, palette and inspector give way to the canvas and a column with the slide's title and its
 * notes in large type; ◀ ▶ (or the arrow keys, Page Up/Down, Space) step, Home/End jump, Esc leaves.
 * The camera moves to each frame (the first slide shows the whole graph). Editing keys do nothing
 * while presenting, so a stray Backspace never deletes a node in front of a class.
 */
import { useReactFlow } from '@xyflow/react';
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { useEditor, useEditorSlice, useMeta } from '../hooks';
import { presentationSlides, presentKeyAction, slideAfter, type PresentAction } from '../slides';
import { Markdown } from './Markdown';

/** The slide shown, or undefined when not presenting. */
export function usePresenting(): number | undefined {
  const { panels } = useEditor();
  return useSyncExternalStore(panels.subscribe, () => panels.getSnapshot().present);
}

export function usePresentationSlides() {
  const doc = useEditorSlice((s) => s.doc);
  const { graphName } = useMeta();
  return useMemo(() => presentationSlides(doc, graphName), [doc, graphName]);
}

/** The toolbar's button: present the graph's frames (off when it has none). */
export function PresentButton() {
  const editor = useEditor();
  const slides = usePresentationSlides();
  return (
    <button data-testid="present" disabled={!slides.length}
      title={slides.length ? `present the graph's ${slides.length - 1} frames as slides (arrows step, Esc leaves)` : 'present mode shows a graph\'s frames as slides: draw frames around its steps first'}
      onClick={() => editor.panels.set({ present: 0, search: undefined, docType: undefined })}>
      ▶ Present
    </button>
  );
}

export function PresenterNotes({ index }: { index: number }) {
  const editor = useEditor();
  const rf = useReactFlow();
  const slides = usePresentationSlides();
  const count = slides.length;
  const at = Math.min(index, Math.max(0, count - 1));
  const slide = slides[at];

  const act = (action: PresentAction) => {
    const next = slideAfter(at, count, action);
    editor.panels.set({ present: next });
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const action = presentKeyAction(e.key);
      // Every other key is swallowed too: presenting edits nothing.
      e.preventDefault();
      e.stopPropagation();
      if (action) act(action);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  });

  // The camera goes to the slide once the canvas has taken its presenting size.
  const bounds = slide?.bounds;
  useEffect(() => {
    const t = setTimeout(() => {
      if (bounds) void rf.fitBounds(bounds, { padding: 0.06, duration: 450 });
      else void rf.fitView({ padding: 0.08, duration: 450 });
    }, 60);
    return () => clearTimeout(t);
  }, [rf, at, bounds?.x, bounds?.y, bounds?.width, bounds?.height]);

  // A graph whose last frame was deleted meanwhile has nothing left to present.
  useEffect(() => {
    if (!count) editor.panels.set({ present: undefined });
  }, [count, editor]);
  if (!slide) return null;

  return (
    <aside className="presenter" data-testid="presenter" data-slide={at} data-slide-id={slide.id}>
      <div className="presenter-bar">
        <button data-testid="present-previous" disabled={at === 0} title="previous (←)" onClick={() => act('previous')}>◀</button>
        <span data-testid="present-count">{at + 1} / {count}</span>
        <button data-testid="present-next" disabled={at === count - 1} title="next (→, Space)" onClick={() => act('next')}>▶</button>
        <span className="spacer" />
        <button data-testid="present-leave" title="leave present mode (Esc)" onClick={() => act('leave')}>✕</button>
      </div>
      <h1 data-testid="present-title" style={slide.colour ? { borderColor: slide.colour } : undefined}>{slide.title}</h1>
      <div className="presenter-notes" data-testid="present-notes">
        {slide.notes.length ? slide.notes.map((text, i) => <Markdown key={`${slide.id}-${i}`} source={text} />) : <p className="muted">No notes in this frame.</p>}
      </div>
    </aside>
  );
}
