/** Draws an RGBA preview into a canvas (pixels only; tensors never reach React). */
import { useEffect, useRef } from 'react';
import type { PreviewImage } from '../../runtime/types';

export function PreviewCanvas({ preview, className, testId }: { preview: PreviewImage; className?: string; testId?: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    canvas.width = preview.width;
    canvas.height = preview.height;
    // The pixels are put as they came from the worker (transferred, not copied): a copy here costs
    // the main thread ~1.5 ms per 512² preview. An ImageBitmap made in the worker and drawn here was
    // measured slower in the canvas bench (docs/benchmarks.md).
    canvas.getContext('2d')?.putImageData(new ImageData(ownPixels(preview.data), preview.width, preview.height), 0, 0);
  }, [preview]);
  return <canvas ref={ref} className={className} data-testid={testId} />;
}

/** The pixels themselves, unless they live in shared memory (which ImageData refuses): then a copy. */
function ownPixels(data: Uint8ClampedArray): Uint8ClampedArray<ArrayBuffer> {
  return data.buffer instanceof ArrayBuffer ? (data as Uint8ClampedArray<ArrayBuffer>) : new Uint8ClampedArray(data);
}
