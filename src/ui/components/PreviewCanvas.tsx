/** Draws a preview into a canvas: the worker's bitmap, or its RGBA pixels (tensors never reach React). */
import { useEffect, useRef } from 'react';
import type { PreviewImage } from '../../runtime/types';

export function PreviewCanvas({ preview, className, testId }: { preview: PreviewImage; className?: string; testId?: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    canvas.width = preview.width;
    canvas.height = preview.height;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    // The worker's bitmap draws without a per-pixel pass here; plain pixels are put as they are
    // (copied only when they live in shared memory, which ImageData refuses).
    if (preview.bitmap) ctx.drawImage(preview.bitmap, 0, 0);
    else ctx.putImageData(new ImageData(ownPixels(preview.data), preview.width, preview.height), 0, 0);
  }, [preview]);
  return <canvas ref={ref} className={className} data-testid={testId} />;
}

function ownPixels(data: Uint8ClampedArray): Uint8ClampedArray<ArrayBuffer> {
  return data.buffer instanceof ArrayBuffer ? (data as Uint8ClampedArray<ArrayBuffer>) : new Uint8ClampedArray(data);
}
