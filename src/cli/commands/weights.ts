/**
 * `mgan-studio weights [--from <folder|url>] [--check]`: installs the VGG19 weights into the user's
 * data folder (every file checked against the manifest's size and md5), or checks an installed copy.
 */
import { defaultServicesOptions } from '../../platform/node/services';
import { checkInstalledWeights, installWeights } from '../../platform/node/weights-store';
import { DEFAULT_VGG19_WEIGHTS_URL } from '../../platform/common/weights-source';
import type { CommandBody } from './types';

export const WEIGHTS_USAGE = `Usage: mgan-studio weights [--from <folder|url>] [--check] [--cache <dir>]
  Installs the VGG19 convolution weights (8-bit, 20 MB) into <cache>/weights/vgg19,
  checking every file's size and md5 against manifest.json.
  --from <folder|url>  a folder or base URL holding manifest.json and the weight files
                       (default: ${DEFAULT_VGG19_WEIGHTS_URL})
  --check              only verify the installed files
  --cache <dir>        your data folder (default: $MGAN_STUDIO_CACHE, else the per-user data
                       folder, e.g. ~/.local/share/mgan-studio; see docs/weights.md)
Weights: VGG19 by K. Simonyan and A. Zisserman (Oxford VGG), CC BY 4.0.`;

export interface WeightsCommandIo {
  log(line: string): void;
  error(line: string): void;
}

function parseArgs(args: string[]): { from?: string; check: boolean; cache?: string; help: boolean } {
  const out = { check: false, help: false } as { from?: string; check: boolean; cache?: string; help: boolean };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = (): string => {
      const v = args[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${arg} needs a value\n${WEIGHTS_USAGE}`);
      return v;
    };
    if (arg === '--from') out.from = value();
    else if (arg.startsWith('--from=')) out.from = arg.slice('--from='.length);
    else if (arg === '--cache') out.cache = value();
    else if (arg === '--check') out.check = true;
    else if (arg === '--help' || arg === '-h') out.help = true;
    else throw new Error(`unknown argument '${arg}'\n${WEIGHTS_USAGE}`);
  }
  return out;
}

/** Returns the process exit code: 0 ok, 1 failed (bad/missing file, network), 2 bad arguments. */
export async function weightsCommand(args: string[], io: WeightsCommandIo = { log: console.log, error: console.error }): Promise<number> {
  let options: ReturnType<typeof parseArgs>;
  try {
    options = parseArgs(args);
  } catch (e) {
    io.error((e as Error).message);
    return 2;
  }
  if (options.help) {
    io.log(WEIGHTS_USAGE);
    return 0;
  }
  const { cacheDir } = defaultServicesOptions(options.cache ? { cacheDir: options.cache } : {});
  try {
    if (options.check) {
      const result = await checkInstalledWeights(cacheDir);
      io.log(`VGG19 weights OK: ${result.files} files, ${result.bytes} bytes, md5 verified, in ${result.dir}`);
      return 0;
    }
    const from = options.from ?? DEFAULT_VGG19_WEIGHTS_URL;
    io.log(`Installing VGG19 weights from ${from}`);
    const result = await installWeights(from, { cacheDir });
    io.log(`VGG19 weights installed: ${result.files} files, ${result.bytes} bytes, md5 verified, in ${result.dir}`);
    io.log('VGG19 weights by K. Simonyan and A. Zisserman (Oxford VGG), CC BY 4.0.');
    return 0;
  } catch (e) {
    io.error(`weights: ${(e as Error).message}`);
    return 1;
  }
}

export const weightsBody: CommandBody = {
  details: WEIGHTS_USAGE,
  run: (args, io) => weightsCommand(args, { log: io.out, error: io.err }),
};
