/**
 * A result full size: double-click a card's preview. The wheel zooms about the pointer, a drag pans,
 * from 8x on a grid shows the pixels' edges; Download saves the picture as a PNG with the graph
 * inside. "Compare with" puts a second result on the same view: left of the split slider one, right
 * of it the other, both at the same scale and offset (results of different sizes are shown at the
 * first one's size).
 */
import { useEffect, useMemo, useRef, useState, useSyncExternalStore, type PointerEvent, type WheelEvent } from 'react';
import type { PreviewImage } from '../../runtime/types';
import { useEditor, useEditorSlice, useNodePreview } from '../hooks';
import { downloadBytes, previewPng } from '../store/sharing';

/** From this zoom on, each pixel's edges are drawn. */
export const PIXEL_GRID_ZOOM = 8;
const MIN_ZOOM = 0.1;
const MAX_ZOOM = 64;

interface View {
  zoom: number;
  /** Where the image's top-left corner is on the stage, in stage pixels. */
  x: number;
  y: number;
}

function bitmapOf(preview: PreviewImage | undefined): HTMLCanvasElement | undefined {
  if (!preview) return undefined;
  const c = document.createElement('canvas');
  c.width = preview.width;
  c.height = preview.height;
  c.getContext('2d')?.putImageData(new ImageData(new Uint8ClampedArray(preview.data), preview.width, preview.height), 0, 0);
  return c;
}

export function ImageViewer() {
  const editor = useEditor();
  const viewer = useSyncExternalStore(editor.panels.subscribe, () => editor.panels.getSnapshot().viewer);
  if (!viewer) return null;
  return <ViewerDialog key={viewer.nodeId} nodeId={viewer.nodeId} />;
}

function ViewerDialog({ nodeId }: { nodeId: string }) {
  const editor = useEditor();
  const doc = useEditorSlice((s) => s.doc);
  const [compareWith, setCompareWith] = useState<string>('');
  const [split, setSplit] = useState(50);
  const preview = useNodePreview(nodeId);
  const other = useNodePreview(compareWith);
  const stageRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [view, setView] = useState<View>();
  const drag = useRef<{ x: number; y: number; view: View } | undefined>(undefined);
  const imageA = useMemo(() => bitmapOf(preview), [preview]);
  const imageB = useMemo(() => (compareWith ? bitmapOf(other) : undefined), [compareWith, other]);
  const choices = doc.nodes.filter((n) => n.id !== nodeId && editor.bridge.preview(n.id));
  const close = () => editor.panels.set({ viewer: undefined });

  // Fit the picture in the stage when it opens.
  useEffect(() => {
    const stage = stageRef.current;
    if (!stage || !preview || view) return;
    const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, Math.min(stage.clientWidth / preview.width, stage.clientHeight / preview.height)));
    setView({ zoom, x: (stage.clientWidth - preview.width * zoom) / 2, y: (stage.clientHeight - preview.height * zoom) / 2 });
  }, [preview, view]);

  useEffect(() => {
    const canvas = canvasRef.current;
    const stage = stageRef.current;
    if (!canvas || !stage || !view || !imageA || !preview) return;
    canvas.width = stage.clientWidth;
    canvas.height = stage.clientHeight;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.imageSmoothingEnabled = false;
    ctx.fillStyle = '#111';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    const w = preview.width * view.zoom;
    const h = preview.height * view.zoom;
    ctx.drawImage(imageA, view.x, view.y, w, h);
    if (imageB) {
      const at = (canvas.width * split) / 100;
      ctx.save();
      ctx.beginPath();
      ctx.rect(at, 0, canvas.width - at, canvas.height);
      ctx.clip();
      ctx.drawImage(imageB, view.x, view.y, w, h);
      ctx.restore();
      ctx.fillStyle = '#fff';
      ctx.fillRect(Math.round(at) - 1, 0, 2, canvas.height);
    }
    if (view.zoom >= PIXEL_GRID_ZOOM) {
      ctx.strokeStyle = 'rgba(0, 0, 0, 0.35)';
      ctx.lineWidth = 1;
      ctx.beginPath();
      const x0 = Math.max(0, Math.floor(-view.x / view.zoom));
      const x1 = Math.min(preview.width, Math.ceil((canvas.width - view.x) / view.zoom));
      const y0 = Math.max(0, Math.floor(-view.y / view.zoom));
      const y1 = Math.min(preview.height, Math.ceil((canvas.height - view.y) / view.zoom));
      for (let i = x0; i <= x1; i++) {
        const x = Math.round(view.x + i * view.zoom) + 0.5;
        ctx.moveTo(x, view.y + y0 * view.zoom);
        ctx.lineTo(x, view.y + y1 * view.zoom);
      }
      for (let j = y0; j <= y1; j++) {
        const y = Math.round(view.y + j * view.zoom) + 0.5;
        ctx.moveTo(view.x + x0 * view.zoom, y);
        ctx.lineTo(view.x + x1 * view.zoom, y);
      }
      ctx.stroke();
    }
  }, [view, imageA, imageB, split, preview]);

  if (!preview) return null;
  const onWheel = (e: WheelEvent) => {
    if (!view) return;
    const rect = e.currentTarget.getBoundingClientRect();
    const px = e.clientX - rect.left;
    const py = e.clientY - rect.top;
    const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, view.zoom * (e.deltaY < 0 ? 1.25 : 0.8)));
    // The image point under the pointer stays under it.
    setView({ zoom, x: px - ((px - view.x) * zoom) / view.zoom, y: py - ((py - view.y) * zoom) / view.zoom });
  };
  const onDown = (e: PointerEvent) => {
    if (!view) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { x: e.clientX, y: e.clientY, view };
  };
  const onMove = (e: PointerEvent) => {
    const d = drag.current;
    if (d) setView({ ...d.view, x: d.view.x + e.clientX - d.x, y: d.view.y + e.clientY - d.y });
  };
  const onUp = () => (drag.current = undefined);
  const download = async () => {
    const bytes = await previewPng(preview, editor.store.doc);
    downloadBytes(bytes, `${nodeId}-${preview.width}x${preview.height}.png`, 'image/png');
  };
  const zoomText = view ? `${Math.round(view.zoom * 100)}%` : '';
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <section className="viewer" data-testid="viewer" aria-label={`${nodeId} full size`}>
        <header>
          <h2>{nodeId} · {preview.width}×{preview.height}</h2>
          <span className="eta" data-testid="viewer-zoom" data-zoom={view?.zoom ?? ''} data-x={view?.x ?? ''} data-y={view?.y ?? ''} data-grid={view && view.zoom >= PIXEL_GRID_ZOOM ? 'on' : 'off'}>
            {zoomText}{view && view.zoom >= PIXEL_GRID_ZOOM ? ' · pixel grid' : ''}
          </span>
          <label className="viewer-compare">
            compare with{' '}
            <select data-testid="viewer-compare" value={compareWith} onChange={(e) => setCompareWith(e.target.value)}>
              <option value="">(nothing)</option>
              {choices.map((n) => (
                <option key={n.id} value={n.id}>{n.label ?? n.id}</option>
              ))}
            </select>
          </label>
          <button data-testid="viewer-fit" onClick={() => setView(undefined)}>Fit</button>
          <button data-testid="viewer-download" onClick={() => void download()}>Download</button>
          <button className="icon" title="close (Esc)" aria-label="close" data-testid="viewer-close" onClick={close}>✕</button>
        </header>
        <div ref={stageRef} className="viewer-stage" data-testid="viewer-stage" onWheel={onWheel} onPointerDown={onDown} onPointerMove={onMove} onPointerUp={onUp}>
          <canvas ref={canvasRef} data-testid="viewer-canvas" />
        </div>
        {compareWith && (
          <label className="viewer-split">
            <span>{nodeId}</span>
            <input type="range" min={0} max={100} value={split} data-testid="viewer-split" aria-label="split between the two results" onChange={(e) => setSplit(Number(e.target.value))} />
            <span>{compareWith}</span>
          </label>
        )}
      </section>
    </div>
  );
}
