/** Small file helpers the Node caches share (MDAN targets, training checkpoints). */
import { rename, writeFile } from 'node:fs/promises';

/** A cache key as a file or folder name: anything outside [A-Za-z0-9_.-] becomes '_'. */
export function safeFileName(key: string): string {
  return key.replace(/[^A-Za-z0-9_.-]/g, '_');
}

/**
 * Writes to a temporary name (unique per process) and renames it into place, so a reader never sees
 * a half-written file, even when the process is killed mid-write.
 */
export async function writeFileAtomic(path: string, contents: Uint8Array | string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, contents);
  await rename(tmp, path);
}
