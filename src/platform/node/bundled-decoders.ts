/**
 * The bundled decoders in Node: `NAME.mgan` files in a folder of the repository (`public/decoders`, or
 * `$MGAN_STUDIO_BUNDLED_DECODERS`), found by listing the folder (no index needed here), and the
 * writer of that folder's `index.json`, which the browser lists them from.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { BUNDLED_INDEX_FILE, makeBundledIndex, readBundledDecoderFile } from '../common/decoder-catalog';
import { quantizationOf } from '../common/decoder-quantize';
import { DECODER_FILE_EXTENSION, checkDecoderName } from '../common/decoder-store';
import type { BundledDecoderListing, BundledDecoders } from '../../services/decoder-catalog';

export function createFolderBundledDecoders(dir: string): BundledDecoders {
  const files = async (): Promise<string[]> => {
    if (!existsSync(dir)) return [];
    return (await readdir(dir)).filter((f) => f.endsWith(DECODER_FILE_EXTENSION)).sort();
  };
  return {
    where: dir,
    async names() {
      return (await files()).map((f) => basename(f, DECODER_FILE_EXTENSION));
    },
    async read(name) {
      const file = join(dir, `${checkDecoderName(name)}${DECODER_FILE_EXTENSION}`);
      if (!existsSync(file)) return undefined;
      try {
        return { file, bytes: new Uint8Array(await readFile(file)) };
      } catch (e) {
        throw new Error(`bundled decoder file '${file}' cannot be read: ${(e as Error).message}`);
      }
    },
    async list() {
      const out: BundledDecoderListing[] = [];
      for (const f of await files()) {
        const name = basename(f, DECODER_FILE_EXTENSION);
        const file = join(dir, f);
        try {
          checkDecoderName(name);
          const bytes = new Uint8Array(await readFile(file));
          const artifacts = readBundledDecoderFile(file, bytes);
          const quantization = quantizationOf(artifacts.weightSpecs);
          out.push({ name, file, bytes: bytes.byteLength, meta: { ...artifacts.meta, name }, ...(quantization ? { quantization } : {}) });
        } catch (e) {
          out.push({ name, file, error: (e as Error).message });
        }
      }
      return out;
    },
  };
}

/**
 * The index of the `.mgan` files in `dir`, as `index.json` text. A damaged file is an error naming it:
 * the index never lists a decoder that cannot load.
 */
export async function bundledIndexText(dir: string): Promise<{ text: string; names: string[] }> {
  const listed = await createFolderBundledDecoders(dir).list();
  const damaged = listed.find((l) => l.error);
  if (damaged) throw new Error(damaged.error);
  const index = makeBundledIndex(
    listed.map((l) => ({ name: l.name, file: basename(l.file), bytes: l.bytes!, ...(l.quantization ? { quantization: l.quantization } : {}), meta: l.meta! })),
  );
  return { text: `${JSON.stringify(index, null, 2)}\n`, names: index.decoders.map((e) => e.name) };
}

/** Writes `<dir>/index.json` (what the browser lists the bundled decoders from); returns its path. */
export async function writeBundledIndex(dir: string): Promise<{ path: string; names: string[] }> {
  const { text, names } = await bundledIndexText(dir);
  const path = join(dir, BUNDLED_INDEX_FILE);
  await mkdir(dir, { recursive: true });
  await writeFile(path, text);
  return { path, names };
}
