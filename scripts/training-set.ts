/**
 * `npm run dataset -- --out DIR [--licences FILE] [--skipped FILE] [--folder PKG=DIR ...] [--no-samples]`
 * builds the decoders' training set into DIR (train/, heldout/, training-set.json) from the Debian
 * packages of TRAINING_SET_PACKAGES (installed with apt) and the bundled photos; `--folder` reads
 * photo folders (each with a DEP-5 `copyright` file) instead of the packages. `--licences` writes the
 * licence table, `--skipped` every file left out and why. docs/decoders.md, "The training set".
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setBackend } from '@tensorflow/tfjs';
import {
  TRAINING_SET_PACKAGES,
  type PhotoSource,
  buildTrainingSet,
  bundledPhotoSource,
  debianPackageSource,
  folderSource,
  licenceTable,
} from '../src/platform/node/training-set';

function values(args: string[], name: string): string[] {
  const out: string[] = [];
  args.forEach((a, i) => {
    if (a === `--${name}` && i + 1 < args.length) out.push(args[i + 1]);
    else if (a.startsWith(`--${name}=`)) out.push(a.slice(name.length + 3));
  });
  return out;
}

async function main(args: string[]): Promise<void> {
  const out = values(args, 'out')[0];
  if (!out) throw new Error('usage: npm run dataset -- --out DIR [--licences FILE] [--skipped FILE] [--folder PKG=DIR ...] [--no-samples]');
  await setBackend('cpu');
  const folders = values(args, 'folder');
  const sources: PhotoSource[] = [];
  if (folders.length) {
    for (const f of folders) {
      const [pkg, dir] = f.split('=');
      if (!pkg || !dir) throw new Error(`--folder ${f}: expected PKG=DIR`);
      sources.push(await folderSource(pkg, dir));
    }
  } else {
    for (const pkg of TRAINING_SET_PACKAGES) sources.push(await debianPackageSource(pkg));
  }
  if (!args.includes('--no-samples')) sources.push(await bundledPhotoSource(join(import.meta.dirname, '..', 'public', 'samples')));
  let last = 0;
  const { manifest, skipped } = await buildTrainingSet({
    out,
    sources,
    onProgress: (done, total) => {
      if (done - last >= 100 || done === total) {
        last = done;
        process.stderr.write(`read ${done}/${total} files\n`);
      }
    },
  });
  const train = manifest.photos.filter((p) => p.split === 'train').length;
  process.stdout.write(`${manifest.photos.length} photos in ${out}: ${train} train, ${manifest.photos.length - train} held out; ${skipped.length} files left out\n`);
  const licences = values(args, 'licences')[0];
  if (licences) await writeFile(licences, licenceTable(manifest));
  const skippedFile = values(args, 'skipped')[0];
  if (skippedFile) await writeFile(skippedFile, skipped.map((s) => `${s.source}\t${s.reason}`).join('\n') + '\n');
}

main(process.argv.slice(2)).catch((e: Error) => {
  process.stderr.write(`dataset: ${e.message}\n`);
  process.exit(1);
});
