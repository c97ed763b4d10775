/** `run NAME`: the presets shipped with the package (presets/NAME.json), found by name. */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../platform/node/user-data';
import { didYouMean } from './suggest';
import { UsageError } from './io';

export const PRESETS_DIR = join(PACKAGE_ROOT, 'presets');

export async function presetNames(): Promise<string[]> {
  const files = await readdir(PRESETS_DIR).catch(() => [] as string[]);
  return files.filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();
}

/** A graph file as typed, else the bundled preset of that name; a UsageError naming the near misses otherwise. */
export async function findGraph(arg: string): Promise<string> {
  if (existsSync(arg) || /[\\/]|\.json$/i.test(arg)) return arg;
  const preset = join(PRESETS_DIR, `${arg}.json`);
  if (/^[\w-]+$/.test(arg) && existsSync(preset)) return preset;
  const names = await presetNames();
  throw new UsageError(`no graph file '${arg}' and no bundled preset of that name${didYouMean(arg, names)}; presets: ${names.join(', ')}`);
}
