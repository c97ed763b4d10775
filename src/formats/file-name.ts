/** The one rule for a file name that comes from a document or a file (an output name, a weight file): a plain name, never a path. */

/**
 * A plain file name: letters, digits, '_', '-' and '.', not starting with '.' or '-', at most 100
 * characters. So no folder separators, no '.' or '..', nothing hidden and nothing a tool reads as an option.
 */
const PLAIN_FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;

/** Why `name` is not a plain file name (the tail of a sentence), or undefined when it is one. */
export function fileNameProblem(name: string): string | undefined {
  if (name === '') return 'is empty';
  if (PLAIN_FILE_NAME.test(name)) return undefined;
  if (name === '.' || name === '..') return "is a folder reference ('.' or '..'), not a file name";
  if (/[\\/]/.test(name)) return 'holds a folder separator; give a plain file name';
  if (name.length > 100) return `is ${name.length} characters long (at most 100)`;
  return "may hold only letters, digits, '_', '-' and '.' and must start with a letter, digit or '_'";
}

/** Throws `makeError(message)` unless `name` is a plain file name; `what` starts the message. */
export function checkFileName(name: string, what: string, makeError: (message: string) => Error = (m) => new Error(m)): string {
  const problem = fileNameProblem(name);
  if (problem) throw makeError(`${what} '${name}' ${problem}`);
  return name;
}
