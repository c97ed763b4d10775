/** The editor's layout: toolbar, palette, canvas, inspector, and the overlays. */
import { ReactFlowProvider } from '@xyflow/react';
import { Canvas } from './components/Canvas';
import { DecodersPanel } from './components/DecodersPanel';
import { DocCard } from './components/DocCard';
import { Inspector } from './components/Inspector';
import { NodeSearch } from './components/NodeSearch';
import { PausedBanner } from './components/PausedBanner';
import { Palette } from './components/Palette';
import { PresenterNotes, usePresenting } from './components/PresentMode';
import { PresetsGallery } from './components/PresetsGallery';
import { SharePanel } from './components/SharePanel';
import { SweepPanel } from './components/Sweeps';
import { Toasts } from './components/Toasts';
import { Toolbar } from './components/Toolbar';
import { VersionsPanel } from './components/VersionsPanel';
import { ImageViewer } from './components/ImageViewer';
import { EditorContext } from './hooks';
import { useShortcuts } from './shortcuts';
import type { Editor } from './store/editor';

function Shortcuts({ editor }: { editor: Editor }) {
  useShortcuts(editor);
  return null;
}

/** The editor, or in present mode the canvas beside the slide's notes (the canvas stays mounted: same view, same previews). */
function Workspace() {
  const presenting = usePresenting();
  const on = presenting !== undefined;
  return (
    <div className={`app${on ? ' presenting' : ''}`} data-testid={on ? 'presenting' : undefined}>
      {!on && <Toolbar />}
      {!on && <PausedBanner />}
      <div className="workspace">
        {!on && <Palette />}
        <Canvas />
        {on ? <PresenterNotes index={presenting} /> : <Inspector />}
      </div>
    </div>
  );
}

export function App({ editor }: { editor: Editor }) {
  return (
    <EditorContext.Provider value={editor}>
      <ReactFlowProvider>
        <Shortcuts editor={editor} />
        <Workspace />
        <NodeSearch />
        <DocCard />
        <PresetsGallery />
        <VersionsPanel />
        <SharePanel />
        <DecodersPanel />
        <SweepPanel />
        <ImageViewer />
        <Toasts />
      </ReactFlowProvider>
    </EditorContext.Provider>
  );
}
