/**
 * The limits on untrusted input as raised on the command line: each one's environment variable
 * (src/formats/limits.ts LIMIT_ENV) overrides its default.
 */
import { DEFAULT_GRAPH_LIMITS, LIMIT_ENV, type GraphLimits } from '../../formats/limits';
import { DEFAULT_MAX_PIXELS } from '../common/image-header';

/** A limit's environment variable holds something that is not a positive integer. */
export class LimitSettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LimitSettingError';
  }
}

function readLimit(name: keyof typeof LIMIT_ENV, fallback: number, env: NodeJS.ProcessEnv): number {
  const variable = LIMIT_ENV[name];
  const text = env[variable]?.trim();
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new LimitSettingError(`${variable}=${text.slice(0, 40)}: expected a positive whole number (default ${fallback})`);
  }
  return value;
}

export function graphLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): GraphLimits {
  return {
    maxBytes: readLimit('maxBytes', DEFAULT_GRAPH_LIMITS.maxBytes, env),
    maxNodes: readLimit('maxNodes', DEFAULT_GRAPH_LIMITS.maxNodes, env),
    maxEdges: readLimit('maxEdges', DEFAULT_GRAPH_LIMITS.maxEdges, env),
  };
}

export function maxPixelsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return readLimit('maxPixels', DEFAULT_MAX_PIXELS, env);
}
