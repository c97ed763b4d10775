/** The open graph going out of the editor: a JSON file, a share link, or a PNG of a preview holding the graph. */
import { editorNodeRegistry } from '../../nodes/editor-registry';
import type { GraphStore } from './graph-store';
import type { ImageLibrary } from './imports';
import type { GraphLibrary } from './library';
import type { RuntimeBridge } from './runtime-bridge';
import { downloadBytes, previewPng, shareUrl } from './sharing';
import { planShareLink, type SharePlan } from './link-images';
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

  /** The share dialog's choices for the open graph: the plain link, and one with the dropped photos embedded. */
  planShare(images: ImageLibrary): Promise<SharePlan> {
    const doc = this.store.doc;
    const source = { open: (key: string) => images.openStored?.(key) ?? Promise.resolve(undefined) };
    // A copy is never larger than what the node itself uses (its maxSide; 0 = the whole photo).
    const usedSide = (id: string) => Number(doc.nodes.find((n) => n.id === id)?.params.maxSide ?? 0) || 0;
    return planShareLink(doc, editorNodeRegistry, source, (d) => shareUrl(d, location.href), usedSide);
  }

  /** Puts a link on the clipboard (or, failing that, in the address bar). */
  async copyLink(url: string): Promise<string> {
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
