/**
 * Random edit sequences (add, remove, connect, disconnect, duplicate, copy/paste, set param, bypass,
 * move, undo/redo) must always leave a document that validates without errors, must never mutate
 * the document they were given, and undo must give back exactly the earlier versions.
 */
import { describe, expect, it } from 'vitest';
import {
  addNode,
  canConnect,
  connect,
  disconnect,
  GraphEditError,
  moveNodes,
  removeNodes,
  setBypass,
  setParam,
} from '../../src/graph/edit';
import { copyFragment, duplicateItems, parseFragment, pasteFragment } from '../../src/graph/fragment';
import { emptyDocument, serializeDocument } from '../../src/graph/document';
import { acceptedTypes, outputType } from '../../src/graph/ports';
import { History } from '../../src/graph/history';
import { parseDocument, validateDocument } from '../../src/graph/validate';
import type { GraphDocument, ParamSpec, ParamValue } from '../../src/graph/types';
import { ALL_SPECS, types } from './fixtures';

/** mulberry32: a tiny seeded PRNG so every failure is reproducible from its seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick<T>(items: readonly T[]): T {
      return items[Math.floor(next() * items.length)];
    },
  };
}
type Rng = ReturnType<typeof prng>;

/** A random value, valid about two times in three. */
function randomValue(rng: Rng, spec: ParamSpec): ParamValue {
  const valid = rng.next() < 0.67;
  switch (spec.type) {
    case 'number': {
      const lo = spec.min ?? -100;
      const hi = spec.max ?? 100;
      const v = valid ? lo + rng.next() * (hi - lo) : rng.pick([hi + 1, lo - 1, Number.NaN, 0.5]);
      return spec.integer && valid ? Math.round(v) : v;
    }
    case 'seed':
      return valid ? rng.int(1000) : -1;
    case 'string':
      return spec.options ? (valid ? rng.pick(spec.options) : 'nope') : `text ${rng.int(10)} — ✓`;
    case 'boolean':
      return valid ? rng.next() < 0.5 : 'true';
  }
}

const MYSTERY_FRAGMENT = {
  kind: 'mgan-studio/fragment',
  nodes: [{ id: 'm', type: 'mystery-node', version: 4, params: { anything: 1 }, position: { x: 0, y: 0 } }],
  edges: [],
};

function randomEdit(rng: Rng, doc: GraphDocument): GraphDocument {
  const ids = doc.nodes.map((n) => n.id);
  const someIds = () => ids.filter(() => rng.next() < 0.3);
  // Past 40 nodes, growing edits become removals, so graphs stay dense with edges (and tests quick).
  const grows = [0, 1, 6, 7];
  const drawn = rng.int(13);
  const op = doc.nodes.length > 40 && grows.includes(drawn) ? 2 : drawn;
  try {
    switch (op) {
      case 0:
      case 1:
        return addNode(doc, rng.pick(ALL_SPECS), { x: rng.int(1000), y: rng.int(1000) }).doc;
      case 2:
        return removeNodes(doc, ids.filter(() => rng.next() < 0.15));
      case 3:
      case 4:
      case 10:
      case 11:
      case 12: {
        const sources = doc.nodes.filter((n) => (types.get(n.type)?.outputs.length ?? 1) > 0 || rng.next() < 0.1);
        if (sources.length === 0) return doc;
        const fromNode = rng.pick(sources);
        const fromSpec = types.get(fromNode.type);
        const fromPort = fromSpec && fromSpec.outputs.length > 0 ? rng.pick(fromSpec.outputs) : undefined;
        // Mostly aim at inputs that accept the output's type, so graphs grow many edges.
        const candidates = doc.nodes.flatMap((n) =>
          (types.get(n.type)?.inputs ?? [])
            .filter((p) => !fromPort || rng.next() < 0.2 || acceptedTypes(p).includes(outputType(fromPort)))
            .map((p) => ({ node: n, port: p.name })),
        );
        if (candidates.length === 0) return doc;
        const target = rng.pick(candidates);
        const toNode = target.node;
        const toPort = target.port;
        const from = { node: fromNode.id, port: fromPort?.name ?? 'image' };
        const to = { node: toNode.id, port: toPort };
        const check = canConnect(doc, from, to, types);
        try {
          const next = connect(doc, from, to, types);
          expect(check.ok).toBe(true);
          return next;
        } catch (e) {
          expect(check.ok).toBe(false);
          throw e;
        }
      }
      case 5: {
        if (doc.edges.length === 0) return doc;
        return disconnect(doc, rng.pick(doc.edges).to);
      }
      case 6:
        return duplicateItems(doc, { nodes: someIds() }, { x: 30, y: 30 }).doc;
      case 7: {
        const fragment = rng.next() < 0.1 ? parseFragment(MYSTERY_FRAGMENT) : parseFragment(JSON.parse(JSON.stringify(copyFragment(doc, { nodes: someIds() }))));
        return pasteFragment(doc, fragment, { x: rng.int(50), y: rng.int(50) }).doc;
      }
      case 8: {
        const node = rng.pick(doc.nodes);
        const spec = node && types.get(node.type);
        if (!spec || spec.params.length === 0) return doc;
        const param = rng.pick(spec.params);
        return setParam(doc, node.id, param.name, randomValue(rng, param), types);
      }
      default: {
        if (ids.length === 0) return doc;
        const id = rng.pick(ids);
        return rng.next() < 0.5 ? setBypass(doc, id, rng.next() < 0.5) : moveNodes(doc, { [id]: { x: rng.int(500), y: rng.int(500) - 250 } });
      }
    }
  } catch (e) {
    if (e instanceof GraphEditError) return doc; // a refused edit leaves the document as it was
    throw e;
  }
}

describe('random edit sequences', () => {
  for (let seed = 1; seed <= 25; seed++) {
    it(`seed ${seed}: every step validates, nothing is mutated, undo restores each version`, () => {
      const rng = prng(seed);
      let doc = emptyDocument({ title: `fuzz ${seed}` });
      const history = new History(doc);
      const versions: GraphDocument[] = [doc];
      for (let step = 0; step < 100; step++) {
        const before = JSON.stringify(doc);
        const next = randomEdit(rng, doc);
        expect(JSON.stringify(doc), `step ${step} mutated its input`).toBe(before);
        const result = validateDocument(next, types, { partial: true });
        expect(result.errors, `seed ${seed} step ${step}`).toEqual([]);
        // resolving params is idempotent on documents the edits produce (params already complete)
        for (const node of result.document!.nodes) {
          if (types.get(node.type)) expect(node.params).toEqual(next.nodes.find((n) => n.id === node.id)!.params);
        }
        if (next !== doc) {
          history.push(next);
          versions.push(next);
        }
        doc = next;
      }
      const reparsed = parseDocument(serializeDocument(doc), types, { partial: true });
      expect(reparsed.errors).toEqual([]);
      expect(reparsed.document).toEqual(validateDocument(doc, types, { partial: true }).document);
      // the sequence really built graphs, not just refused edits
      expect(versions.length).toBeGreaterThan(40);
      expect(Math.max(...versions.map((v) => v.edges.length))).toBeGreaterThanOrEqual(2);
      for (let i = versions.length - 2; i >= 0; i--) expect(history.undo()).toBe(versions[i]);
      expect(history.canUndo).toBe(false);
    });
  }
});
