/**
 * Software renderers posing as GPUs (SwiftShader, lavapipe, ...): on them WebGPU and WebGL are
 * 13-45x slower than WASM on the same CPU (measured, docs/benchmarks.md), so the browser's automatic
 * choice passes them over; an explicit choice (?backend=webgpu) still takes them.
 */
import type { BackendName } from './types';

/** Names software renderers appear under in WebGPU adapter info and WebGL renderer strings. */
const SOFTWARE_GPUS: Array<[RegExp, string]> = [
  [/swiftshader/i, 'SwiftShader'],
  [/llvmpipe|lavapipe/i, 'lavapipe (llvmpipe)'],
  [/softpipe/i, 'softpipe'],
  [/microsoft basic render|\bwarp\b/i, 'WARP'],
];

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/** What the software check reads of a WebGPU adapter. */
export interface WebGpuAdapterLike {
  info?: AdapterInfoLike;
  isFallbackAdapter?: boolean;
}

/** The software renderer behind a WebGPU adapter ('SwiftShader', ...), or undefined for a real GPU. */
export function softwareWebGpu(adapter: WebGpuAdapterLike): string | undefined {
  const info = adapter.info ?? {};
  const text = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ');
  const named = SOFTWARE_GPUS.find(([pattern]) => pattern.test(text));
  if (named) return named[1];
  return adapter.isFallbackAdapter || info.isFallbackAdapter ? 'a fallback (software) adapter' : undefined;
}

/** The software renderer behind this browser's WebGL ('SwiftShader', ...), or undefined. */
export function softwareWebGl(): string | undefined {
  // A worker (the editor's runtime worker) has no document but has OffscreenCanvas.
  const canvas = () => (typeof document !== 'undefined' ? document.createElement('canvas') : typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1) : undefined);
  const gl = (canvas()?.getContext('webgl2') ?? canvas()?.getContext('webgl')) as WebGLRenderingContext | WebGL2RenderingContext | null | undefined;
  if (!gl) return undefined;
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return SOFTWARE_GPUS.find(([pattern]) => pattern.test(renderer))?.[1];
}

/** Why a software GPU is passed over (the browser then takes WASM, which is faster on the same CPU). */
export function softwareGpuReason(renderer: string, name: BackendName): string {
  return `${renderer} is a software GPU, slower here than WASM on the CPU (?backend=${name} forces it)`;
}
