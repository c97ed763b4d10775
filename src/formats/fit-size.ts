/** Image sizes as the image nodes fit them (pure: no TensorFlow.js, so the editor may use it too). */

/**
 * The size an image of `width` x `height` gets when its longer side is limited to `maxSide`
 * (0 = no limit), keeping the aspect ratio, then both sides floored to a multiple of
 * `multipleOf` (1 = any size). Never smaller than `multipleOf`.
 */
export function fitSize(
  width: number,
  height: number,
  maxSide: number,
  multipleOf: number,
): { width: number; height: number } {
  const m = Math.max(1, Math.floor(multipleOf));
  const s = maxSide > 0 && Math.max(width, height) > maxSide ? maxSide / Math.max(width, height) : 1;
  const floorTo = (v: number) => Math.max(m, Math.floor(Math.max(1, Math.round(v * s)) / m) * m);
  return { width: floorTo(width), height: floorTo(height) };
}
