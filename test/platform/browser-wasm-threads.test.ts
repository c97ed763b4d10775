import { describe, expect, it } from 'vitest';
import { browserDefaultThreads } from '../../src/platform/browser/wasm-threads';

describe("the editor's default WASM threads", () => {
  it('uses every core on 2 or 3 cores, and leaves the page one from 4 cores up (at most the pool of 8)', () => {
    expect([1, 2, 3, 4, 8, 9, 32].map(browserDefaultThreads)).toEqual([1, 2, 3, 3, 7, 8, 8]);
  });
});
