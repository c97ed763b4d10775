/**
 * The video-out node's view: plays the frames the node publishes on a canvas, shows the achieved
 * frames per second, and records what plays to a WebM file (MediaRecorder on the canvas stream).
 */
import { useEffect, useRef, useState } from 'react';
import { videoFrameBus, type VideoFrameMessage } from '../../runtime/video-frame-bus';
import { FpsMeter } from './fps-meter';

interface Recording {
  recorder: MediaRecorder;
  chunks: Blob[];
}

const WEBM_TYPES = ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'];

function pickWebmType(): string | undefined {
  if (typeof MediaRecorder === 'undefined') return undefined;
  return WEBM_TYPES.find((t) => MediaRecorder.isTypeSupported(t));
}

export function VideoOutView({ nodeId }: { nodeId: string; runtime?: unknown }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const meter = useRef(new FpsMeter());
  const recording = useRef<Recording | undefined>(undefined);
  const [info, setInfo] = useState<{ fps: number; index: number; width: number; height: number; done: boolean } | undefined>();
  const [recordingOn, setRecordingOn] = useState(false);
  const [download, setDownload] = useState<{ url: string; bytes: number } | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    let lastShown = 0;
    return videoFrameBus.subscribe(nodeId, (frame: VideoFrameMessage) => {
      const canvas = canvasRef.current;
      if (!canvas) return;
      if (canvas.width !== frame.width || canvas.height !== frame.height) {
        canvas.width = frame.width;
        canvas.height = frame.height;
      }
      canvas.getContext('2d')?.putImageData(new ImageData(new Uint8ClampedArray(frame.data), frame.width, frame.height), 0, 0);
      const now = performance.now();
      if (frame.index === 0) meter.current.reset();
      const fps = frame.done ? meter.current.rate(now) : meter.current.tick(now);
      // React state at most ~8 times a second; the canvas itself updates every frame.
      if (frame.done || now - lastShown > 120) {
        lastShown = now;
        setInfo({ fps, index: frame.index + 1, width: frame.width, height: frame.height, done: !!frame.done });
      }
      if (frame.done && recording.current) recording.current.recorder.stop();
    });
  }, [nodeId]);

  useEffect(() => () => void (download && URL.revokeObjectURL(download.url)), [download]);

  function startRecording() {
    const canvas = canvasRef.current;
    const type = pickWebmType();
    if (!canvas || !type) {
      setError('this browser cannot record WebM (MediaRecorder is missing)');
      return;
    }
    setError(undefined);
    setDownload(undefined);
    const stream = canvas.captureStream(30);
    const recorder = new MediaRecorder(stream, { mimeType: type, videoBitsPerSecond: 4_000_000 });
    const rec: Recording = { recorder, chunks: [] };
    recorder.ondataavailable = (e) => e.data.size && rec.chunks.push(e.data);
    recorder.onstop = () => {
      stream.getTracks().forEach((t) => t.stop());
      const blob = new Blob(rec.chunks, { type: 'video/webm' });
      setDownload({ url: URL.createObjectURL(blob), bytes: blob.size });
      recording.current = undefined;
      setRecordingOn(false);
    };
    recorder.start(250);
    recording.current = rec;
    setRecordingOn(true);
  }

  function stopRecording() {
    recording.current?.recorder.stop();
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
        {recordingOn ? (
          <button className="icon nodrag" onClick={stopRecording} data-testid={`video-stop-${nodeId}`} title="stop recording">
            ■ stop
          </button>
        ) : (
          <button className="icon nodrag" onClick={startRecording} data-testid={`video-record-${nodeId}`} title="record what plays to a WebM file">
            ● record
          </button>
        )}
        {download && (
          <a className="nodrag" href={download.url} download={`${nodeId}.webm`} data-testid={`video-download-${nodeId}`}>
            download WebM ({Math.round(download.bytes / 1024)} KB)
          </a>
        )}
        {error && <span className="error">{error}</span>}
      </div>
    </div>
  );
}
