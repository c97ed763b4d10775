/** The Decoders panel's words and pictures for a decoder's meta: the training summary, the texture thumbnail. */
import { describe, expect, it } from 'vitest';
import { thumbnailPixels, trainingSummary } from '../../src/ui/decoder-summary';
import { TEST_RECORD } from '../decoders/test-decoder-file';

describe('training summary', () => {
  it('says what the decoder learnt from and what it cost, from its training record', () => {
    expect(trainingSummary({ record: TEST_RECORD, training: {} })).toBe(
      'texture starry_night · 2 photos (astronaut, chelsea) · 3 batches of 2 · 12 crops of 64 px · 4s on test machine, tfjs wasm · 2026-11-27',
    );
    const many = { ...TEST_RECORD, texture: undefined, photoCount: 6, photos: ['a', 'b', 'c', 'd', 'e', 'f'], seconds: 3725 };
    expect(trainingSummary({ record: many, training: {} })).toBe(
      'texture not named · 6 photos (a, b, c, d, … 2 more) · 3 batches of 2 · 12 crops of 64 px · 1h02m on test machine, tfjs wasm · 2026-11-27',
    );
    expect(trainingSummary({ record: { ...TEST_RECORD, photoCount: 1, photos: undefined }, training: {} })).toMatch(/ · 1 photo · /);
  });

  it('without a record, the trainer settings it has; a malformed record says so', () => {
    expect(trainingSummary({ training: { loss: 'adversarial', epochs: 2, batchSize: 4 } })).toBe('no training record; settings: loss adversarial, epochs 2');
    expect(trainingSummary({ training: {} })).toBe('no training record');
    expect(trainingSummary({ record: { ...TEST_RECORD, steps: -1 }, training: {} })).toBe("training record unreadable: its training record's steps is not a whole number >= 0");
  });
});

describe('texture thumbnail', () => {
  it('turns RGB base64 into RGBA pixels', () => {
    const px = thumbnailPixels({ width: 2, height: 1, rgbBase64: btoa(String.fromCharCode(255, 0, 10, 1, 2, 3)) })!;
    expect([px.width, px.height]).toEqual([2, 1]);
    expect([...px.data]).toEqual([255, 0, 10, 255, 1, 2, 3, 255]);
  });

  it('draws nothing for a missing or malformed one (meta from files others made)', () => {
    expect(thumbnailPixels(undefined)).toBeUndefined();
    expect(thumbnailPixels({ width: 2, height: 2, rgbBase64: btoa('abc') })).toBeUndefined();
    expect(thumbnailPixels({ width: 0, height: 1, rgbBase64: '' })).toBeUndefined();
    expect(thumbnailPixels({ width: 100000, height: 100000, rgbBase64: 'AAAA' })).toBeUndefined();
    expect(thumbnailPixels({ width: 1, height: 1, rgbBase64: '!!!!' })).toBeUndefined();
    expect(thumbnailPixels({ width: 1.5, height: 1, rgbBase64: 'AAAA' } as never)).toBeUndefined();
  });
});
