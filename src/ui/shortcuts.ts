/**
 * Keyboard shortcuts and the system clipboard. Copy puts the selected nodes, notes and frames on
 * the clipboard as JSON (a GraphFragment), so paste works between tabs and windows.
 */
import { useReactFlow } from '@xyflow/react';
import { useEffect } from 'react';
import { canvasItemIds, graphNodeIds, parseItemId, pastedItemIds, selectionOf } from './canvas-items';
import type { Editor } from './store/editor';
import { FIT_VIEW_PADDING } from './layout';
import { parseLimitedJson } from '../formats/limits';
import { copyFragment, duplicateItems, fragmentOrigin, parseFragment, pasteFragment, removeItems, setBypass, type PastedIds } from './store/graph-ops';

function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

export function useShortcuts(editor: Editor): void {
  const rf = useReactFlow();
  useEffect(() => {
    const { store } = editor;
    const centre = () => {
      const r = document.querySelector('.canvas')?.getBoundingClientRect();
      return rf.screenToFlowPosition({ x: (r?.left ?? 0) + (r?.width ?? 800) / 2, y: (r?.top ?? 0) + (r?.height ?? 600) / 2 });
    };
    const tryEdit = (change: Parameters<typeof store.edit>[0]) => {
      try {
        store.edit(change);
      } catch (e) {
        editor.toasts.show(e instanceof Error ? e.message : String(e), 'error');
      }
    };

    const onKey = (e: KeyboardEvent) => {
      if (typingIn(e.target)) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      // Notes and frames are selectable too; run, duplicate and bypass act on the nodes among them.
      const sel = graphNodeIds(store.getSnapshot().selection);
      if (mod && key === 'z') {
        if (e.shiftKey) store.redo();
        else store.undo();
      } else if (mod && key === 'y') store.redo();
      else if (mod && key === 'd' && store.getSnapshot().selection.length) {
        let pasted: PastedIds | undefined;
        tryEdit((d) => {
          const r = duplicateItems(d, selectionOf(store.getSnapshot().selection));
          pasted = r;
          return editor.clearOfCards(r.doc, r.ids, r);
        });
        if (pasted) store.setSelection(pastedItemIds(pasted));
      } else if (mod && key === 'a') store.setSelection([...canvasItemIds(store.doc)]);
      else if (mod && e.key === 'Enter' && sel.length === 1) editor.run(sel[0]);
      else if (!mod && e.key === '/') editor.panels.set({ search: { position: centre() } });
      else if (!mod && key === 'b' && sel.length) {
        tryEdit((d) => sel.reduce((doc, id) => setBypass(doc, id, !doc.nodes.find((n) => n.id === id)?.bypass), d));
      } else if (!mod && key === 'f') void rf.fitView({ padding: FIT_VIEW_PADDING, duration: 200 });
      else if (e.key === 'Escape') editor.closePanels();
      else return;
      e.preventDefault();
    };

    const onCopy = (e: ClipboardEvent) => {
      if (typingIn(e.target)) return;
      const sel = store.getSnapshot().selection;
      if (!sel.length || !e.clipboardData) return;
      const fragment = copyFragment(store.doc, selectionOf(sel));
      e.clipboardData.setData('text/plain', JSON.stringify(fragment));
      e.preventDefault();
      // Cut takes away what was copied: a cut frame takes its members with it.
      if (e.type === 'cut') {
        tryEdit((d) =>
          removeItems(d, { nodes: fragment.nodes.map((n) => n.id), notes: (fragment.notes ?? []).map((n) => n.id), frames: (fragment.frames ?? []).map((f) => f.id) }),
        );
      }
    };

    const onPaste = (e: ClipboardEvent) => {
      if (typingIn(e.target)) return;
      const text = e.clipboardData?.getData('text/plain');
      if (!text) return;
      e.preventDefault();
      let fragment;
      try {
        fragment = parseFragment(parseLimitedJson(text));
      } catch (err) {
        editor.toasts.show(`Nothing pasted: ${err instanceof SyntaxError ? 'the clipboard does not hold MGAN Studio nodes' : (err as Error).message}`, 'error');
        return;
      }
      // Paste around the view's centre, keeping the nodes' layout, then clear of the cards there.
      const c = centre();
      const origin = fragmentOrigin(fragment);
      let pasted: PastedIds | undefined;
      tryEdit((d) => {
        const r = pasteFragment(d, fragment, { x: Math.round(c.x - origin.x - 100), y: Math.round(c.y - origin.y - 60) });
        pasted = r;
        return editor.clearOfCards(r.doc, r.ids, r);
      });
      if (pasted) store.setSelection(pastedItemIds(pasted));
    };

    // Ctrl+Enter on a focused card runs that card. React Flow would take the key first (Enter on a
    // focused node toggles its selection), so this listens before it and keeps the key.
    const onRunKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.key !== 'Enter' || typingIn(e.target)) return;
      const card = (e.target as HTMLElement | null)?.closest?.('.react-flow__node');
      const id = card?.getAttribute('data-id');
      if (!id || parseItemId(id).kind !== 'node') return;
      e.preventDefault();
      e.stopPropagation();
      store.setSelection([id]);
      editor.run(id);
    };
    document.addEventListener('keydown', onRunKey, true);
    document.addEventListener('keydown', onKey);
    document.addEventListener('copy', onCopy);
    document.addEventListener('cut', onCopy);
    document.addEventListener('paste', onPaste);
    return () => {
      document.removeEventListener('keydown', onRunKey, true);
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('cut', onCopy);
      document.removeEventListener('paste', onPaste);
    };
  }, [editor, rf]);
}
