/**
 * The Node decoder store: one folder per decoder, `<dir>/<name>/model.json + weights.bin + meta.json`
 * (TF.js's layout: model.json holds the weights manifest). tfjs-node's file:// handler is unavailable
 * here, so `folderIOHandler` is a small tf.io.IOHandler over node:fs.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { checkFileName } from '../../formats/file-name';
import { storeRefIsPath } from '../../graph/resources';
import type { MganDecoder, VggLoader } from '../../method/mgan/decoder';
import { parseLimitedJson } from '../../formats/limits';
import { generatorWeightShapes } from '../../method/mgan/generator';
import { generatorArchitecture } from '../../formats/decoder-meta';
import { fsErrorReason } from './fs-errors';
import { type DecoderArtifacts, DECODER_FILE_EXTENSION, MAX_DECODER_HEADER_BYTES, checkDecoderWeights, checkDecoderMeta, checkDecoderName, decodeDecoderFile, decoderFromArtifacts, decoderToArtifacts, encodeDecoderFile } from '../common/decoder-store';
import { checkRead, trustedAccess, type AccessPolicy } from './access';
import { writeFileAtomic } from './fs-atomic';
import { openOutputStage } from './output-stage';
import type { DecoderStore } from '../../services/decoder-catalog';
import type { DecoderMeta } from '../../formats/decoder-meta';

const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';
const META_FILE = 'meta.json';

/** tf.io handler over a folder: model.json (weights manifest + user-defined metadata) and weights.bin. */
export function folderIOHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      const data = new Uint8Array(artifacts.weightData as ArrayBuffer);
      const model = {
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        userDefinedMetadata: artifacts.userDefinedMetadata,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFileAtomic(join(dir, WEIGHTS_FILE), data);
      await writeFileAtomic(join(dir, MODEL_FILE), JSON.stringify(model));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: data.byteLength } };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const modelPath = join(dir, MODEL_FILE);
      if (!existsSync(modelPath)) throw new Error(`'${dir}' is not a decoder folder (no ${MODEL_FILE})`);
      let model: { format?: string; userDefinedMetadata?: { [key: string]: {} }; weightsManifest?: tf.io.WeightsManifestConfig };
      try {
        model = parseLimitedJson(await readFile(modelPath, 'utf8'), MAX_DECODER_HEADER_BYTES) as typeof model;
      } catch {
        throw new Error(`'${modelPath}' is not valid JSON: the decoder was not saved completely; save or import it again`);
      }
      const group = Array.isArray(model?.weightsManifest) ? model.weightsManifest[0] : undefined;
      if (!group || typeof group !== 'object') throw new Error(`'${modelPath}' has no weights manifest`);
      // The weights file must sit in the decoder's own folder, and the store only ever writes WEIGHTS_FILE.
      const named = checkFileName(String(Array.isArray(group.paths) ? group.paths[0] ?? '' : ''), `'${modelPath}': weights file`);
      if (named !== WEIGHTS_FILE || group.paths.length !== 1) throw new Error(`'${modelPath}' must list its weights as ["${WEIGHTS_FILE}"]`);
      let weights: Uint8Array;
      try {
        weights = await readFile(join(dir, WEIGHTS_FILE));
      } catch (e) {
        throw new Error(`cannot read '${join(dir, WEIGHTS_FILE)}': ${fsErrorReason(e)}`);
      }
      return {
        format: model.format,
        userDefinedMetadata: model.userDefinedMetadata,
        weightSpecs: group.weights,
        weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
      };
    },
  };
}

export interface NodeDecoderStoreOptions {
  /** Folder holding one sub-folder per decoder (`<cacheDir>/decoders`). */
  dir: string;
  loadVgg: VggLoader;
  /** What decoder paths (folders, `.mgan` files) may be read (default: any). */
  access?: AccessPolicy;
}

class NodeDecoderStore implements DecoderStore {
  constructor(private readonly options: NodeDecoderStoreOptions) {}

  private folderOf(name: string): string {
    return join(this.options.dir, checkDecoderName(name));
  }

  /**
   * Writes the decoder's folder in a staging folder and puts it in place whole, so a reader (or a
   * crash) never meets a half-written decoder and an earlier decoder of that name stays until then.
   */
  private async write(artifacts: DecoderArtifacts): Promise<DecoderMeta> {
    const name = checkDecoderName(artifacts.meta.name);
    const stage = await openOutputStage(this.options.dir);
    try {
      const dir = join(stage.dir, name);
      await folderIOHandler(dir).save!({
        format: artifacts.meta.format,
        generatedBy: 'mgan-studio',
        userDefinedMetadata: { name: artifacts.meta.name },
        weightSpecs: artifacts.weightSpecs,
        weightData: artifacts.weightData,
      });
      await writeFileAtomic(join(dir, META_FILE), JSON.stringify(artifacts.meta, null, 2));
      await stage.commit();
    } catch (e) {
      await stage.discard();
      throw e;
    }
    return artifacts.meta;
  }

  /** A decoder folder's artifacts, every part checked: a half-written folder is refused naming it. */
  private async readFolder(dir: string): Promise<DecoderArtifacts> {
    const metaPath = join(dir, META_FILE);
    if (!existsSync(metaPath)) throw new Error(`'${dir}' is not a complete decoder folder (no ${META_FILE}): save or import the decoder again`);
    let meta: unknown;
    try {
      meta = parseLimitedJson(await readFile(metaPath, 'utf8'), MAX_DECODER_HEADER_BYTES);
    } catch {
      throw new Error(`'${metaPath}' is not valid JSON: the decoder was not saved completely; save or import it again`);
    }
    const checked = checkDecoderMeta(meta, `'${metaPath}'`);
    const model = await folderIOHandler(dir).load!();
    const weightData = model.weightData as ArrayBuffer;
    const weightSpecs = checkDecoderWeights(model.weightSpecs, weightData.byteLength, `decoder '${checked.name}' ('${dir}')`, generatorArchitecture(checked.architecture));
    return { meta: checked, weightSpecs, weightData };
  }

  /** Artifacts of a stored name, a decoder folder, or a `.mgan` file. */
  private async read(nameOrPath: string): Promise<DecoderArtifacts> {
    if (!storeRefIsPath(nameOrPath)) {
      const dir = this.folderOf(nameOrPath);
      if (!existsSync(dir)) {
        const known = (await this.list()).map((m) => m.name);
        throw new Error(`no saved decoder named '${nameOrPath}' in ${this.options.dir} (saved: ${known.join(', ') || 'none'}; train one with the mgan-trainer node's saveAs)`);
      }
      return this.readFolder(dir);
    }
    const path = await checkRead(this.options.access ?? trustedAccess(), nameOrPath);
    if (!existsSync(path)) throw new Error(`decoder file '${nameOrPath}' does not exist`);
    if ((await stat(path)).isDirectory()) return this.readFolder(path);
    return decodeDecoderFile(await readDecoderFile(path), `'${path}'`);
  }

  async save(decoder: MganDecoder, name?: string): Promise<DecoderMeta> {
    return this.write(await decoderToArtifacts(decoder, checkDecoderName(name ?? decoder.meta.name)));
  }

  async load(nameOrPath: string): Promise<MganDecoder> {
    return decoderFromArtifacts(await this.read(nameOrPath), this.options.loadVgg);
  }

  async list(): Promise<DecoderMeta[]> {
    if (!existsSync(this.options.dir)) return [];
    const metas: DecoderMeta[] = [];
    for (const entry of await readdir(this.options.dir, { withFileTypes: true })) {
      // Hidden folders are decoders being written (staging), not saved ones.
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      try {
        metas.push(checkDecoderMeta(JSON.parse(await readFile(join(this.options.dir, entry.name, META_FILE), 'utf8')), entry.name));
      } catch {
        // A half-written or foreign folder is not listed.
      }
    }
    return metas.sort((a, b) => a.name.localeCompare(b.name));
  }

  async has(name: string): Promise<boolean> {
    return existsSync(this.folderOf(name));
  }

  /** Removes a saved decoder, or a half-written folder of that name (which list() does not show). */
  async remove(name: string): Promise<void> {
    const dir = this.folderOf(name);
    if (!existsSync(dir)) throw new Error(`no saved decoder named '${name}'`);
    await rm(dir, { recursive: true, force: true });
  }

  async exportFile(name: string): Promise<Uint8Array> {
    return encodeDecoderFile(await this.read(name));
  }

  async importFile(bytes: Uint8Array, name?: string): Promise<DecoderMeta> {
    const artifacts = decodeDecoderFile(bytes);
    const meta = { ...artifacts.meta, name: checkDecoderName(name ?? artifacts.meta.name) };
    return this.write({ ...artifacts, meta });
  }
}

export function createNodeDecoderStore(options: NodeDecoderStoreOptions): DecoderStore {
  return new NodeDecoderStore(options);
}

/**
 * A `.mgan` file's bytes, with errors naming the path: a folder is pointed to the command that takes one,
 * and a file larger than any decoder is refused unread.
 */
export async function readDecoderFile(path: string): Promise<Uint8Array> {
  const info = await stat(path).catch((e: unknown) => {
    throw new Error(`cannot read decoder file '${path}': ${fsErrorReason(e)}`);
  });
  if (info.isDirectory()) throw new Error(`'${path}' is a folder, not a .mgan file: a decoder folder is used by its path (mgan-decoder's 'decoder' param), not imported`);
  if (info.size > MAX_DECODER_FILE_BYTES) throw new Error(`'${path}' is ${info.size} bytes, larger than any decoder file (${MAX_DECODER_FILE_BYTES}): not an MGAN Studio decoder`);
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new Error(`cannot read decoder file '${path}': ${fsErrorReason(e)}`);
  }
}

/** A decoder file is G's float32 weights (about 20 MB) plus its header: twice that is no decoder. */
const MAX_DECODER_FILE_BYTES = 2 * 4 * generatorWeightShapes().reduce((n, [, shape]) => n + shape.reduce((a, b) => a * b, 1), 0) + MAX_DECODER_HEADER_BYTES;

/** A suggested export file name for a decoder. */
export function decoderFileName(name: string): string {
  return `${basename(name)}${DECODER_FILE_EXTENSION}`;
}
