/**
 * One bad-input case: the files of a fresh sandbox folder (the CLI's current folder), the CLI's argv
 * (paths relative to that folder), extra environment variables, and what the CLI must answer.
 * Kind files in ./kinds export `cases: CorpusCase[]`; corpus.test.ts runs every one.
 */
export interface CorpusCase { name: string; kind: string; files?: Record<string, string | Uint8Array>; args: string[]; env?: Record<string, string>; expect: { exitCode: number; message: RegExp; noOutput?: boolean }; timeoutMs?: number; }
