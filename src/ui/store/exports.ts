/** The open graph going out of the editor: a JSON file, a share link, or a PNG of a preview holding the graph. */
import type { GraphStore } from './graph-store';
import type { GraphLibrary } from './library';
import type { RuntimeBridge } from './runtime-bridge';
import { downloadBytes, previewPng, shareUrl } from './sharing';
import type { ToastStore } from './toasts';

export class GraphExports {
  constructor(
    private readonly store: GraphStore,
    private readonly library: GraphLibrary,
    private readonly bridge: RuntimeBridge,
    private readonly toasts: ToastStore,
  ) {}

  exportJson(): void {
    const name = this.library.graphName;
    const doc = { ...this.store.doc, meta: { ...this.store.doc.meta, title: name } };
    downloadBytes(JSON.stringify(doc, null, 2), `${safeFileName(name)}.json`, 'application/json');
  }

  shareLink(): string {
    return shareUrl(this.store.doc, location.href);
  }

  async copyShareLink(): Promise<string> {
    const url = this.shareLink();
    try {
      await navigator.clipboard.writeText(url);
      this.toasts.show('Share link copied to the clipboard.');
    } catch {
      this.toasts.show('Could not write to the clipboard; the link is in the address bar.', 'info');
      history.replaceState(null, '', url);
    }
    return url;
  }

  /** Saves the preview of `nodeId` (or the first image-out / previewed node) as a PNG holding the graph. */
  async saveImage(nodeId?: string): Promise<boolean> {
    const id = nodeId ?? this.imageNodeForSave();
    const preview = id ? this.bridge.preview(id) : undefined;
    if (!preview) {
      this.toasts.show('Nothing to save yet: run the graph so a node shows a preview.', 'error');
      return false;
    }
    const bytes = await previewPng(preview, this.store.doc);
    downloadBytes(bytes, `${safeFileName(this.library.graphName)}.png`, 'image/png');
    return true;
  }

  private imageNodeForSave(): string | undefined {
    const { doc, selection } = this.store.getSnapshot();
    const withPreview = (id: string) => !!this.bridge.preview(id);
    return (
      selection.find(withPreview) ??
      doc.nodes.find((n) => n.type === 'image-out' && withPreview(n.id))?.id ??
      doc.nodes.find((n) => withPreview(n.id))?.id
    );
  }
}

function safeFileName(name: string): string {
  return name.replace(/[^\w.-]+/g, '_').slice(0, 80) || 'graph';
}
