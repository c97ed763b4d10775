/**
 * Notes and frames on the canvas. A note shows its markdown (double-click to edit); a frame is a
 * titled, coloured rectangle behind the nodes, dragged by its title bar, resized by its corners.
 * Both are edits of the document (undoable, saved, shared), never nodes the runtime runs.
 */
import { NodeResizer, useReactFlow, type NodeProps } from '@xyflow/react';
import { memo, useCallback, useState, useSyncExternalStore } from 'react';
import { parseItemId, placedItems } from '../canvas-items';
import { useEditor } from '../hooks';
import { annotationsOf, resizeFrame, setNoteText, setNoteWidth } from '../store/graph-ops';
import { Markdown } from './Markdown';
import { textOn } from '../contrast';

export function useNote(id: string) {
  const { store } = useEditor();
  return useSyncExternalStore(store.subscribe, () => annotationsOf(store.getSnapshot().doc).notes.find((n) => n.id === id));
}

export function useFrame(id: string) {
  const { store } = useEditor();
  return useSyncExternalStore(store.subscribe, () => annotationsOf(store.getSnapshot().doc).frames.find((f) => f.id === id));
}

export const NoteCard = memo(function NoteCard({ id, selected }: NodeProps) {
  const editor = useEditor();
  const noteId = parseItemId(id).id;
  const note = useNote(noteId);
  const [editing, setEditing] = useState(false);
  if (!note) return null;
  const commit = (text: string) => {
    setEditing(false);
    if (text !== note.text) editor.tryEdit((d) => setNoteText(d, noteId, text));
  };
  return (
    <div className={`note-card${selected ? ' selected' : ''}`} style={{ background: note.color }} data-testid={`note-${noteId}`}
      onDoubleClick={() => setEditing(true)}>
      <NodeResizer isVisible={selected} minWidth={120} maxWidth={1200} minHeight={40}
        onResizeEnd={(_e, p) => editor.tryEdit((d) => setNoteWidth(d, noteId, p.width))} />
      {editing ? (
        <textarea className="nodrag nowheel" autoFocus defaultValue={note.text} data-testid={`note-editor-${noteId}`}
          onBlur={(e) => commit(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setEditing(false);
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) commit(e.currentTarget.value);
          }} />
      ) : note.text.trim() ? (
        <Markdown source={note.text} />
      ) : (
        <div className="note-empty">Double-click to write a note (markdown).</div>
      )}
    </div>
  );
});

export const FrameCard = memo(function FrameCard({ id, selected }: NodeProps) {
  const editor = useEditor();
  const rf = useReactFlow();
  const frameId = parseItemId(id).id;
  const frame = useFrame(frameId);
  const onResizeEnd = useCallback(
    (_e: unknown, p: { x: number; y: number; width: number; height: number }) =>
      editor.tryEdit((d) => resizeFrame(d, frameId, p, placedItems(rf.getNodes()))),
    [editor, frameId, rf],
  );
  if (!frame) return null;
  return (
    <div className={`frame-card${selected ? ' selected' : ''}`} data-testid={`frame-${frameId}`}
      style={{ borderColor: frame.color, background: `${frame.color}1f` }}>
      <NodeResizer isVisible={selected} minWidth={80} minHeight={80} color={frame.color} onResizeEnd={onResizeEnd} />
      <div className="frame-title" style={{ background: frame.color, color: textOn(frame.color) }} title="drag to move the frame and what is in it">
        {frame.title || 'Frame'}
      </div>
    </div>
  );
});
