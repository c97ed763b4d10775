/**
 * The card's live preview, with the teaching overlays: D's per-patch scores as a heatmap (which
 * patches D finds fake) and the patch sampler's grid. Video-out nodes get the video view.
 */
import { lazy, Suspense, useState, type ComponentType } from 'react';
import type { ParamValue } from '../../graph/types';
import { useEditor, useNodePreview, useNodeStatus } from '../hooks';
import { PatchOverlay, readGrid, readPatchScores } from './PatchOverlay';
import { PreviewCanvas } from './PreviewCanvas';

// Area F's video view, used when it exists (the glob is empty otherwise).
const videoModules = import.meta.glob<{ VideoOutView: ComponentType<{ nodeId: string; runtime: unknown }> }>('../video/VideoOutView.tsx');
const videoLoader = Object.values(videoModules)[0];
const VideoOutView = videoLoader ? lazy(async () => ({ default: (await videoLoader()).VideoOutView })) : undefined;

export function NodePreview({ nodeId, type, params }: { nodeId: string; type: string; params: Record<string, ParamValue> }) {
  const editor = useEditor();
  const preview = useNodePreview(nodeId);
  const status = useNodeStatus(nodeId);
  const [overlay, setOverlay] = useState(true);
  if (type === 'video-out' && VideoOutView) {
    return (
      <Suspense fallback={null}>
        <VideoOutView nodeId={nodeId} runtime={editor.runtime} />
      </Suspense>
    );
  }
  if (!preview) return null;
  const scores = readPatchScores(status?.info?.extra);
  const grid = readGrid(status?.info?.extra, params, type);
  const hasOverlay = !!scores || !!grid;
  return (
    <div className="preview" data-testid={`preview-${nodeId}`}>
      <div className="preview-stack">
        <PreviewCanvas preview={preview} testId={`preview-canvas-${nodeId}`} />
        {hasOverlay && overlay && <PatchOverlay width={preview.width} height={preview.height} scores={scores} grid={grid} />}
      </div>
      <div className="preview-info">
        {preview.width}×{preview.height}
        {hasOverlay && (
          <button className="icon nodrag" title={scores ? 'show which patches D finds fake' : 'show the patch grid'} onClick={() => setOverlay(!overlay)}>
            {overlay ? '▦ on' : '▦ off'}
          </button>
        )}
      </div>
    </div>
  );
}
