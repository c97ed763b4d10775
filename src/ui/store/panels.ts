/** Which overlays are open (doc card, node search, gallery, versions, share, decoders, present mode); UI-only, never saved. */
import type { PortRef, PortType } from '../../graph/types';

export interface SearchRequest {
  /** Where the new node goes, in flow coordinates. */
  position: { x: number; y: number };
  /** Set when a wire was dropped in empty space: only nodes that can take/give this type are listed. */
  pending?: { end: 'source' | 'target'; port: PortRef; types: PortType[] };
}

export interface PanelState {
  docType?: string;
  search?: SearchRequest;
  gallery: boolean;
  /** The gallery opened as the first-open welcome (an introduction above the presets). */
  welcome?: boolean;
  versions: boolean;
  /** The share dialog (a node holds a dropped file the plain link cannot carry). */
  share?: boolean;
  /** The Decoders panel. */
  decoders?: boolean;
  /** The sweep panel (tiles of the running or last sweep). */
  sweep?: boolean;
  /** Present mode: the slide shown (src/ui/slides.ts); absent when not presenting. */
  present?: number;
  /** A node's result full size (double-click its preview). */
  viewer?: { nodeId: string };
}

export class PanelStore {
  private state: PanelState = { gallery: false, versions: false };
  private readonly listeners = new Set<() => void>();
  readonly subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  readonly getSnapshot = () => this.state;

  set(patch: Partial<PanelState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }
}
