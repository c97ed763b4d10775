/**
 * The video-out node's view: plays the frames the node publishes on a canvas, shows the achieved
 * frames per second, replays the last run, and records to a WebM file (MediaRecorder on the canvas
 * stream): while a run plays it records live; after a run it records a replay from the first frame.
 */
import { useEffect, useRef, useState } from 'react';
import { videoFrameBus, type VideoFrameMessage } from '../../platform/browser/video-frame-bus';
import { FpsMeter } from './fps-meter';
import { FrameBuffer } from './frame-buffer';

const WEBM_TYPES = ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'];

function pickWebmType(): string | undefined {
  if (typeof MediaRecorder === 'undefined') return undefined;
  return WEBM_TYPES.find((t) => MediaRecorder.isTypeSupported(t));
}

interface ShownInfo {
  fps: number;
  index: number;
  width: number;
  height: number;
  done: boolean;
}

export function VideoOutView({ nodeId }: { nodeId: string; runtime?: unknown }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const meter = useRef(new FpsMeter());
  const buffer = useRef(new FrameBuffer());
  const recorder = useRef<MediaRecorder | undefined>(undefined);
  const replayTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const live = useRef(false);
  const lastShown = useRef(0);
  const [info, setInfo] = useState<ShownInfo | undefined>();
  const [recording, setRecording] = useState(false);
  const [replaying, setReplaying] = useState(false);
  const [download, setDownload] = useState<{ url: string; bytes: number } | undefined>();
  const [error, setError] = useState<string | undefined>();

  /** Draws one frame and updates the meter (React state at most ~8 times a second). */
  function show(frame: VideoFrameMessage, done: boolean) {
    const canvas = canvasRef.current;
    if (!canvas) return;
    if (canvas.width !== frame.width || canvas.height !== frame.height) {
      canvas.width = frame.width;
      canvas.height = frame.height;
    }
    canvas.getContext('2d')?.putImageData(new ImageData(new Uint8ClampedArray(frame.data), frame.width, frame.height), 0, 0);
    const now = performance.now();
    if (frame.index === 0 && !done) meter.current.reset();
    const fps = done ? meter.current.rate(now) : meter.current.tick(now);
    if (done || now - lastShown.current > 120) {
      lastShown.current = now;
      setInfo({ fps, index: frame.index + 1, width: frame.width, height: frame.height, done });
    }
  }

  useEffect(
    () =>
      videoFrameBus.subscribe(nodeId, (frame) => {
        stopReplay();
        live.current = !frame.done;
        buffer.current.add(frame);
        show(frame, !!frame.done);
        if (frame.done) recorder.current?.stop();
      }),
    [nodeId],
  );

  useEffect(() => () => void (download && URL.revokeObjectURL(download.url)), [download]);
  useEffect(() => () => stopReplay(), []);

  function stopReplay() {
    if (replayTimer.current !== undefined) clearTimeout(replayTimer.current);
    replayTimer.current = undefined;
    setReplaying(false);
  }

  /** Plays the buffered frames at the video's rate; `onEnd` runs after the last one. */
  function replay(onEnd?: () => void) {
    stopReplay();
    const frames = buffer.current;
    if (!frames.length) return;
    setReplaying(true);
    meter.current.reset();
    const step = 1000 / frames.fps;
    const start = performance.now();
    const tick = (i: number) => {
      const frame = frames.at(i);
      if (!frame) {
        stopReplay();
        onEnd?.();
        return;
      }
      show({ ...frame, index: i }, false);
      replayTimer.current = setTimeout(() => tick(i + 1), Math.max(0, start + (i + 1) * step - performance.now()));
    };
    tick(0);
  }

  function startRecording() {
    const canvas = canvasRef.current;
    const type = pickWebmType();
    if (!canvas || !type) {
      setError('this browser cannot record WebM (MediaRecorder is missing)');
      return;
    }
    if (!live.current && !buffer.current.length) {
      setError('run the graph first: there is nothing to record yet');
      return;
    }
    setError(undefined);
    setDownload(undefined);
    const stream = canvas.captureStream(Math.max(1, Math.round(buffer.current.fps)));
    const rec = new MediaRecorder(stream, { mimeType: type, videoBitsPerSecond: 4_000_000 });
    const chunks: Blob[] = [];
    rec.ondataavailable = (e) => void (e.data.size && chunks.push(e.data));
    rec.onstop = () => {
      stream.getTracks().forEach((t) => t.stop());
      const blob = new Blob(chunks, { type: 'video/webm' });
      setDownload({ url: URL.createObjectURL(blob), bytes: blob.size });
      recorder.current = undefined;
      setRecording(false);
    };
    rec.start(250);
    recorder.current = rec;
    setRecording(true);
    // After a run: record a replay from the first frame; during a run: record live until it ends.
    if (!live.current) replay(() => rec.state !== 'inactive' && rec.stop());
  }

  return (
    <div className="preview video-out" data-testid={`video-out-${nodeId}`}>
      <canvas ref={canvasRef} data-testid={`video-canvas-${nodeId}`} />
      <div className="preview-info">
        {info ? (
          <span data-testid={`video-fps-${nodeId}`}>
            {info.width}×{info.height} · frame {info.index} · {info.fps.toFixed(1)} fps{info.done ? ' · done' : ''}
          </span>
        ) : (
          <span>run the graph to play</span>
        )}
        {!recording && !live.current && buffer.current.length > 0 && (
          <button className="icon nodrag" onClick={() => (replaying ? stopReplay() : replay())} data-testid={`video-replay-${nodeId}`} title="play the last run again">
            {replaying ? '■ stop' : '▶ replay'}
          </button>
        )}
        {recording ? (
          <button className="icon nodrag" onClick={() => recorder.current?.stop()} data-testid={`video-stop-${nodeId}`} title="stop recording">
            ■ stop recording
          </button>
        ) : (
          <button className="icon nodrag" onClick={startRecording} data-testid={`video-record-${nodeId}`} title="record to a WebM file (live, or a replay of the last run)">
            ● record
          </button>
        )}
        {download && (
          <a className="nodrag" href={download.url} download={`${nodeId}.webm`} data-testid={`video-download-${nodeId}`}>
            download WebM ({Math.round(download.bytes / 1024)} KB)
          </a>
        )}
        {buffer.current.truncated && <span title="older frames were dropped to bound memory">replay keeps the latest frames only</span>}
        {error && <span className="error">{error}</span>}
      </div>
    </div>
  );
}
