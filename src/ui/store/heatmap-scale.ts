/**
 * The heatmap's colour scale as the user chose it (follows the run's scores, or fixed), for every
 * MDAN card and the inspector alike; kept in localStorage so a teacher's choice holds across visits.
 */
import type { HeatmapScaleMode } from '../heatmap';

const KEY = 'mgan-studio:heatmap-scale';

export class HeatmapScaleSetting {
  private mode: HeatmapScaleMode;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | undefined = globalThis.localStorage) {
    let stored: string | null = null;
    try {
      stored = this.storage?.getItem(KEY) ?? null;
    } catch {
      // Storage disabled: the default holds.
    }
    this.mode = stored === 'fixed' ? 'fixed' : 'run';
  }

  readonly subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  readonly getSnapshot = (): HeatmapScaleMode => this.mode;

  set(mode: HeatmapScaleMode): void {
    if (mode === this.mode) return;
    this.mode = mode;
    try {
      this.storage?.setItem(KEY, mode);
    } catch {
      // Storage full or disabled: the choice still holds for this session.
    }
    for (const l of this.listeners) l();
  }
}
