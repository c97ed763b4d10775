/**
 * Temporal flicker of a frame-by-frame video transform (docs/method.md, "Video"): the mean absolute change
 * between consecutive output frames, relative to the mean absolute change between the matching input
 * frames. 1 means the output changes as much as the input does; per-frame BatchNorm statistics push it
 * up (every frame is normalised differently), fixed running statistics keep it near the content's own motion.
 */
import * as tf from '@tensorflow/tfjs';

export interface FlickerResult {
  /** Frames seen. */
  frames: number;
  /** Mean over consecutive pairs of mean |input_t - input_{t-1}| (pixels in [0, 1]). */
  inputChange: number;
  /** The same for the output frames. */
  outputChange: number;
  /** outputChange / inputChange (NaN when the input never changes). */
  flicker: number;
}

/** Mean absolute difference of two same-shaped images. */
export function meanAbsoluteChange(a: tf.Tensor3D, b: tf.Tensor3D): number {
  if (a.shape.join('x') !== b.shape.join('x')) {
    throw new Error(`frames differ in shape: [${a.shape}] vs [${b.shape}]`);
  }
  return tf.tidy(() => tf.mean(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

/**
 * Accumulates flicker over a stream: `add(input, output)` per frame (the meter keeps its own copies of
 * the last pair; the caller still owns and disposes what it passes). Call `dispose()` when done.
 */
export class FlickerMeter {
  private previous: { input: tf.Tensor3D; output: tf.Tensor3D } | undefined;
  private frames = 0;
  private inputSum = 0;
  private outputSum = 0;

  add(input: tf.Tensor3D, output: tf.Tensor3D): void {
    if (this.previous) {
      this.inputSum += meanAbsoluteChange(this.previous.input, input);
      this.outputSum += meanAbsoluteChange(this.previous.output, output);
      this.previous.input.dispose();
      this.previous.output.dispose();
    }
    this.previous = { input: tf.clone(input), output: tf.clone(output) };
    this.frames++;
  }

  result(): FlickerResult {
    const pairs = Math.max(0, this.frames - 1);
    const inputChange = pairs ? this.inputSum / pairs : 0;
    const outputChange = pairs ? this.outputSum / pairs : 0;
    return { frames: this.frames, inputChange, outputChange, flicker: inputChange > 0 ? outputChange / inputChange : NaN };
  }

  dispose(): void {
    this.previous?.input.dispose();
    this.previous?.output.dispose();
    this.previous = undefined;
  }
}

/**
 * Runs `transform` over every frame of `frames` (an async iterable of frames the caller hands over:
 * each is disposed here) and returns the flicker of the result. `transform` returns a new tensor.
 */
export async function measureFlicker(
  frames: AsyncIterable<tf.Tensor3D>,
  transform: (frame: tf.Tensor3D) => Promise<tf.Tensor3D> | tf.Tensor3D,
): Promise<FlickerResult> {
  const meter = new FlickerMeter();
  try {
    for await (const frame of frames) {
      try {
        const output = await transform(frame);
        try {
          meter.add(frame, output);
        } finally {
          output.dispose();
        }
      } finally {
        frame.dispose();
      }
    }
    return meter.result();
  } finally {
    meter.dispose();
  }
}
