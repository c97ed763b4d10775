/**
 * The node canvas. React Flow shows the document; every change the user makes goes back to the
 * graph store as an edit (so it can be undone), except selection and viewport, which are view state.
 */
import {
  applyNodeChanges,
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type FinalConnectionState,
  type Node,
  type NodeChange,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type MouseEvent as ReactMouseEvent } from 'react';
import type { GraphDocument } from '../../graph/types';
import { editorNodeRegistry } from '../../nodes/editor-registry';
import { useEditor, useEditorSlice } from '../hooks';
import { portColor, portTypes } from '../port-colors';
import { frameItemId, noteItemId, parseItemId, placedItems, selectionOf } from '../canvas-items';
import { annotationsOf, canConnect, connect, disconnect, moveCanvasItems, placeInFrames, removeItems, type CanvasMoves } from '../store/graph-ops';
import { edgeId } from '../store/graph-store';
import { FIT_VIEW_PADDING } from '../layout';
import { useTheme } from '../theme';
import { FrameCard, NoteCard } from './Annotations';
import { NodeCard } from './NodeCard';

const nodeTypes = { card: NodeCard, note: NoteCard, frame: FrameCard };
/** Frames stay behind every node and note, selected or not (selection raises a node by 1000). */
const FRAME_Z = -1001;

function outputType(doc: GraphDocument, nodeId: string, port: string) {
  const node = doc.nodes.find((n) => n.id === nodeId);
  return node && editorNodeRegistry.get(node.type)?.outputs.find((p) => p.name === port)?.type;
}

export function Canvas() {
  const editor = useEditor();
  const { store } = editor;
  // Not the viewport: the canvas would re-render at the end of every pan (React Flow keeps its own).
  const doc = useEditorSlice((s) => s.doc);
  const selection = useEditorSlice((s) => s.selection);
  const edgeSelection = useEditorSlice((s) => s.edgeSelection);
  const state = { doc, selection, edgeSelection };
  const rf = useReactFlow();
  const { theme } = useTheme();
  const [rfNodes, setRfNodes] = useState<Node[]>([]);
  const wrapper = useRef<HTMLElement>(null);

  // Rebuild React Flow's nodes from the document (frames first, behind; then notes and nodes), keeping what React Flow measured.
  useEffect(() => {
    const selected = new Set(state.selection);
    const { notes, frames } = annotationsOf(state.doc);
    setRfNodes((prev) => {
      const old = new Map(prev.map((n) => [n.id, n]));
      const keep = (id: string) => ({ measured: old.get(id)?.measured, dragging: old.get(id)?.dragging });
      return [
        ...frames.map((f): Node => {
          const id = frameItemId(f.id);
          return { ...keep(id), id, type: 'frame', position: f.position, width: f.size.width, height: f.size.height, zIndex: FRAME_Z, data: {}, selected: selected.has(id), dragHandle: '.frame-title' };
        }),
        ...notes.map((n): Node => {
          const id = noteItemId(n.id);
          return { ...keep(id), id, type: 'note', position: n.position, width: n.width, data: {}, selected: selected.has(id) };
        }),
        ...state.doc.nodes.map((n) => ({
          ...old.get(n.id),
          id: n.id,
          type: 'card',
          position: n.position,
          data: {},
          selected: selected.has(n.id),
        })),
      ];
    });
  }, [state.doc.nodes, state.doc.annotations, state.selection]);

  const edges: Edge[] = useMemo(() => {
    const selected = new Set(state.edgeSelection);
    return state.doc.edges.map((e) => {
      const id = edgeId(e);
      const type = outputType(state.doc, e.from.node, e.from.port);
      return {
        id,
        source: e.from.node,
        sourceHandle: e.from.port,
        target: e.to.node,
        targetHandle: e.to.port,
        selected: selected.has(id),
        style: { stroke: type ? portColor(type) : '#888', strokeWidth: 2 },
      };
    });
  }, [state.doc, state.edgeSelection]);

  useEffect(() => {
    editor.measureCards = () => {
      const sizes = new Map<string, { width: number; height: number }>();
      for (const n of rf.getNodes()) if (n.measured?.width && n.measured.height) sizes.set(n.id, { width: n.measured.width, height: n.measured.height });
      return sizes;
    };
  }, [editor, rf]);

  // Opening a graph restores its viewport (or fits it when it has none).
  useEffect(
    () =>
      store.onDocumentChange((_doc, reason) => {
        if (reason !== 'load') return;
        const vp = store.getSnapshot().viewport;
        requestAnimationFrame(() => {
          if (vp.zoom !== 1 || vp.x !== 0 || vp.y !== 0) void rf.setViewport(vp);
          else void rf.fitView({ padding: FIT_VIEW_PADDING, maxZoom: 1 });
        });
      }),
    [store, rf],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange[]) => {
      setRfNodes((nds) => {
        // A dragged frame carries what is in it (unless that is being dragged too).
        const moving = new Set(changes.flatMap((c) => (c.type === 'position' ? [c.id] : [])));
        const carried: NodeChange[] = [];
        const byId = new Map(nds.map((n) => [n.id, n]));
        for (const c of changes) {
          if (c.type !== 'position' || !c.position || parseItemId(c.id).kind !== 'frame') continue;
          const from = byId.get(c.id)?.position;
          const frame = annotationsOf(store.doc).frames.find((f) => f.id === parseItemId(c.id).id);
          if (!from || !frame) continue;
          const dx = c.position.x - from.x;
          const dy = c.position.y - from.y;
          for (const member of [...frame.nodes, ...frame.notes.map(noteItemId)]) {
            const n = byId.get(member);
            if (n && !moving.has(member)) carried.push({ type: 'position', id: member, position: { x: n.position.x + dx, y: n.position.y + dy }, dragging: c.dragging });
          }
        }
        const next = applyNodeChanges([...changes, ...carried], nds);
        if (changes.some((c) => c.type === 'select')) {
          store.setSelection(next.filter((n) => n.selected).map((n) => n.id), store.getSnapshot().edgeSelection);
        }
        return next;
      });
    },
    [store],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      const sel = new Set(store.getSnapshot().edgeSelection);
      let changed = false;
      for (const c of changes) {
        if (c.type !== 'select') continue;
        changed = true;
        if (c.selected) sel.add(c.id);
        else sel.delete(c.id);
      }
      if (changed) store.setSelection(store.getSnapshot().selection, [...sel]);
    },
    [store],
  );

  // One undoable edit: the new positions (a frame's members follow it), then nodes and notes dropped
  // into a frame join it and those dropped outside every frame leave theirs.
  const onNodeDragStop = useCallback(
    (_e: unknown, _node: Node, nodes: Node[]) => {
      const moves: Required<CanvasMoves> = { nodes: {}, notes: {}, frames: {} };
      for (const n of nodes) {
        const { kind, id } = parseItemId(n.id);
        moves[`${kind}s`][id] = { x: Math.round(n.position.x), y: Math.round(n.position.y) };
      }
      const dropped = placedItems(nodes);
      editor.tryEdit((d) => placeInFrames(moveCanvasItems(d, moves), dropped));
    },
    [editor],
  );

  const onDelete = useCallback(
    ({ nodes, edges: gone }: { nodes: Node[]; edges: Edge[] }) => {
      const chosen = selectionOf(nodes.map((n) => n.id));
      const goneEdges = new Set(gone.map((e) => e.id));
      store.edit((d) => {
        let next = removeItems(d, chosen);
        for (const e of d.edges) if (goneEdges.has(edgeId(e))) next = disconnect(next, e.to);
        return next;
      });
    },
    [store],
  );

  const isValidConnection = useCallback(
    (c: Connection | Edge) =>
      canConnect(store.doc, { node: c.source, port: c.sourceHandle ?? '' }, { node: c.target, port: c.targetHandle ?? '' }).ok,
    [store],
  );

  const onConnect = useCallback(
    (c: Connection) => store.edit((d) => connect(d, { node: c.source, port: c.sourceHandle ?? '' }, { node: c.target, port: c.targetHandle ?? '' })),
    [store],
  );

  // A wire dropped in empty space opens the node search, filtered to what can take it.
  const onConnectEnd = useCallback(
    (event: MouseEvent | TouchEvent, cs: FinalConnectionState) => {
      if (cs.toHandle || !cs.fromHandle || !cs.fromNode) return;
      const point = 'changedTouches' in event ? event.changedTouches[0]! : event;
      const position = rf.screenToFlowPosition({ x: point.clientX, y: point.clientY });
      const fromNode = store.doc.nodes.find((n) => n.id === cs.fromNode!.id);
      const def = fromNode && editorNodeRegistry.get(fromNode.type);
      const portName = cs.fromHandle.id ?? '';
      const end = cs.fromHandle.type;
      const spec = end === 'source' ? def?.outputs.find((p) => p.name === portName) : def?.inputs.find((p) => p.name === portName);
      if (!spec) return;
      editor.panels.set({ search: { position, pending: { end, port: { node: cs.fromNode.id, port: portName }, types: portTypes(spec.type) } } });
    },
    [editor, rf, store],
  );

  const onDoubleClick = useCallback(
    (e: ReactMouseEvent) => {
      if (!(e.target as HTMLElement).classList.contains('react-flow__pane')) return;
      editor.panels.set({ search: { position: rf.screenToFlowPosition({ x: e.clientX, y: e.clientY }) } });
    },
    [editor, rf],
  );

  const onDrop = useCallback(
    (e: DragEvent) => {
      const file = e.dataTransfer.files[0];
      if (!file) return;
      e.preventDefault();
      void editor.importFile(file, rf.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
    },
    [editor, rf],
  );

  return (
    <main className="canvas" aria-label="graph canvas" ref={wrapper} onDoubleClick={onDoubleClick} onDragOver={(e) => e.preventDefault()} onDrop={onDrop} data-testid="canvas">
      <ReactFlow
        nodes={rfNodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={onNodeDragStop}
        onDelete={onDelete}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        defaultViewport={store.getSnapshot().viewport}
        onMoveEnd={(_e, vp) => store.setViewport(vp)}
        deleteKeyCode={['Delete', 'Backspace']}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Meta', 'Control']}
        zoomOnDoubleClick={false}
        minZoom={0.1}
        maxZoom={2.5}
        colorMode={theme}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={24} />
        <MiniMap pannable zoomable data-testid="minimap" />
        <Controls showInteractive={false} fitViewOptions={{ padding: FIT_VIEW_PADDING }} />
      </ReactFlow>
    </main>
  );
}
