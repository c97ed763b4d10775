import { describe, expect, it } from 'vitest';
import { migrateDocument, MigrationError, SCHEMA_MIGRATIONS, type SchemaMigration } from '../../src/graph/migrations';
import { validateDocument } from '../../src/graph/validate';
import { types } from './fixtures';

/** A pre-release (schema 0) file, as the early prototype wrote them. */
const v0 = {
  schemaVersion: 0,
  title: 'Sternennacht',
  nodes: [
    { id: 'noise1', type: 'noise', x: 10, y: 20, params: { octaves: 3 } },
    { id: 'out1', type: 'out', x: 300, y: 20, params: {} },
  ],
  links: [{ source: 'noise1', sourcePort: 'image', target: 'out1', targetPort: 'image' }],
};

describe('schema migrations', () => {
  it('migrates a schema 0 document to the current schema', () => {
    const { raw, applied } = migrateDocument(v0);
    expect(applied).toEqual([SCHEMA_MIGRATIONS[0].describe, SCHEMA_MIGRATIONS[1].describe]);
    expect(raw).toEqual({
      schemaVersion: 2,
      meta: { title: 'Sternennacht' },
      nodes: [
        { id: 'noise1', type: 'noise', version: 1, position: { x: 10, y: 20 }, params: { octaves: 3 } },
        { id: 'out1', type: 'out', version: 1, position: { x: 300, y: 20 }, params: {} },
      ],
      edges: [{ from: { node: 'noise1', port: 'image' }, to: { node: 'out1', port: 'image' } }],
    });
  });

  it('treats a missing schemaVersion as schema 0 and validation reports the migration', () => {
    const { schemaVersion: _, ...unversioned } = v0;
    const result = validateDocument(unversioned, types);
    expect(result.errors).toEqual([]);
    expect(result.migrations).toEqual([SCHEMA_MIGRATIONS[0].describe, SCHEMA_MIGRATIONS[1].describe]);
    expect(result.document!.edges).toEqual([{ from: { node: 'noise1', port: 'image' }, to: { node: 'out1', port: 'image' } }]);
    expect(result.document!.nodes[0].params.octaves).toBe(3);
    expect(result.document!.meta).toEqual({ title: 'Sternennacht' });
  });

  it('leaves a current document alone', () => {
    const doc = { schemaVersion: 2, nodes: [], edges: [], meta: {}, annotations: { notes: [], frames: [] } };
    expect(migrateDocument(doc)).toEqual({ raw: doc, applied: [] });
  });

  it('chains steps and fails clearly without a path or for a newer document', () => {
    const steps: SchemaMigration[] = [
      { from: 0, to: 1, describe: 'one', migrate: (r) => ({ ...r, schemaVersion: 1, a: 1 }) },
      { from: 1, to: 2, describe: 'two', migrate: (r) => ({ ...r, schemaVersion: 2, b: 2 }) },
    ];
    expect(migrateDocument({ schemaVersion: 0 }, steps, 2)).toEqual({ raw: { schemaVersion: 2, a: 1, b: 2 }, applied: ['one', 'two'] });
    expect(() => migrateDocument({ schemaVersion: 0 }, steps.slice(1), 2)).toThrow('no migration from schemaVersion 0 to 2');
    expect(() => migrateDocument({ schemaVersion: 3 }, steps, 2)).toThrow(MigrationError);
    expect(() => migrateDocument({ schemaVersion: 3 }, steps, 2)).toThrow(/update MGAN Studio/);
  });
});

describe('schema 1 → 2 (notes and frames)', () => {
  const v1 = {
    schemaVersion: 1,
    meta: { title: 'Perlin', description: 'noise' },
    nodes: [
      { id: 'noise1', type: 'noise', version: 1, position: { x: 10, y: 20 }, params: { octaves: 3 } },
      { id: 'out1', type: 'out', version: 1, position: { x: 300, y: 20 }, params: {} },
    ],
    edges: [{ from: { node: 'noise1', port: 'image' }, to: { node: 'out1', port: 'image' } }],
  };

  it('loads a schema 1 document unchanged, with no notes or frames', () => {
    const result = validateDocument(v1, types);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.migrations).toEqual([SCHEMA_MIGRATIONS[1].describe]);
    const doc = result.document!;
    expect(doc.schemaVersion).toBe(2);
    expect(doc.annotations).toBeUndefined();
    expect(doc.meta).toEqual(v1.meta);
    expect(doc.edges).toEqual(v1.edges);
    expect(doc.nodes.map((n) => [n.id, n.position, n.params.octaves ?? null])).toEqual([
      ['noise1', { x: 10, y: 20 }, 3],
      ['out1', { x: 300, y: 20 }, null],
    ]);
  });

  it('drops a stray annotations field of a schema 1 file (schema 1 never read it)', () => {
    const { raw } = migrateDocument({ ...v1, annotations: { notes: [{ id: 'n', text: 'x', position: { x: 0, y: 0 } }] } });
    expect(raw).toEqual({ ...v1, schemaVersion: 2 });
  });

  it('keeps the notes and frames of a schema 2 document through validation', () => {
    const annotations = {
      notes: [{ id: 'why', text: '**D** sees patches', position: { x: 0, y: -120 }, width: 300 }],
      frames: [{ id: 'frame-1', title: 'Texture', color: '#4c7bd9', position: { x: -20, y: -160 }, size: { width: 400, height: 300 }, nodes: ['noise1'], notes: ['why'] }],
    };
    const result = validateDocument({ ...v1, schemaVersion: 2, annotations }, types);
    expect(result.errors).toEqual([]);
    expect(result.migrations).toEqual([]);
    expect(result.document!.annotations).toEqual(annotations);
  });
});

describe('node type migrations', () => {
  const node = (version: number, params: Record<string, unknown>) => ({
    schemaVersion: 2,
    nodes: [{ id: 'l1', type: 'legacy', version, params, position: { x: 0, y: 0 } }],
    edges: [],
    meta: {},
  });

  it('runs the type migrate from the saved version and records it', () => {
    const fromV1 = validateDocument(node(1, { radius: 50 }), types);
    expect(fromV1.errors).toEqual([]);
    expect(fromV1.migrations).toEqual(["node 'l1' (legacy): version 1 → 3"]);
    expect(fromV1.document!.nodes[0]).toMatchObject({ version: 3, params: { size: 0.5, quality: 'high' } });
    const fromV2 = validateDocument(node(2, { size: 10, quality: 'low' }), types);
    expect(fromV2.document!.nodes[0]).toMatchObject({ version: 3, params: { size: 0.1, quality: 'low' } });
    const current = validateDocument(node(3, { size: 0.3 }), types);
    expect(current.migrations).toEqual([]);
    expect(current.document!.nodes[0].params.size).toBe(0.3);
  });

  it('reports params a migration could not fix as param errors', () => {
    const result = validateDocument(node(1, {}), types);
    expect(result.errors.map((e) => e.message)).toEqual(["node 'l1' (legacy): param 'size' = null is not a number"]);
  });

  it('warns about a node saved by a newer version of its type and keeps it', () => {
    const result = validateDocument(node(5, { size: 0.3 }), types);
    expect(result.errors).toEqual([]);
    expect(result.warnings[0].code).toBe('newer-node-version');
    expect(result.warnings[0].message).toMatch(/node 'l1' \(legacy\) was saved at type version 5, newer than this MGAN Studio's 3/);
    expect(result.document!.nodes[0].version).toBe(5);
  });

  it('fills a missing node version with the type version (hand-written files)', () => {
    const raw = node(3, {});
    delete (raw.nodes[0] as { version?: number }).version;
    (raw.nodes[0].params as Record<string, unknown>).size = 0.2;
    const result = validateDocument(raw, types);
    expect(result.errors).toEqual([]);
    expect(result.document!.nodes[0].version).toBe(3);
  });
});
