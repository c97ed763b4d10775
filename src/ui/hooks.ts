/** React access to the editor session (all state lives outside React; these only subscribe). */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { editorNodeRegistry } from '../nodes/editor-registry';
import { traceWiring, type WiredSetting } from '../nodes/patch-wiring';
import type { NodeStatus, PreviewImage } from '../runtime/types';
import type { Editor, EditorMeta } from './store/editor';
import type { EditorState } from './store/graph-store';
import type { DStatsPoint } from '../nodes/d-score-stats';
import type { HeatmapScaleMode } from './heatmap';
import type { LossPoint } from './store/runtime-bridge';
import type { Toast } from './store/toasts';

export const EditorContext = createContext<Editor | null>(null);

export function useEditor(): Editor {
  const editor = useContext(EditorContext);
  if (!editor) throw new Error('useEditor outside <EditorContext.Provider>');
  return editor;
}

/**
 * One part of the editor's state, picked by identity (the document, the selection, a flag): the
 * component re-renders when that part changes, not on every pan or zoom of the canvas.
 */
export function useEditorSlice<T>(pick: (state: EditorState) => T): T {
  const { store } = useEditor();
  return useSyncExternalStore(store.subscribe, () => pick(store.getSnapshot()));
}

export function useMeta(): EditorMeta {
  const editor = useEditor();
  return useSyncExternalStore(editor.subscribeMeta, editor.getMeta);
}

export function useToasts(): Toast[] {
  const { toasts } = useEditor();
  return useSyncExternalStore(toasts.subscribe, toasts.getSnapshot);
}

function useNodeValue<T>(nodeId: string, read: (id: string) => T): T {
  const { bridge } = useEditor();
  const subscribe = useCallback((l: () => void) => bridge.subscribeNode(nodeId, l), [bridge, nodeId]);
  return useSyncExternalStore(subscribe, () => read(nodeId));
}

export function useNodeStatus(nodeId: string): NodeStatus | undefined {
  const { bridge } = useEditor();
  return useNodeValue(nodeId, (id) => bridge.status(id));
}

export function useNodePreview(nodeId: string): PreviewImage | undefined {
  const { bridge } = useEditor();
  return useNodeValue(nodeId, (id) => bridge.preview(id));
}

/**
 * How often a chart of a run redraws at most: a run reports every iteration (tens per second for a
 * small MDAN), and redrawing charts at that rate takes the page's frames from panning and typing.
 */
export const CHART_REDRAW_MS = 250;

/**
 * `value` as it was at most `ms` ago: a new value shows at once after a quiet spell, and while
 * values keep coming, the latest one every `ms`.
 */
export function useAtMostEvery<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const shownAt = useRef(0);
  const latest = useRef(value);
  latest.current = value;
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const show = () => {
      shownAt.current = performance.now();
      setShown(latest.current);
    };
    const wait = shownAt.current + ms - performance.now();
    if (wait <= 0) {
      show();
      return;
    }
    const timer = setTimeout(show, wait);
    return () => clearTimeout(timer);
  }, [value, shown, ms]);
  return shown;
}

/** The loss history of a long node, for charts: new points at most every CHART_REDRAW_MS. */
export function useLossHistory(nodeId: string): LossPoint[] {
  const { bridge } = useEditor();
  return useAtMostEvery(useNodeValue(nodeId, (id) => bridge.losses(id)), CHART_REDRAW_MS);
}

/** D's statistics per iteration of a node that reports patch scores (MDAN), for charts: at most every CHART_REDRAW_MS. */
export function useDStats(nodeId: string): DStatsPoint[] {
  const { bridge } = useEditor();
  return useAtMostEvery(useNodeValue(nodeId, (id) => bridge.dStats(id)), CHART_REDRAW_MS);
}

/** The heatmap's colour scale as chosen: follows the scores, or fixed. */
export function useHeatmapScale(): HeatmapScaleMode {
  const { heatmapScale } = useEditor();
  return useSyncExternalStore(heatmapScale.subscribe, heatmapScale.getSnapshot);
}

export function useRuntimeBusy(): boolean {
  const { bridge } = useEditor();
  return useSyncExternalStore(
    useCallback((l: () => void) => bridge.subscribeAll(l), [bridge]),
    () => bridge.busy(),
  );
}

/** One node of the document; re-renders only when that node object changes. */
export function useGraphNode(nodeId: string) {
  const { store } = useEditor();
  return useSyncExternalStore(store.subscribe, () => store.getSnapshot().doc.nodes.find((n) => n.id === nodeId));
}

/** The settings of `nodeId` that wires decide (Fig. 2: tap → sampler → D → optimiser), by name. */
export function useWiredSettings(nodeId: string): ReadonlyMap<string, WiredSetting> {
  const { store } = useEditor();
  // A string snapshot: equal while the wiring says the same, so only a real change re-renders.
  const text = useSyncExternalStore(store.subscribe, () => JSON.stringify(traceWiring(store.getSnapshot().doc, nodeId, editorNodeRegistry)));
  return useMemo(() => new Map((JSON.parse(text) as WiredSetting[]).map((s) => [s.name, s])), [text]);
}

/** Ports of `nodeId` that have an edge: "in:port" / "out:port". */
export function useConnectedPorts(nodeId: string): string {
  const { store } = useEditor();
  return useSyncExternalStore(store.subscribe, () =>
    store
      .getSnapshot()
      .doc.edges.flatMap((e) => [e.to.node === nodeId ? `in:${e.to.port}` : '', e.from.node === nodeId ? `out:${e.from.port}` : ''])
      .filter(Boolean)
      .sort()
      .join(','),
  );
}

/** A long node's time estimate before it runs (re-read on edits anywhere, backend speed changes). */
export function useEstimate(nodeId: string): { text: string; detail: string } | undefined {
  const editor = useEditor();
  const subscribe = useCallback(
    (l: () => void) => {
      const offs = [editor.store.subscribe(l), editor.speed.subscribe(l), editor.subscribeMeta(l)];
      return () => offs.forEach((off) => off());
    },
    [editor],
  );
  // A string snapshot: stable between renders while nothing it depends on changed.
  const packed = useSyncExternalStore(subscribe, () => {
    const e = editor.estimate(nodeId);
    return e ? `${e.text}\u0000${e.detail}` : '';
  });
  if (!packed) return undefined;
  const [text, detail] = packed.split('\u0000') as [string, string];
  return { text, detail };
}

/** Milliseconds left of a running node (undefined before there is a pace). */
export function useTimeLeft(nodeId: string): number | undefined {
  const { bridge } = useEditor();
  return useNodeValue(nodeId, (id) => bridge.timeLeftMs(id));
}

export function usePanels() {
  const { panels } = useEditor();
  return useSyncExternalStore(panels.subscribe, panels.getSnapshot);
}
