/** A decoder's two pictures: its texture (from its meta) and a small photo decoded through it. */
import { useEffect, useState } from 'react';
import type { DecoderSample } from '../../platform/common/decoder-sample';
import { thumbnailPixels } from '../decoder-summary';
import { useEditor } from '../hooks';
import type { DecoderView } from '../store/decoder-shelf';
import { PreviewCanvas } from './PreviewCanvas';

export function DecoderThumbs({ entry, testId }: { entry: DecoderView; testId: string }) {
  const texture = thumbnailPixels(entry.meta?.thumbnail);
  return (
    <span className="decoder-thumbs">
      {texture ? (
        <PreviewCanvas preview={{ nodeId: `texture:${entry.name}`, ...texture }} className="decoder-texture" testId={`${testId}-texture`} />
      ) : (
        <span className="decoder-texture none" title="no texture thumbnail in this decoder">no texture</span>
      )}
      <DecoderSampleThumb entry={entry} testId={`${testId}-sample`} />
    </span>
  );
}

function DecoderSampleThumb({ entry, testId }: { entry: DecoderView; testId: string }) {
  const editor = useEditor();
  const [state, setState] = useState<{ sample?: DecoderSample; error?: string }>({});
  useEffect(() => {
    let live = true;
    setState({});
    editor.decoderShelf.sample(entry)?.then(
      (sample) => live && setState({ sample }),
      (e: unknown) => live && setState({ error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [editor, entry]);
  if (entry.hidden) return <span className="decoder-sample none" title="the name means yours, so this one is not used">not used</span>;
  if (state.error) return <span className="decoder-sample none error" data-testid={testId} data-state="error" title={state.error}>no sample</span>;
  if (!state.sample) return <span className="decoder-sample none" data-testid={testId} data-state="decoding">decoding…</span>;
  return (
    <span data-testid={testId} data-state="done" title="a bundled photo decoded through this decoder">
      <PreviewCanvas preview={{ nodeId: `sample:${entry.name}`, ...state.sample }} className="decoder-sample" />
    </span>
  );
}
