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
    const data = new Uint8ClampedArray(preview.data);
    canvas.getContext('2d')?.putImageData(new ImageData(data, preview.width, preview.height), 0, 0);
  }, [preview]);
  return <canvas ref={ref} className={className} data-testid={testId} />;
}
