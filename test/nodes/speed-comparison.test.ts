// Fig. 15's speed comparison: sizes, the extrapolation from a few timed iterations, the chart, and a tiny real run.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { decades, drawLogChart } from '../../src/formats/log-chart';
import { extrapolate, formatSeconds, PAPER_SECONDS } from '../../src/method/speed/speed-comparison';
import { parseSizes, speedChart, speedComparisonNode } from '../../src/nodes/speed-comparison';
import { ParamError } from '../../src/nodes/types';
import { testEnv, runNode } from './run-node';

describe('speed comparison', () => {
  it('reads sizes, sorted, and names a bad one', () => {
    expect(parseSizes('256, 64 128,64')).toEqual([64, 128, 256]);
    expect(() => parseSizes('64, 100')).toThrow(ParamError);
    expect(() => parseSizes('64, 100')).toThrow(/'100'/);
    expect(() => parseSizes('')).toThrow(/sizes/);
  });

  it('extrapolates from when each iteration ended: setup once, then per iteration', () => {
    // Started at 0; setup 5 s, then 2 s per iteration: iterations end at 7, 9, 11.
    const { perIteration, perImage } = extrapolate(0, [7, 9, 11], 100);
    expect(perIteration).toBeCloseTo(2);
    expect(perImage).toBeCloseTo(5 + 200);
    expect(() => extrapolate(0, [3], 10)).toThrow(/at least 2/);
  });

  it('keeps the paper’s stated decoder times and the stated speed-ups', () => {
    expect(PAPER_SECONDS.mgan[512]).toBe(0.04);
    for (const size of [256, 512, 1024]) {
      expect(PAPER_SECONDS.gram[size] / PAPER_SECONDS.mgan[size]).toBeCloseTo(500);
      expect(PAPER_SECONDS.mdan[size] / PAPER_SECONDS.mgan[size]).toBeCloseTo(25000);
    }
  });

  it('formats durations for the axis', () => {
    expect(formatSeconds(0.012)).toBe('12 ms');
    expect(formatSeconds(3.4)).toBe('3.4 s');
    expect(formatSeconds(1500)).toBe('25 min');
    expect(decades(0.012, 4000)).toEqual([0.01, 0.1, 1, 10, 100, 1000, 10000]);
  });

  it('draws each series in its colour where its points fall', () => {
    const chart = drawLogChart({ title: 't', xLabel: 'x', formatY: String, width: 400, height: 300, series: [{ label: 'a', color: [255, 0, 0], points: [{ x: 64, y: 1 }, { x: 128, y: 100 }] }] });
    expect([chart.width, chart.height]).toEqual([400, 300]);
    let red = 0;
    for (let i = 0; i < chart.data.length; i += 4) if (chart.data[i] === 255 && chart.data[i + 1] === 0 && chart.data[i + 2] === 0) red++;
    expect(red).toBeGreaterThan(100);
    const image = speedChart([{ size: 64, seconds: { mdan: 100, gram: 10, mgan: 0.1 }, perIteration: { mdan: 1, gram: 0.02 } }], 'test machine');
    expect(image.shape[2]).toBe(3);
    image.dispose();
  });

  it('times all three methods at a tiny size and returns the chart', { timeout: 300_000 }, async () => {
    const texture = tf.randomUniform([48, 48, 3], 0, 1, 'float32', 3) as tf.Tensor3D;
    const photo = tf.randomUniform([32, 48, 3], 0, 1, 'float32', 4) as tf.Tensor3D;
    const { outputs, notes } = await runNode(speedComparisonNode, { sizes: '32', timedIterations: 2, decodeRepeats: 1, dChannels: 4 }, { texture, photo }, testEnv());
    const chart = outputs.chart as tf.Tensor3D;
    expect(chart.shape).toEqual([420, 640, 3]);
    const row = notes.find((n) => n.startsWith('32 px:'));
    expect(row, notes.join('\n')).toMatch(/MDAN .* Gram .* MGAN .*× faster than Gram/);
    tf.dispose([texture, photo, chart]);
  });
});
