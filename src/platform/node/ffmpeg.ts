/**
 * ffmpeg as a child process (Node): probe a video, decode it to raw RGB frames through a pipe, and
 * encode raw RGB frames to a VP8 WebM. ffmpeg's stderr is turned into messages a user can act on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { VideoError } from '../../services/video';

export interface FfmpegPaths {
  ffmpeg: string;
  ffprobe: string;
}

export const DEFAULT_FFMPEG: FfmpegPaths = { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' };

export interface VideoProbe {
  codec: string;
  width: number;
  height: number;
  fps: number;
  /** Seconds, when the container says. */
  duration?: number;
}

interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Resolves with the output of a short-lived process; rejects with a clear message if it cannot start. */
function runProcess(command: string, args: string[], what: string): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => reject(spawnError(e, command, what)));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function spawnError(e: unknown, command: string, what: string): Error {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT') {
    return new VideoError(
      `${what}: '${command}' is not on the PATH, so video files cannot be decoded or encoded here; ` +
        'install ffmpeg (e.g. apt-get install ffmpeg) or use a folder of PNG frames',
    );
  }
  return new VideoError(`${what}: could not start '${command}': ${err?.message ?? String(e)}`);
}

/**
 * The last meaningful lines of ffmpeg's stderr, for an error message: without ffmpeg's internal
 * prefixes ("[matroska,webm @ 0x55e9…]") and without repeating the file's path.
 */
export function stderrTail(stderr: string, lines = 2, source?: string): string {
  return stderr
    .split('\n')
    .map((l) => l.replace(/\[[^\]]*@ 0x[0-9a-f]+\]\s*/gi, '').trim())
    .map((l) => (source && l.startsWith(`${source}: `) ? l.slice(source.length + 2) : l))
    .filter(Boolean)
    .slice(-lines)
    .join('; ');
}

/**
 * Containers ffmpeg may open: plain video files only. Playlists (HLS, DASH), concat lists and image
 * patterns name further files or URLs, which would slip past the access rules, so they are refused;
 * and only the `file` protocol is allowed (URLs are downloaded under the access rules first).
 */
const VIDEO_CONTAINERS = 'matroska,webm,mov,mp4,m4a,3gp,3g2,mj2,avi,mpegts,mpeg,ogg,flv,gif,ivf,h264,hevc,mjpeg,apng,asf,nut,yuv4mpegpipe';

/** ffmpeg/ffprobe arguments that open one local video file and nothing else. */
function inputArgs(source: string): string[] {
  return ['-protocol_whitelist', 'file', '-format_whitelist', VIDEO_CONTAINERS, '-i', source];
}

/** Turns ffmpeg/ffprobe stderr about an input into a message that says what is wrong with the file. */
export function describeInputFailure(source: string, stderr: string): VideoError {
  const tail = stderrTail(stderr, 2, source);
  if (/No such file or directory/i.test(stderr)) return new VideoError(`video file not found: ${source}`);
  if (/not on whitelist|not in allowed|Protocol '[^']*' not on whitelist/i.test(stderr)) {
    return new VideoError(
      `${source}: not a plain video file (playlists and lists that name further files or URLs are not opened); convert it to WebM or MP4`,
    );
  }
  if (/Decoder \(codec [^)]*\) not found|unsupported codec|Unknown codec|no decoder found/i.test(stderr)) {
    return new VideoError(
      `${source}: unsupported video codec (${tail}); convert it to WebM (VP8/VP9) or MP4 (H.264), or use a folder of PNG frames`,
    );
  }
  if (/ended prematurely|truncat|partial file/i.test(stderr)) {
    return new VideoError(`${source}: the file is broken or not a video ffmpeg can read (it is cut short: copy or download it again)`);
  }
  if (/Invalid data found|moov atom not found|EBML header parsing failed|corrupt/i.test(stderr)) {
    return new VideoError(`${source}: the file is broken or not a video ffmpeg can read (its header is not a video's)`);
  }
  return new VideoError(`${source}: ffmpeg could not read the video (${tail || 'no message'})`);
}

function parseRate(rate: string | undefined): number {
  if (!rate) return 0;
  const [n, d] = rate.split('/').map(Number);
  const fps = d ? n / d : n;
  return Number.isFinite(fps) && fps > 0 ? fps : 0;
}

/** Reads the first video stream's codec, size, frame rate and duration; `source` names the file in messages. */
export async function probeVideo(file: string, paths: FfmpegPaths = DEFAULT_FFMPEG, source = file): Promise<VideoProbe> {
  const result = await runProcess(
    paths.ffprobe,
    [
      '-v', 'error',
      '-select_streams', 'v:0',
      '-show_entries', 'stream=codec_name,width,height,r_frame_rate,avg_frame_rate:format=duration',
      '-of', 'json',
      ...inputArgs(file),
    ],
    source,
  );
  if (result.code !== 0) throw describeInputFailure(source, result.stderr);
  let parsed: { streams?: Array<Record<string, unknown>>; format?: { duration?: string } };
  try {
    parsed = JSON.parse(result.stdout);
  } catch {
    throw new VideoError(`${source}: ffprobe gave unreadable output (${stderrTail(result.stderr) || 'no message'})`);
  }
  const stream = parsed.streams?.[0];
  if (!stream) throw new VideoError(`${source}: the file has no video stream`);
  const codec = typeof stream.codec_name === 'string' ? stream.codec_name : '';
  if (!codec) {
    throw new VideoError(
      `${source}: unsupported video codec (ffmpeg does not recognise it); convert it to WebM (VP8/VP9) or MP4 (H.264), or use a folder of PNG frames`,
    );
  }
  const width = Number(stream.width);
  const height = Number(stream.height);
  if (!(width > 0 && height > 0)) throw new VideoError(`${source}: the video stream has no frame size`);
  const fps = parseRate(stream.avg_frame_rate as string) || parseRate(stream.r_frame_rate as string) || 24;
  const duration = Number(parsed.format?.duration);
  return { codec, width, height, fps, duration: Number.isFinite(duration) && duration > 0 ? duration : undefined };
}

export interface DecodeOptions {
  width: number;
  height: number;
  /** Output rate; 0 keeps the source's. */
  fps: number;
  start: number;
  duration: number;
}

/**
 * Decodes a video to raw RGB24 frames of exactly width*height*3 bytes each. Reading stops (and ffmpeg
 * is killed) when the consumer stops iterating or the signal aborts. Fails with the file's problem
 * when ffmpeg exits with an error or yields no frame at all. `source` names the file in messages.
 */
export async function* decodeRgbFrames(
  file: string,
  options: DecodeOptions,
  paths: FfmpegPaths = DEFAULT_FFMPEG,
  signal?: AbortSignal,
  source = file,
): AsyncGenerator<Uint8Array> {
  const filters = [
    ...(options.fps > 0 ? [`fps=${options.fps}`] : []),
    `scale=${options.width}:${options.height}:flags=area`,
  ];
  const args = [
    '-v', 'error', '-nostdin',
    ...(options.start > 0 ? ['-ss', String(options.start)] : []),
    ...inputArgs(file),
    ...(options.duration > 0 ? ['-t', String(options.duration)] : []),
    '-an', '-vf', filters.join(','),
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1',
  ];
  const child = spawn(paths.ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = waitForExit(child, paths.ffmpeg, source);
  exited.catch(() => undefined); // awaited below; this only stops an early 'unhandled rejection'
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const onAbort = () => child.kill('SIGKILL');
  signal?.addEventListener('abort', onAbort, { once: true });
  const frameBytes = options.width * options.height * 3;
  let frame = new Uint8Array(frameBytes);
  let filled = 0;
  let count = 0;
  let finished = false;
  try {
    for await (const chunk of child.stdout! as AsyncIterable<Buffer>) {
      let offset = 0;
      while (offset < chunk.length) {
        const n = Math.min(frameBytes - filled, chunk.length - offset);
        frame.set(chunk.subarray(offset, offset + n), filled);
        filled += n;
        offset += n;
        if (filled === frameBytes) {
          count++;
          yield frame;
          frame = new Uint8Array(frameBytes);
          filled = 0;
        }
      }
    }
    signal?.throwIfAborted();
    const code = await exited;
    finished = true;
    if (code !== 0 || count === 0) {
      if (count === 0 && !stderr.trim()) throw new VideoError(`${source}: no frames in the requested range (check start and duration)`);
      throw describeInputFailure(source, stderr);
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (!finished) {
      child.kill('SIGKILL');
      await exited.catch(() => undefined);
    }
  }
}

function waitForExit(child: ChildProcess, command: string, what: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    child.on('error', (e) => reject(spawnError(e, command, what)));
    child.on('close', (code) => resolve(code));
  });
}

/** Whether this ffmpeg can be started at all. */
export async function ffmpegAvailable(paths: FfmpegPaths = DEFAULT_FFMPEG): Promise<boolean> {
  try {
    const r = await runProcess(paths.ffmpeg, ['-version'], 'ffmpeg');
    return r.code === 0;
  } catch {
    return false;
  }
}

/** An ffmpeg process that encodes raw RGB24 frames written to it into a VP8 WebM file. */
export class WebmEncoder {
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private stderr = '';
  private failure: Error | undefined;

  constructor(
    readonly file: string,
    readonly width: number,
    readonly height: number,
    fps: number,
    paths: FfmpegPaths = DEFAULT_FFMPEG,
  ) {
    const args = [
      '-v', 'error', '-y',
      '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-r', String(fps),
      '-i', 'pipe:0',
      // yuv420p needs even sizes; pad odd ones by a pixel rather than fail.
      '-vf', 'pad=ceil(iw/2)*2:ceil(ih/2)*2',
      '-c:v', 'libvpx', '-b:v', '2M', '-crf', '10', '-pix_fmt', 'yuv420p', '-auto-alt-ref', '0',
      file,
    ];
    this.child = spawn(paths.ffmpeg, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    this.exited = waitForExit(this.child, paths.ffmpeg, `writing ${file}`);
    this.exited.catch((e: Error) => (this.failure = e));
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.child.stdin!.on('error', () => undefined); // reported through the exit code instead
  }

  /** Writes one RGB24 frame, waiting when ffmpeg's input pipe is full. */
  async write(rgb: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    const stdin = this.child.stdin!;
    if (!stdin.write(rgb)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          stdin.off('drain', done);
          this.child.off('close', done);
          resolve();
        };
        stdin.on('drain', done);
        this.child.on('close', done);
      });
    }
    if (this.failure) throw this.failure;
  }

  async finish(): Promise<void> {
    this.child.stdin!.end();
    const code = await this.exited;
    if (code !== 0) throw new VideoError(`writing ${this.file}: ffmpeg failed (${stderrTail(this.stderr) || `exit ${code}`})`);
  }

  abort(): void {
    this.child.kill('SIGKILL');
  }
}
