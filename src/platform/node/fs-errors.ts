/**
 * File system errors in words: Node's messages ("ENOENT: no such file or directory, open '…'")
 * repeat the path and the system call; callers name the file themselves and add only this reason.
 */
const REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
  EEXIST: 'it already exists',
  ENOSPC: 'the disk is full',
  EROFS: 'the file system is read-only',
  EMFILE: 'too many open files',
  EBUSY: 'it is in use',
};

/** Why a file operation failed, in a few words (the error code for the rare ones). */
export function fsErrorReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code && REASONS[code]) return REASONS[code];
  if (code) return `the system refused (${code})`;
  return e instanceof Error ? e.message.split('\n')[0] : String(e);
}
