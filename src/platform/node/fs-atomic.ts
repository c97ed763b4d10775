/** Small file helpers the Node stores share (decoders, MDAN targets, checkpoints, weights, downloads). */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import writeFileAtomicLib from 'write-file-atomic';

/**
 * A cache key as a file or folder name: anything outside [A-Za-z0-9_.-] becomes '_', and so do
 * leading dots, so no key can name '.', '..' or a hidden file.
 */
export function safeFileName(key: string): string {
  return key.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+/, (dots) => '_'.repeat(dots.length)) || '_';
}

/**
 * Writes through a temporary file that is flushed and renamed into place (write-file-atomic), so a
 * reader never sees a half-written file, even when the process is killed mid-write. Creates the
 * parent folder first.
 */
export async function writeFileAtomic(path: string, contents: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const data = typeof contents === 'string' ? contents : Buffer.from(contents.buffer, contents.byteOffset, contents.byteLength);
  await writeFileAtomicLib(path, data);
}
