/** defineNode: one declaration gives the specs, the typed params, the checks and the migrations. */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { resolveParams } from '../../src/graph/params';
import { validateDocument } from '../../src/graph/validate';
import { defineNode, NodeDeclarationError, param, type ParamsOf } from '../../src/nodes/define-node';
import { NodeRegistry } from '../../src/nodes/registry';

const params = {
  radius: param.number({ default: 2, min: 0, max: 32, step: 1, integer: true, doc: 'Blur radius in pixels.', paper: 4 }),
  mode: param.choice(['box', 'gauss'], { default: 'gauss', doc: 'Kernel shape.' }),
  seed: param.seed({ default: 1, doc: 'Seed.' }),
  keep: param.boolean({ default: true, doc: 'Keep the edges.' }),
  name: param.string({ default: '', resource: 'output-name', doc: 'A file name.' }),
};

const base = {
  type: 'blur-test',
  version: 1,
  title: 'Blur',
  category: 'Test',
  doc: 'Blurs.',
  inputs: [{ name: 'image', type: 'Image' as const }],
  outputs: [{ name: 'image', type: 'Image' as const }],
  params,
  async run() {
    return {};
  },
};

describe('defineNode', () => {
  it('gives the params their TypeScript types in run', () => {
    expectTypeOf<ParamsOf<typeof params>>().toEqualTypeOf<{ radius: number; mode: 'box' | 'gauss'; seed: number; keep: boolean; name: string }>();
    const seen: unknown[] = [];
    const def = defineNode({
      ...base,
      async run(ctx) {
        expectTypeOf(ctx.params.mode).toEqualTypeOf<'box' | 'gauss'>();
        seen.push(ctx.params);
        return {};
      },
    });
    expect(def.run).toBeTypeOf('function');
  });

  it('makes the ParamSpecs the document is checked against, in declaration order, the paper value in the description', () => {
    const def = defineNode(base);
    expect(def.params.map((p) => p.name)).toEqual(['radius', 'mode', 'seed', 'keep', 'name']);
    expect(def.params[0]).toEqual({
      name: 'radius',
      type: 'number',
      default: 2,
      min: 0,
      max: 32,
      step: 1,
      integer: true,
      paper: 4,
      description: 'Blur radius in pixels (paper: 4).',
    });
    expect(def.params[1]).toMatchObject({ name: 'mode', type: 'string', options: ['box', 'gauss'], description: 'Kernel shape.' });
    const resolved = resolveParams(def, { radius: 40 }, 'n1');
    expect(resolved.issues.map((i) => i.message)).toEqual([expect.stringContaining("param 'radius' = 40 is above its maximum 32")]);
    expect(resolveParams(def, {}, 'n1').params).toEqual({ radius: 2, mode: 'gauss', seed: 1, keep: true, name: '' });
  });

  it.each([
    ['a default outside its range', { params: { r: param.number({ default: 40, max: 32, doc: 'R.' }) } }, "node type 'blur-test': param 'r': its default 40 is above its maximum 32"],
    ['a default that is not one of its options', { params: { m: param.choice(['a', 'b'], { default: 'c', doc: 'M.' }) } }, "param 'm': its default \"c\" is not one of \"a\", \"b\""],
    ['a non-integer default of an integer param', { params: { n: param.number({ default: 1.5, integer: true, doc: 'N.' }) } }, "param 'n': its default 1.5 is not an integer"],
    ['a param without a doc', { params: { n: param.number({ default: 1, doc: ' ' }) } }, "param 'n' has no doc"],
    ['a port declared twice', { inputs: [{ name: 'a', type: 'Image' as const }, { name: 'a', type: 'Image' as const }] }, "input 'a' is declared twice"],
    ['an unknown port type', { outputs: [{ name: 'x', type: 'Tensor' as never }] }, "output 'x' has the unknown port type 'Tensor'"],
    ['an input made on demand', { inputs: [{ name: 'a', type: 'Image' as const, onDemand: true }] }, "input 'a': onDemand is for outputs"],
    ['a type name with capitals', { type: 'Blur' }, 'a type name is lowercase letters'],
    ['version 0', { version: 0 }, 'version must be a whole number of at least 1'],
  ])('refuses %s when it is defined', (_, change, message) => {
    expect(() => defineNode({ ...base, ...change } as typeof base)).toThrow(NodeDeclarationError);
    expect(() => defineNode({ ...base, ...change } as typeof base)).toThrow(message);
  });

  describe('migrations: numbered steps', () => {
    const step = (version: number, field: string) => ({ version, why: `adds ${field}`, up: (p: Record<string, unknown>) => ({ ...p, [field]: version }) as never });

    it('applies the steps after the saved version, in order', () => {
      const def = defineNode({ ...base, version: 3, migrations: [step(2, 'two'), step(3, 'three')] });
      expect(def.migrate!({ radius: 1 }, 1)).toEqual({ radius: 1, two: 2, three: 3 });
      expect(def.migrate!({ radius: 1 }, 2)).toEqual({ radius: 1, three: 3 });
    });

    it('runs them when a document with an older node is loaded', () => {
      const def = defineNode({
        ...base,
        inputs: [],
        version: 2,
        migrations: [{ version: 2, why: 'radius was a diameter', up: (p) => ({ ...p, radius: Number(p.radius) / 2 }) }],
      });
      const doc = { schemaVersion: 2, nodes: [{ id: 'b', type: 'blur-test', version: 1, params: { radius: 8 }, position: { x: 0, y: 0 } }], edges: [], meta: {} };
      const result = validateDocument(doc, new NodeRegistry([def]));
      expect(result.errors).toEqual([]);
      expect(result.document!.nodes[0]).toMatchObject({ version: 2, params: { radius: 4 } });
      expect(result.migrations).toEqual(["node 'b' (blur-test): version 1 → 2"]);
    });

    it.each([
      ['a gap', [step(2, 'a'), step(4, 'b')], 4],
      ['steps out of order', [step(3, 'a'), step(2, 'b')], 3],
      ['a last step below the version', [step(2, 'a')], 3],
      ['a step numbered 1', [step(1, 'a'), step(2, 'b')], 2],
    ])('refuses %s when it is defined', (_, migrations, version) => {
      expect(() => defineNode({ ...base, version, migrations })).toThrow(/migration steps must be numbered one per version/);
    });
  });
});
