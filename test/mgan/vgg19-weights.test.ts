// Weight files: checksums, errors naming the file, the Node cache store, the browser IndexedDB store,
// and Keras layers models.
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UseStore } from 'idb-keyval';
import { preprocessForVgg } from '../../src/method/vgg/vgg19';
import { loadVgg19, loadVgg19FromLayersModel, md5Hex, type WeightFileFetcher } from '../../src/method/vgg/vgg19-weights';
import { checkInstalledWeights, createNodeVgg19Service, installWeights, vgg19CacheDir } from '../../src/platform/node/weights-store';
import { cachedWeightFetcher } from '../../src/platform/browser/weights-store';
import { TEST_VGG19_DIR, readTestWeightFile } from '../support/vgg19';

const SHALLOW_FILES = ['manifest.json', 'conv1_1_kernel', 'conv1_1_bias', 'conv1_2_kernel', 'conv1_2_bias', 'conv2_1_kernel', 'conv2_1_bias'];

let files: Map<string, Uint8Array>;
beforeAll(async () => {
  files = new Map();
  for (const f of SHALLOW_FILES) files.set(f, await readTestWeightFile(f));
});

/** A fetcher over `files` with some of them replaced or removed. */
function fetcherWith(changes: Record<string, Uint8Array | null>): WeightFileFetcher {
  return async (filename) => {
    const changed = changes[filename];
    if (changed === null) throw new Error('ENOENT: no such file');
    const bytes = changed ?? files.get(filename);
    if (!bytes) throw new Error('ENOENT: no such file');
    return bytes;
  };
}

describe('8-bit weight files are checked against the manifest', () => {
  it('md5 of a real file matches its manifest checksum', async () => {
    const manifest = JSON.parse(new TextDecoder().decode(files.get('manifest.json')));
    expect(md5Hex(files.get('conv1_2_kernel')!)).toBe(manifest.weights['conv1_2/kernel'].checksum);
  });
  it('a corrupt file (same size, one byte changed) is an error naming it', async () => {
    const corrupt = files.get('conv1_2_kernel')!.slice();
    corrupt[1000] ^= 0xff;
    await expect(loadVgg19(fetcherWith({ conv1_2_kernel: corrupt }), 'relu2_1')).rejects.toThrow(/'conv1_2_kernel' is corrupt: md5/);
  });
  it('a short file is an error naming it', async () => {
    const short = files.get('conv2_1_bias')!.slice(0, 100);
    await expect(loadVgg19(fetcherWith({ conv2_1_bias: short }), 'relu2_1')).rejects.toThrow(/'conv2_1_bias' is short: 100 bytes, expected 128/);
  });
  it('a missing file is an error naming it', async () => {
    await expect(loadVgg19(fetcherWith({ conv1_1_bias: null }), 'relu2_1')).rejects.toThrow(/'conv1_1_bias' could not be read/);
    await expect(loadVgg19(fetcherWith({ 'manifest.json': null }), 'relu1_1')).rejects.toThrow(/'manifest.json' could not be read/);
  });
  it('a broken manifest is an error naming the manifest', async () => {
    await expect(loadVgg19(fetcherWith({ 'manifest.json': new TextEncoder().encode('{"weights": ') }), 'relu1_1')).rejects.toThrow(
      /manifest.json is not valid JSON/,
    );
  });
  it('loads only the files the depth needs', async () => {
    const asked: string[] = [];
    const vgg = await loadVgg19(async (f) => (asked.push(f), fetcherWith({})(f)), 'relu1_2');
    expect(asked.sort()).toEqual(['conv1_1_bias', 'conv1_1_kernel', 'conv1_2_bias', 'conv1_2_kernel', 'manifest.json']);
    expect(vgg.deepest).toBe('relu1_2');
    vgg.dispose();
  });
});

describe('Node weights store', () => {
  let cacheDir: string;
  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'vgg19-cache-'));
  });
  afterAll(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('says how to install when the weights are missing', async () => {
    const service = createNodeVgg19Service({ cacheDir });
    await expect(service.load('relu1_1')).rejects.toThrow(/VGG19 weights are not installed \(looked in .*weights\/vgg19\): run `npx mgan-studio weights --from <folder\|url>`/);
    await expect(checkInstalledWeights(cacheDir)).rejects.toThrow(/not installed/);
  });

  it('installs from a folder (all 32 files verified), loads from the cache, caches the model per process', async () => {
    const result = await installWeights(TEST_VGG19_DIR, { cacheDir });
    expect(result).toEqual({ dir: vgg19CacheDir(cacheDir), files: 32, bytes: 20_024_384 });
    expect((await checkInstalledWeights(cacheDir)).files).toBe(32);
    const service = createNodeVgg19Service({ cacheDir });
    const shallow = await service.load('relu1_1');
    expect(shallow.deepest).toBe('relu1_1');
    const deeper = await service.load('relu2_1');
    expect(deeper.deepest).toBe('relu2_1');
    expect(await service.load('relu1_2')).toBe(deeper); // a deep enough model is reused
  });

  it('install from a base URL downloads through fetch', async () => {
    const urlCache = await mkdtemp(join(tmpdir(), 'vgg19-url-'));
    const requested: string[] = [];
    const fetchImpl = (async (url: string) => {
      requested.push(url);
      const name = url.replace('https://example.org/w/', '');
      return new Response(await readTestWeightFile(name));
    }) as unknown as typeof fetch;
    await installWeights('https://example.org/w', { cacheDir: urlCache, fetchImpl });
    expect(requested[0]).toBe('https://example.org/w/manifest.json');
    expect(requested).toHaveLength(33);
    await rm(urlCache, { recursive: true, force: true });
  });

  it('a corrupt installed file fails --check naming it; a corrupt source never gets installed', async () => {
    const dir = vgg19CacheDir(cacheDir);
    const good = await readFile(join(dir, 'conv3_1_kernel'));
    const bad = Buffer.from(good);
    bad[5] ^= 1;
    await writeFile(join(dir, 'conv3_1_kernel'), bad);
    await expect(checkInstalledWeights(cacheDir)).rejects.toThrow(/'conv3_1_kernel' is corrupt/);

    const otherCache = await mkdtemp(join(tmpdir(), 'vgg19-bad-'));
    await expect(installWeights(dir, { cacheDir: otherCache })).rejects.toThrow(/'conv3_1_kernel' is corrupt/);
    expect(existsSync(join(vgg19CacheDir(otherCache), 'manifest.json'))).toBe(false); // never looks complete
    await rm(otherCache, { recursive: true, force: true });
    await writeFile(join(dir, 'conv3_1_kernel'), good);
  });
});

/** An in-memory stand-in for an IndexedDB object store, speaking idb-keyval's UseStore protocol. */
function memoryIdbStore(): { store: UseStore; data: Map<IDBValidKey, unknown> } {
  const data = new Map<IDBValidKey, unknown>();
  const request = <T>(result: () => T) => {
    const req: { result?: T; onsuccess?: () => void; oncomplete?: () => void } = {};
    queueMicrotask(() => {
      req.result = result();
      (req.onsuccess ?? req.oncomplete)?.();
    });
    return req;
  };
  const objectStore = {
    get: (key: IDBValidKey) => request(() => data.get(key)),
    put: (value: unknown, key: IDBValidKey) => data.set(key, value),
    get transaction() {
      return request(() => undefined);
    },
  };
  const store = ((_mode: IDBTransactionMode, callback: (s: IDBObjectStore) => unknown) =>
    Promise.resolve(callback(objectStore as unknown as IDBObjectStore))) as UseStore;
  return { store, data };
}

describe('browser weights store (IndexedDB cache, sources in order)', () => {
  it('falls back to the next source, verifies before caching, then serves from the cache', async () => {
    const { store, data } = memoryIdbStore();
    const requested: string[] = [];
    const fetchImpl = (async (url: string) => {
      requested.push(url);
      if (url.startsWith('https://site/')) return new Response('not here', { status: 404 });
      const bytes = files.get(url.replace('https://mirror/', ''));
      return bytes ? new Response(bytes as BodyInit) : new Response('', { status: 404 });
    }) as unknown as typeof fetch;
    const fetchFile = cachedWeightFetcher({ baseUrl: 'https://site/', sources: ['https://site/weights/vgg19/', 'https://mirror'], store, fetchImpl });
    const vgg = await loadVgg19(fetchFile, 'relu1_2');
    vgg.dispose();
    expect(requested).toContain('https://mirror/manifest.json');
    expect(requested.filter((u) => u.startsWith('https://site/'))).toEqual(['https://site/weights/vgg19/manifest.json']); // not retried per file
    expect([...data.keys()].sort()).toEqual(['conv1_1_bias', 'conv1_1_kernel', 'conv1_2_bias', 'conv1_2_kernel', 'manifest.json']);

    requested.length = 0;
    const again = cachedWeightFetcher({ baseUrl: 'https://site/', sources: ['https://site/weights/vgg19/', 'https://mirror'], store, fetchImpl });
    (await loadVgg19(again, 'relu1_2')).dispose();
    expect(requested).toEqual([]); // everything came from IndexedDB
  });

  it('a corrupt download is an error naming the file and is not cached', async () => {
    const { store, data } = memoryIdbStore();
    const fetchImpl = (async (url: string) => {
      const name = url.replace('https://mirror/', '');
      const bytes = files.get(name)!.slice();
      if (name === 'conv1_1_kernel') bytes[0] ^= 1;
      return new Response(bytes as BodyInit);
    }) as unknown as typeof fetch;
    const fetchFile = cachedWeightFetcher({ baseUrl: 'https://site/', sources: ['https://mirror'], store, fetchImpl });
    await expect(loadVgg19(fetchFile, 'relu1_1')).rejects.toThrow(/'conv1_1_kernel' is corrupt/);
    expect(data.has('conv1_1_kernel')).toBe(false);
  });
});

describe('Keras-converted TF.js layers model', () => {
  it('maps block{b}_conv{c} layers to a VGG19 with the caffe BGR convention', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ name: 'block1_conv1', inputShape: [null, null, 3] as unknown as number[], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', biasInitializer: 'randomNormal' }),
        tf.layers.conv2d({ name: 'block1_conv2', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tf.layers.maxPooling2d({ name: 'block1_pool', poolSize: 2, strides: 2 }),
        tf.layers.conv2d({ name: 'block2_conv1', filters: 5, kernelSize: 3, padding: 'same', activation: 'relu' }),
      ],
    });
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const vgg = await loadVgg19FromLayersModel(tf.io.fromMemory(artifacts!));
    expect(vgg.deepest).toBe('relu2_1');
    expect(vgg.convention).toBe('vgg19-keras-caffe-bgr-mean');
    const x = tf.randomUniform([1, 8, 10, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const ours = tf.tidy(() => vgg.features(x, ['relu2_1']).relu2_1.dataSync());
    const keras = tf.tidy(() => (model.predict(preprocessForVgg(x, 'vgg19-keras-caffe-bgr-mean')) as tf.Tensor).dataSync());
    expect(ours.length).toBe(4 * 5 * 5);
    let worst = 0;
    for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i] - keras[i]));
    expect(worst).toBeLessThan(1e-3);
    expect(Math.max(...keras)).toBeGreaterThan(0);
    vgg.dispose();
    model.dispose();
    x.dispose();
  });
  it('a model without block1_conv1 is a clear error', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ name: 'fc', inputShape: [3], units: 2 })] });
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    model.dispose();
    await expect(loadVgg19FromLayersModel(tf.io.fromMemory(artifacts!))).rejects.toThrow(/no layer 'block1_conv1'/);
  });
});
