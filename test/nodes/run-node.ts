/** Runs one node definition directly, the way the runtime calls it (params resolved, defaults filled). */
import type { ParamValue } from '../../src/graph/types';
import { resolveParams } from '../../src/graph/params';
import type { NodeDefinition, NodeEnv, NodeOutputs } from '../../src/nodes/types';
import { createNodeEnv } from '../../src/platform/node/env';

let sharedEnv: NodeEnv | undefined;
export const testEnv = (): NodeEnv => (sharedEnv ??= createNodeEnv());

export async function runNode(
  def: NodeDefinition,
  params: Record<string, ParamValue> = {},
  inputs: Record<string, unknown> = {},
  env: NodeEnv = testEnv(),
): Promise<{ outputs: NodeOutputs; warnings: string[]; notes: string[] }> {
  const resolved = resolveParams(def, params, 'n1');
  const errors = resolved.issues.filter((i) => i.severity === 'error');
  if (errors.length) throw new Error(errors.map((e) => e.message).join('; '));
  const warnings: string[] = [];
  const notes: string[] = [];
  const outputs = await def.run({
    nodeId: def.type,
    inputs,
    params: resolved.params,
    signal: new AbortController().signal,
    control: { checkpoint: async () => {}, paused: false },
    env,
    progress: () => {},
    preview: () => {},
    warn: (m) => warnings.push(m),
    note: (m) => notes.push(m),
  });
  return { outputs, warnings, notes };
}
