/**
 * What the repository ships about its bundled decoders is current: public/decoders/index.json lists
 * exactly the .mgan files there (the editor lists from it), and the table in docs/decoders.md is the
 * one their metadata gives (`npm run docs:decoders`). Both hold with no decoder bundled too (an empty
 * index, a table saying none is bundled).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledDecodersMarkdown, bundledTableIn } from '../../src/cli/decoder-reference';
import { bundledIndexText, createFolderBundledDecoders } from '../../src/platform/node/bundled-decoders';
import { PROJECT_ROOT } from '../../src/platform/node/services';

const BUNDLED = join(PROJECT_ROOT, 'public', 'decoders');

describe('the bundled decoders as shipped', () => {
  it('public/decoders/index.json lists the bundled files (npx mgan-studio decoders index)', async () => {
    const committed = readFileSync(join(BUNDLED, 'index.json'), 'utf8');
    expect(committed, 'public/decoders/index.json is out of date: run `npx mgan-studio decoders index --bundled public/decoders`').toBe((await bundledIndexText(BUNDLED)).text);
  });

  it('every bundled file is at most 6 MB', async () => {
    for (const l of await createFolderBundledDecoders(BUNDLED).list()) expect(l.bytes, l.file).toBeLessThanOrEqual(6_000_000);
  });

  it("docs/decoders.md's table is the bundled files' training records (npm run docs:decoders)", async () => {
    const doc = readFileSync(join(PROJECT_ROOT, 'docs', 'decoders.md'), 'utf8');
    expect(bundledTableIn(doc), 'docs/decoders.md is out of date: run `npm run docs:decoders`').toBe(bundledDecodersMarkdown(await createFolderBundledDecoders(BUNDLED).list()));
  });
});
