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
import { nodeRegistry } from '../../nodes/registry';
import { useEditor, useEditorState } from '../hooks';
import { portColor, portTypes } from '../port-colors';
import { canConnect, connect, disconnect, moveNodes, removeNodes } from '../store/graph-ops';
import { edgeId } from '../store/graph-store';
import { NodeCard } from './NodeCard';

const nodeTypes = { card: NodeCard };

function outputType(doc: GraphDocument, nodeId: string, port: string) {
  const node = doc.nodes.find((n) => n.id === nodeId);
  return node && nodeRegistry.get(node.type)?.outputs.find((p) => p.name === port)?.type;
}

export function Canvas() {
  const editor = useEditor();
  const { store } = editor;
  const state = useEditorState();
  const rf = useReactFlow();
  const [rfNodes, setRfNodes] = useState<Node[]>([]);
  const wrapper = useRef<HTMLDivElement>(null);

  // Rebuild React Flow's nodes from the document, keeping what React Flow measured.
  useEffect(() => {
    const selected = new Set(state.selection);
    setRfNodes((prev) => {
      const old = new Map(prev.map((n) => [n.id, n]));
      return state.doc.nodes.map((n) => ({
        ...old.get(n.id),
        id: n.id,
        type: 'card',
        position: n.position,
        data: {},
        selected: selected.has(n.id),
      }));
    });
  }, [state.doc.nodes, state.selection]);

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
          else void rf.fitView({ padding: 0.2, maxZoom: 1 });
        });
      }),
    [store, rf],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange[]) => {
      setRfNodes((nds) => {
        const next = applyNodeChanges(changes, nds);
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

  const onNodeDragStop = useCallback(
    (_e: unknown, _node: Node, nodes: Node[]) => {
      const moves: Record<string, { x: number; y: number }> = {};
      for (const n of nodes) moves[n.id] = { x: Math.round(n.position.x), y: Math.round(n.position.y) };
      store.edit((d) => moveNodes(d, moves));
    },
    [store],
  );

  const onDelete = useCallback(
    ({ nodes, edges: gone }: { nodes: Node[]; edges: Edge[] }) => {
      const ids = nodes.map((n) => n.id);
      const goneEdges = new Set(gone.map((e) => e.id));
      store.edit((d) => {
        let next = ids.length ? removeNodes(d, ids) : d;
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
      const def = fromNode && nodeRegistry.get(fromNode.type);
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
    <div className="canvas" ref={wrapper} onDoubleClick={onDoubleClick} onDragOver={(e) => e.preventDefault()} onDrop={onDrop} data-testid="canvas">
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
        defaultViewport={state.viewport}
        onMoveEnd={(_e, vp) => store.setViewport(vp)}
        deleteKeyCode={['Delete', 'Backspace']}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Meta', 'Control']}
        zoomOnDoubleClick={false}
        minZoom={0.1}
        maxZoom={2.5}
        colorMode="dark"
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={24} />
        <MiniMap pannable zoomable data-testid="minimap" />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
