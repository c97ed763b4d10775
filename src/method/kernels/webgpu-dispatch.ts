/**
 * Runs one WGSL compute shader with several outputs inside tfjs-webgpu's own command stream: tfjs's
 * programs have exactly one output, so a fused update (Adam's parameter, first and second moment) or a
 * fused forward (an activation and what its gradient needs) would otherwise be several programs that
 * each re-read the same inputs. The dispatch goes into the backend's open compute pass and counts
 * towards its submission batch, exactly as a tfjs program does; inputs and outputs are tfjs tensors.
 *
 * Relies on tfjs-backend-webgpu 4.22's backend fields (device, tensorMap, uploadToGPU, the command
 * encoder and its compute pass, the deferred-submit batch), checked when the backend starts
 * (`webGpuDispatchProblem`).
 */
import * as tf from '@tensorflow/tfjs';

interface GpuBufferLike {
  size: number;
}
interface PassLike {
  setPipeline(p: unknown): void;
  setBindGroup(i: number, g: unknown): void;
  dispatchWorkgroups(x: number, y?: number, z?: number): void;
  end(): void;
}
interface DeviceLike {
  createShaderModule(d: { code: string; label?: string }): unknown;
  createComputePipeline(d: { layout: 'auto'; compute: { module: unknown; entryPoint: string }; label?: string }): { getBindGroupLayout(i: number): unknown };
  createQuerySet(d: { type: 'timestamp'; count: number }): unknown;
  createBindGroup(d: { layout: unknown; entries: Array<{ binding: number; resource: { buffer: GpuBufferLike; offset?: number; size?: number } }> }): unknown;
  limits: { maxComputeWorkgroupsPerDimension: number };
}
interface WebGpuBackendLike {
  device: DeviceLike;
  queue: { writeBuffer(b: GpuBufferLike, offset: number, data: ArrayBuffer): void };
  tensorMap: { get(id: object): { resource?: unknown; refCount: number } };
  uploadToGPU(id: object): void;
  makeTensorInfo(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  ensureCommandEncoderReady(): void;
  commandEncoder: { beginComputePass(d: object): PassLike };
  computePassEncoder: PassLike | null;
  dispatchCountInPass: number;
  commandQueueOwnedIds: WeakSet<object>;
  endComputePassEncoder(): void;
  submitQueue(): void;
  activeTimers?: Array<{ name: string; query: Promise<number> }> | null;
  supportTimestampQuery?: boolean;
  querySet?: unknown;
  querySetCount: number;
  getQueryTime(): Promise<number>;
  bufferManager: { acquireBuffer(size: number, usage: number): GpuBufferLike; releaseBuffer(b: GpuBufferLike): void };
  uniformPendingDisposal: GpuBufferLike[];
}

/** Why this module cannot dispatch on the current backend, or undefined when it can. */
export function webGpuDispatchProblem(backend: unknown = tf.backend()): string | undefined {
  const b = backend as Partial<WebGpuBackendLike>;
  for (const key of ['device', 'tensorMap', 'uploadToGPU', 'makeTensorInfo', 'ensureCommandEncoderReady', 'endComputePassEncoder', 'submitQueue', 'bufferManager'] as const) {
    if (!(key in b) || b[key] == null) return `the WebGPU backend has no '${key}' (tfjs-backend-webgpu changed)`;
  }
  return undefined;
}

export interface WgslKernel {
  /** Cache key and label. */
  name: string;
  /**
   * The shader body after the bindings: must define `@compute @workgroup_size(WORKGROUP) fn main(...)`.
   * Bindings are declared here: 0..inputs-1 read-only `array<f32>` named as in `inputs`, then the
   * outputs `array<f32>` read_write named as in `outputs`, then `u: Uniforms` (the struct `uniforms`).
   */
  body: string;
  inputs: string[];
  outputs: string[];
  /** WGSL struct fields of the uniforms, all f32 or u32/i32 (4 bytes each), e.g. `n: u32, lr: f32`. */
  uniforms: Array<[string, 'f32' | 'u32' | 'i32']>;
  /**
   * Element types of some bindings by name (default `f32`), e.g. `vec4<f16>`: a tensor holding f16
   * values is a float32 tensor of half as many elements (two halves per 32-bit word).
   */
  types?: Record<string, string>;
  /** `enable f16;` (the device needs `shader-f16`: runtime/webgpu-device.ts). */
  f16?: boolean;
  /**
   * Dispatch as many rows of workgroups as the threads need (more than 65535·WORKGROUP threads): the
   * shader then numbers its thread `gid.x + gid.y * nwg.x * WORKGROUP`, with
   * `@builtin(num_workgroups) nwg: vec3<u32>`.
   */
  rows?: boolean;
}

export const WORKGROUP = 256;

/** How many elements a tensor holds. */
export const elementCount = (t: tf.TensorInfo): number => t.shape.reduce((a, b) => a * b, 1);

/**
 * WGSL: a tree sum of `partial` (var<workgroup> array<f32, WORKGROUP>) over the workgroup, left in
 * partial[0]; `t` is the local invocation index (every thread must reach it: it holds barriers).
 */
export const TREE_SUM = `
  workgroupBarrier();
  for (var k = WORKGROUP / 2u; k > 0u; k = k >> 1u) {
    if (t < k) { partial[t] = partial[t] + partial[t + k]; }
    workgroupBarrier();
  }`;

const pipelines = new WeakMap<object, Map<string, { getBindGroupLayout(i: number): unknown }>>();

function shaderSource(k: WgslKernel): string {
  const decl: string[] = k.f16 ? ['enable f16;'] : [];
  const type = (n: string) => k.types?.[n] ?? 'f32';
  k.inputs.forEach((n, i) => decl.push(`@group(0) @binding(${i}) var<storage, read> ${n}: array<${type(n)}>;`));
  k.outputs.forEach((n, i) => decl.push(`@group(0) @binding(${k.inputs.length + i}) var<storage, read_write> ${n}: array<${type(n)}>;`));
  decl.push(`struct Uniforms { ${k.uniforms.map(([n, t]) => `${n}: ${t}`).join(', ')} };`);
  decl.push(`@group(0) @binding(${k.inputs.length + k.outputs.length}) var<uniform> u: Uniforms;`);
  return `${decl.join('\n')}\nconst WORKGROUP: u32 = ${WORKGROUP}u;\n${k.body}`;
}

function pipelineFor(backend: WebGpuBackendLike, k: WgslKernel) {
  let cache = pipelines.get(backend.device as object);
  if (!cache) pipelines.set(backend.device as object, (cache = new Map()));
  let p = cache.get(k.name);
  if (!p) {
    const module = backend.device.createShaderModule({ code: shaderSource(k), label: k.name });
    p = backend.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' }, label: k.name });
    cache.set(k.name, p);
  }
  return p;
}

/** GPUBufferUsage.UNIFORM | COPY_DST (the globals exist only where WebGPU does). */
const UNIFORM_USAGE = 0x40 | 0x08;

/**
 * Dispatches `k` over `threads` invocations (one row of workgroups, at most 65535·WORKGROUP threads,
 * unless `k.rows`)
 * and returns one new float32 tensor per output with the given shapes. `uniformValues` in the order
 * of `k.uniforms`. Under `tf.profile` the dispatch is timed like a tfjs program (its own timed pass).
 */
export function dispatchWgsl(k: WgslKernel, inputs: tf.TensorInfo[], outputShapes: number[][], uniformValues: number[], threads: number): tf.TensorInfo[] {
  const backend = tf.backend() as unknown as WebGpuBackendLike;
  const problem = webGpuDispatchProblem(backend);
  if (problem) throw new Error(`${k.name}: ${problem}`);
  if (inputs.length !== k.inputs.length || outputShapes.length !== k.outputs.length || uniformValues.length !== k.uniforms.length) {
    throw new Error(`${k.name}: expected ${k.inputs.length} inputs, ${k.outputs.length} outputs, ${k.uniforms.length} uniforms`);
  }
  const groups = Math.ceil(threads / WORKGROUP);
  const perRow = backend.device.limits.maxComputeWorkgroupsPerDimension;
  if (groups > perRow && !k.rows) throw new Error(`${k.name}: ${threads} threads are more than one dispatch row holds`);
  const [groupsX, groupsY] = groups > perRow ? [perRow, Math.ceil(groups / perRow)] : [groups, 1];
  const outputs = outputShapes.map((shape) => backend.makeTensorInfo(shape, 'float32'));
  for (const t of [...inputs, ...outputs]) backend.uploadToGPU(t.dataId);
  const uniformBytes = new ArrayBuffer(Math.max(16, Math.ceil((uniformValues.length * 4) / 16) * 16));
  const view = new DataView(uniformBytes);
  k.uniforms.forEach(([, type], i) => {
    if (type === 'f32') view.setFloat32(i * 4, uniformValues[i], true);
    else if (type === 'u32') view.setUint32(i * 4, uniformValues[i], true);
    else view.setInt32(i * 4, uniformValues[i], true);
  });
  const uniform = backend.bufferManager.acquireBuffer(uniformBytes.byteLength, UNIFORM_USAGE);
  backend.queue.writeBuffer(uniform, 0, uniformBytes);
  backend.uniformPendingDisposal.push(uniform);
  const pipeline = pipelineFor(backend, k);
  const entries = [...inputs, ...outputs].map((t, i) => ({ binding: i, resource: { buffer: backend.tensorMap.get(t.dataId).resource as GpuBufferLike } }));
  entries.push({ binding: entries.length, resource: { buffer: uniform } });
  const bindGroup = backend.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
  for (const t of [...inputs, ...outputs]) backend.commandQueueOwnedIds.add(t.dataId);
  backend.ensureCommandEncoderReady();
  const timed = backend.activeTimers != null;
  if (timed && backend.supportTimestampQuery) {
    backend.endComputePassEncoder();
    backend.querySet ??= backend.device.createQuerySet({ type: 'timestamp', count: backend.querySetCount });
    backend.computePassEncoder = backend.commandEncoder.beginComputePass({ timestampWrites: { querySet: backend.querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } });
  } else if (!backend.computePassEncoder) {
    backend.computePassEncoder = backend.commandEncoder.beginComputePass({});
  }
  const pass = backend.computePassEncoder;
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(groupsX, groupsY);
  backend.dispatchCountInPass++;
  if (timed || (tf.env().get('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE') as number) <= backend.dispatchCountInPass) {
    backend.endComputePassEncoder();
    if (timed) backend.activeTimers!.push({ name: k.name, query: backend.getQueryTime() });
    else backend.submitQueue();
  }
  return outputs;
}
