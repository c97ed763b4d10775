/**
 * `mgan-studio decoders list | export | import | remove | index`: the user's decoders (the cache) and
 * the bundled ones (public/decoders), through the same catalog the nodes use.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { mergeTrainingRecord } from '../../formats/training-record';
import { writeBundledIndex } from '../../platform/node/bundled-decoders';
import { decoderFileName, readDecoderFile } from '../../platform/node/decoder-store';
import { fsErrorReason } from '../../platform/node/fs-errors';
import { createNodeDecoderCatalog, defaultServicesOptions } from '../../platform/node/services';

import { DECODER_QUANTIZATIONS, type DecoderQuantization, quantizeDecoderArtifacts } from '../../platform/common/decoder-quantize';
import { DECODER_FILE_EXTENSION, checkDecoderName, decodeDecoderFile, encodeDecoderFile } from '../../platform/common/decoder-store';
import { parseCommandArgs } from '../args';
import { bundledDecodersMarkdown, replaceBundledTable } from '../decoder-reference';
import { EXIT_OK, UsageError } from '../io';
import { actionTarget, formatMB, oneLineFailures, storeAction } from '../store-actions';
import type { CommandBody } from './types';
import type { CatalogEntry } from '../../services/decoder-catalog';

/** The most a bundled decoder file may take (the repository ships it). */
export const MAX_BUNDLED_DECODER_BYTES = 6_000_000;

export const DECODERS_USAGE = `Trained MGAN decoders: yours (<cache>/decoders/<name>/) and the bundled ones
(public/decoders/<name>.mgan; a decoder of yours with the same name takes precedence).
  list [--markdown] [--update FILE]
                            every decoder with its origin (yours / bundled), VGG convention, size and
                            training record; --markdown: the table of bundled decoders for the docs;
                            --update FILE: write that table into FILE between its markers
  export NAME [--out FILE] [--quantize uint8] [--record FILE.json]
                            write one shareable file (default ./NAME.mgan); --quantize stores the large
                            weights as 8 bit (4x smaller); --record merges training record fields
                            (texture, photos, steps, ...) into its metadata. Written into the bundled
                            folder, the file must be <= 6 MB and the folder's index.json is updated.
  import FILE [--name N]    store a shared .mgan file (under its own name, or N)
  remove NAME               delete a decoder of yours (bundled ones cannot be removed)
  index                     rewrite the bundled folder's index.json (what the editor lists)
options: --cache DIR (default $MGAN_STUDIO_CACHE, else the per-user data folder),
         --bundled DIR (default public/decoders or $MGAN_STUDIO_BUNDLED_DECODERS)`;

function entryLine(e: CatalogEntry): string {
  const origin = e.origin === 'bundled' ? `bundled${e.hidden ? ' (hidden by yours)' : ''}` : 'yours';
  if (e.error || !e.meta) return `${e.name}\t${origin}\tdamaged: ${e.error ?? 'no metadata'}`;
  const r = e.meta.record;
  const t = e.meta.training as Record<string, unknown>;
  const record = r
    ? `texture=${r.texture ?? '?'} photos=${r.photoCount} steps=${r.steps} batch=${r.batchSize} crops=${r.crops}x${r.cropSize} time=${r.seconds}s`
    : `loss=${t.loss ?? '?'} epochs=${t.epochs ?? '?'} steps=${t.steps ?? '?'} crops=${t.crops ?? '?'}`;
  const file = e.bytes !== undefined ? `\t${formatMB(e.bytes)} ${e.quantization ?? 'float32'}` : '';
  return `${e.name}\t${origin}\t${e.meta.vggConvention}\t${e.meta.createdAt}${file}\t${record}`;
}

/** One decoder for `list --json`. */
function entryJson(e: CatalogEntry) {
  return {
    name: e.name,
    origin: e.origin,
    ...(e.hidden ? { hidden: true } : {}),
    ...(e.error ? { error: e.error } : {}),
    vggConvention: e.meta?.vggConvention,
    createdAt: e.meta?.createdAt,
    bytes: e.bytes,
    quantization: e.quantization,
    record: e.meta?.record,
  };
}

export const decodersCommand: CommandBody = {
  details: `${DECODERS_USAGE}
--json (with list): the decoders as one JSON object`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      out: { type: 'string', short: 'o' },
      name: { type: 'string' },
      cache: { type: 'string' },
      bundled: { type: 'string' },
      quantize: { type: 'string' },
      record: { type: 'string' },
      markdown: { type: 'boolean' },
      update: { type: 'string' },
      json: { type: 'boolean' },
    });
    const action = storeAction('decoders', positionals, ['list', 'export', 'import', 'remove', 'index'] as const);
    const options = defaultServicesOptions({ cacheDir: values.cache, bundledDecodersDir: values.bundled && resolve(values.bundled) });
    const catalog = createNodeDecoderCatalog(options, () => Promise.reject(new Error('the decoders command does not decode')));
    const need = (what: string) => actionTarget('decoders', positionals, what);
    const quantize = values.quantize as DecoderQuantization | undefined;
    if (quantize !== undefined && !DECODER_QUANTIZATIONS.includes(quantize)) {
      throw new UsageError(`--quantize ${quantize}: expected ${DECODER_QUANTIZATIONS.join(' or ')}`);
    }
    return oneLineFailures(io, async () => {
      switch (action) {
        case 'list': {
          if (values.markdown || values.update) {
            const table = bundledDecodersMarkdown(await catalog.bundled.list());
            if (values.update) {
              const file = resolve(values.update);
              await writeFile(file, replaceBundledTable(await readFile(file, 'utf8'), table, `'${file}'`));
              io.out(`wrote the bundled decoders' table into ${file}`);
            } else io.out(table);
            return EXIT_OK;
          }
          const entries = await catalog.entries();
          if (values.json) {
            io.out(JSON.stringify({ yours: join(options.cacheDir, 'decoders'), bundled: options.bundledDecodersDir, decoders: entries.map(entryJson) }));
            return EXIT_OK;
          }
          if (entries.length === 0) io.out(`no decoders: none saved in ${join(options.cacheDir, 'decoders')}, none bundled in ${options.bundledDecodersDir}`);
          for (const e of entries) io.out(entryLine(e));
          return EXIT_OK;
        }
        case 'export': {
          const name = need('NAME');
          const file = resolve(values.out ?? decoderFileName(name));
          let bytes = await catalog.exportFile(name);
          if (quantize || values.record) {
            let artifacts = decodeDecoderFile(bytes, `decoder '${name}'`);
            if (quantize) artifacts = quantizeDecoderArtifacts(artifacts, { dtype: quantize });
            if (values.record) {
              const recordFile = resolve(values.record);
              let patch: unknown;
              try {
                patch = JSON.parse(await readFile(recordFile, 'utf8'));
              } catch (e) {
                throw new Error(`cannot read the training record '${recordFile}': ${(e as Error).message}`);
              }
              artifacts = { ...artifacts, meta: { ...artifacts.meta, record: mergeTrainingRecord(artifacts.meta.record, patch, `'${recordFile}'`) } };
            }
            bytes = encodeDecoderFile(artifacts);
          }
          const intoBundled = dirname(file) === resolve(options.bundledDecodersDir);
          if (intoBundled) {
            if (!file.endsWith(DECODER_FILE_EXTENSION)) throw new Error(`a bundled decoder file is named NAME${DECODER_FILE_EXTENSION}, got '${basename(file)}'`);
            checkDecoderName(basename(file, DECODER_FILE_EXTENSION));
            if (bytes.byteLength > MAX_BUNDLED_DECODER_BYTES) {
              throw new Error(`'${file}' would be ${formatMB(bytes.byteLength)}, more than the ${formatMB(MAX_BUNDLED_DECODER_BYTES)} a bundled decoder may take: export it with --quantize uint8`);
            }
          }
          await writeFile(file, bytes).catch((e: unknown) => {
            throw new Error(`cannot write '${file}': ${fsErrorReason(e)}`);
          });
          io.out(`wrote ${file} (${formatMB(bytes.byteLength)}${quantize ? `, ${quantize}` : ''})`);
          if (intoBundled) io.out(`updated ${(await writeBundledIndex(options.bundledDecodersDir)).path}`);
          return EXIT_OK;
        }
        case 'import': {
          const file = need('FILE');
          const bytes = await readDecoderFile(resolve(file));
          decodeDecoderFile(bytes, `'${resolve(file)}'`); // the error names the file
          const meta = await catalog.importFile(bytes, values.name);
          io.out(`imported decoder '${meta.name}'`);
          return EXIT_OK;
        }
        case 'remove': {
          const name = need('NAME');
          await catalog.remove(name);
          io.out(`removed decoder '${name}'`);
          return EXIT_OK;
        }
        case 'index': {
          const { path, names } = await writeBundledIndex(options.bundledDecodersDir);
          io.out(`wrote ${path} (${names.length ? names.join(', ') : 'no decoders'})`);
          return EXIT_OK;
        }
      }
    });
  },
};
