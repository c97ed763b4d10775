/**
 * The card's live preview, with the teaching overlays: D's per-patch scores as a heatmap (around
 * D's decision boundary, on a scale that follows the scores or a fixed one, with its colour bar)
 * over the MDAN image, D's statistics over the run beside it, and the patch sampler's grid over the image that fed
 * its feature map. Video-out nodes get the video view.
 */
import { lazy, Suspense, useState, type ComponentType } from 'react';
import type { PreviewImage } from '../../runtime/types';
import { scaleFor } from '../heatmap';
import { useEditor, useEditorSlice, useHeatmapScale, useNodePreview, useNodeStatus } from '../hooks';
import { DStatsView } from './DStatsView';
import { DScoreColourBar, gridFractions, PatchOverlay, readPatchScores, type PatchGrid, type PatchScores } from './PatchOverlay';
import { PreviewCanvas } from './PreviewCanvas';

// The video view, split into its own chunk: only video-out cards load it.
const videoModules = import.meta.glob<{ VideoOutView: ComponentType<{ nodeId: string; runtime?: unknown }> }>('../video/VideoOutView.tsx');
const videoLoader = Object.values(videoModules)[0];
const VideoOutView = videoLoader ? lazy(async () => ({ default: (await videoLoader()).VideoOutView })) : undefined;

/** `large`: the inspector's copy (D's reading in full, taller charts). */
export function NodePreview({ nodeId, type, large = false }: { nodeId: string; type: string; large?: boolean }) {
  const editor = useEditor();
  if (type === 'video-out' && VideoOutView) {
    return (
      <Suspense fallback={null}>
        <VideoOutView nodeId={nodeId} runtime={editor.runtime} />
      </Suspense>
    );
  }
  if (type === 'patch-sampler') return <SamplerPreview nodeId={nodeId} />;
  return <OwnPreview nodeId={nodeId} large={large} />;
}

function OwnPreview({ nodeId, large }: { nodeId: string; large: boolean }) {
  const { bridge } = useEditor();
  const preview = useNodePreview(nodeId);
  useNodeStatus(nodeId);
  if (!preview) return null;
  return <PreviewWithOverlay nodeId={nodeId} preview={preview} scores={readPatchScores(bridge.extra(nodeId))} large={large} />;
}

/** The sampler outputs patches, not an image: show the image upstream of its features, gridded. */
function SamplerPreview({ nodeId }: { nodeId: string }) {
  const editor = useEditor();
  const doc = useEditorSlice((s) => s.doc);
  const status = useNodeStatus(nodeId);
  const sourceId = editor.upstreamPreviewNode(doc, nodeId);
  const preview = useNodePreview(sourceId ?? nodeId);
  if (!preview || !sourceId) return null;
  const grid = status?.state === 'done' ? gridFractions(editor.patchGridOf(nodeId)) : undefined;
  return <PreviewWithOverlay nodeId={nodeId} preview={preview} grid={grid} />;
}

function PreviewWithOverlay({ nodeId, preview, scores, grid, large = false }: { nodeId: string; preview: PreviewImage; scores?: PatchScores; grid?: PatchGrid; large?: boolean }) {
  const editor = useEditor();
  const [overlay, setOverlay] = useState(true);
  const mode = useHeatmapScale();
  const scale = scores ? scaleFor(mode, scores.values) : undefined;
  const hasOverlay = !!scores || !!grid;
  return (
    <div className="preview" data-testid={`preview-${nodeId}`}>
      <div className="preview-stack" title="double-click: full size, zoom, compare"
        onDoubleClick={(e) => {
          e.stopPropagation();
          editor.panels.set({ viewer: { nodeId: preview.nodeId } });
        }}>
        <PreviewCanvas preview={preview} testId={`preview-canvas-${nodeId}`} />
        {hasOverlay && overlay && <PatchOverlay width={preview.width} height={preview.height} scores={scores} scale={scale} grid={grid} />}
      </div>
      <div className="preview-info">
        <span>
          {preview.width}×{preview.height}
          {scores && overlay && ` · ${scores.rows}×${scores.cols} patches scored`}
          {grid && overlay && ` · ${grid.rows}×${grid.cols} patches`}
        </span>
        {hasOverlay && (
          <button className="icon nodrag" data-testid={`overlay-toggle-${nodeId}`} title={scores ? "D's per-patch scores" : 'the patch grid'} onClick={() => setOverlay(!overlay)}>
            {overlay ? '▦ on' : '▦ off'}
          </button>
        )}
      </div>
      {scores && overlay && <DScoreColourBar scores={scores} scale={scale} mode={mode} onMode={(m) => editor.heatmapScale.set(m)} />}
      {scores && overlay && <DStatsView nodeId={nodeId} large={large} />}
    </div>
  );
}
