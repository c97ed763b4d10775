import { describe, expect, it } from 'vitest';
import { resolveParams } from '../../src/graph/params';
import { fileNameProblem } from '../../src/formats/file-name';
import { externalReferences, storeRefIsPath } from '../../src/graph/resources';
import { validateDocument } from '../../src/graph/validate';
import type { GraphDocument } from '../../src/graph/types';
import { nodeRegistry } from '../../src/nodes/registry';

const node = (id: string, type: string, params: Record<string, unknown> = {}) => ({ id, type, version: 1, params, position: { x: 0, y: 0 } });

describe('plain file names (what a graph may name the files it writes)', () => {
  it('accepts plain names and refuses folders, separators, hidden and option-like names', () => {
    for (const ok of ['video_out', 'clip.v2', 'a', '0-9', 'x'.repeat(100)]) expect(fileNameProblem(ok)).toBeUndefined();
    expect(fileNameProblem('')).toBe('is empty');
    expect(fileNameProblem('.')).toMatch(/folder reference/);
    expect(fileNameProblem('..')).toMatch(/folder reference/);
    expect(fileNameProblem('../x')).toMatch(/folder separator/);
    expect(fileNameProblem('a/b')).toMatch(/folder separator/);
    expect(fileNameProblem('a\\b')).toMatch(/folder separator/);
    expect(fileNameProblem('/etc')).toMatch(/folder separator/);
    expect(fileNameProblem('.hidden')).toMatch(/must start with/);
    expect(fileNameProblem('-y')).toMatch(/must start with/);
    expect(fileNameProblem('a b')).toMatch(/may hold only/);
    expect(fileNameProblem('x'.repeat(101))).toMatch(/101 characters/);
  });

  it("video-out's name and mgan-trainer's saveAs are checked when the document loads", () => {
    const video = nodeRegistry.get('video-out')!;
    for (const bad of ['..', '.', '../../etc', 'a/b']) {
      const { issues } = resolveParams(video, { name: bad }, 'v');
      expect(issues.map((i) => [i.code, i.param])).toEqual([['param-file-name', 'name']]);
      expect(issues[0].message).toMatch(new RegExp(`node 'v' \\(video-out\\): param 'name' = "${bad.replace(/[./]/g, '\\$&')}" is not a plain file name`));
    }
    expect(resolveParams(video, { name: '' }, 'v').issues).toEqual([]);
    expect(resolveParams(video, { name: 'clip' }, 'v').issues).toEqual([]);
    const trainer = nodeRegistry.get('mgan-trainer')!;
    expect(resolveParams(trainer, { saveAs: '../decoders' }, 't').issues[0]).toMatchObject({ code: 'param-file-name', param: 'saveAs' });
    const doc = { schemaVersion: 1, nodes: [node('v', 'video-out', { name: '..' })], edges: [], meta: {} };
    const result = validateDocument(doc, nodeRegistry);
    expect(result.document).toBeUndefined();
    expect(result.errors.map((e) => e.code)).toContain('param-file-name');
  });
});

describe('externalReferences', () => {
  it('lists every URL and local path the params name, path lists split, store names left out', () => {
    const doc: GraphDocument = {
      schemaVersion: 1,
      nodes: [
        node('img', 'image-source', { path: '../photo.png', url: 'http://10.0.0.1/a.png' }),
        node('set', 'image-set', { paths: 'a.png, ../b.png ,', folder: '/data/photos' }),
        node('vid', 'video-source', { url: 'https://example.org/v.webm' }),
        node('dec', 'mgan-decoder', { decoder: 'starry_night' }),
        node('dec2', 'mgan-decoder', { decoder: 'shared/brick.mgan' }),
        node('out', 'video-out', { name: 'clip' }),
        node('noise', 'perlin-noise'),
        node('alien', 'no-such-type', { path: '/etc/passwd' }),
      ] as GraphDocument['nodes'],
      edges: [],
      meta: {},
    };
    expect(externalReferences(doc, nodeRegistry).map((r) => `${r.nodeId}.${r.param} ${r.kind} ${r.value}`)).toEqual([
      'img.path path ../photo.png',
      'img.url url http://10.0.0.1/a.png',
      'set.paths path a.png',
      'set.paths path ../b.png',
      'set.folder path /data/photos',
      'vid.url url https://example.org/v.webm',
      'dec2.decoder path shared/brick.mgan',
    ]);
  });

  it('lists the URLs and paths the values of the sweep a document names would set', () => {
    const doc: GraphDocument = {
      schemaVersion: 2,
      nodes: [node('img', 'image-source', { url: 'https://example.org/a.png' })] as GraphDocument['nodes'],
      edges: [],
      meta: { sweep: { node: 'img', param: 'url', values: ['https://example.org/a.png', 'http://192.168.1.1/admin.png', 7] } },
    };
    expect(externalReferences(doc, nodeRegistry).map((r) => `${r.nodeId}.${r.param} ${r.kind} ${r.value}`)).toEqual([
      'img.url url https://example.org/a.png',
      'img.url url http://192.168.1.1/admin.png',
    ]);
  });

  it('tells a store name from a path', () => {
    expect(storeRefIsPath('starry_night')).toBe(false);
    expect(storeRefIsPath('my.decoder')).toBe(false);
    expect(storeRefIsPath('brick.mgan')).toBe(true);
    expect(storeRefIsPath('BRICK.MGAN')).toBe(true);
    expect(storeRefIsPath('../decoders/x')).toBe(true);
    expect(storeRefIsPath('C:\\x')).toBe(true);
  });
});
