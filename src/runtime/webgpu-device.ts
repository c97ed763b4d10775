/**
 * The WebGPU device tfjs computes on, requested here rather than by tfjs-backend-webgpu: its own
 * factory (4.22) asks for `timestamp-query` and `bgra8unorm-storage` only, so a shader could never
 * `enable f16;` even where the adapter offers `shader-f16`. This asks for the same features and limits
 * tfjs does, plus `shader-f16` when the adapter has it (half-precision decoding,
 * src/method/kernels/webgpu-conv-f16.ts, whose hasShaderF16 reads the device); without it the device is exactly tfjs's.
 */
import * as tf from '@tensorflow/tfjs';

interface AdapterLike {
  features: { has(name: string): boolean };
  limits: Record<string, number>;
  info?: unknown;
  requestDevice(descriptor: { requiredFeatures: string[]; requiredLimits: Record<string, number> }): Promise<unknown>;
}

/** The limits tfjs-backend-webgpu 4.22 raises to the adapter's (its base.ts). */
const TFJS_LIMITS = [
  'maxComputeWorkgroupStorageSize',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupSizeX',
  'maxComputeInvocationsPerWorkgroup',
] as const;

/** The features asked for on `adapter`: tfjs's, and `shader-f16` where offered and wanted. */
export function webGpuFeatures(adapter: Pick<AdapterLike, 'features'>, shaderF16: boolean): string[] {
  const wanted = ['timestamp-query', 'bgra8unorm-storage', ...(shaderF16 ? ['shader-f16'] : [])];
  return wanted.filter((f) => adapter.features.has(f));
}

/** Whether the webgpu backend registered now computes on a device with `shader-f16`. */
let registeredWithF16: boolean | undefined;

/**
 * Registers the `webgpu` backend on a device from `adapter` (replacing tfjs's factory, or our own
 * registered with the other `shaderF16` choice). Call after tfjs-backend-webgpu is imported and
 * before `tf.setBackend('webgpu')`. `shaderF16: false` leaves the feature off on any adapter (the
 * f32 path on a device that could do f16: tests and benchmarks).
 */
export async function registerWebGpuDevice(adapter: AdapterLike, shaderF16: boolean): Promise<void> {
  const withF16 = shaderF16 && adapter.features.has('shader-f16');
  if (registeredWithF16 === withF16 && tf.findBackend('webgpu')) return;
  const { WebGPUBackend } = (await import('@tensorflow/tfjs-backend-webgpu')) as unknown as {
    WebGPUBackend: new (device: unknown, adapterInfo?: unknown) => tf.KernelBackend;
  };
  if (tf.engine().registryFactory.webgpu) tf.removeBackend('webgpu');
  const requiredLimits: Record<string, number> = {};
  for (const name of TFJS_LIMITS) requiredLimits[name] = adapter.limits[name];
  const requiredFeatures = webGpuFeatures(adapter, withF16);
  tf.registerBackend('webgpu', async () => new WebGPUBackend(await adapter.requestDevice({ requiredFeatures, requiredLimits }), adapter.info), 3);
  registeredWithF16 = withF16;
}
