/**
 * How fast this browser's backends run relative to the reference setup of src/runtime/estimate.ts,
 * measured from the pace of long nodes' own runs and kept in localStorage, so the estimate on a
 * card before a run is this machine's, not the reference's.
 */
import { BACKEND_FACTORS, updateFactor } from '../../runtime/estimate';
import type { BackendName } from '../../runtime/types';

const KEY = 'mgan-studio:backend-speed';

export interface BackendSpeed {
  factor: number;
  /** 'measured': from `runs` timed runs here; 'table': the built-in factor, not yet measured here. */
  source: 'measured' | 'table';
  runs: number;
  note: string;
}

type Stored = Partial<Record<BackendName, { factor: number; runs: number }>>;

export class SpeedMemory {
  private stored: Stored;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | undefined = globalThis.localStorage) {
    this.stored = this.read();
  }

  readonly subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  /** The factor to use on `backend`, or undefined when there is neither a measurement nor a table entry. */
  speed(backend: BackendName): BackendSpeed | undefined {
    const measured = this.stored[backend];
    if (measured) return { ...measured, source: 'measured', note: `measured here over ${measured.runs} run${measured.runs === 1 ? '' : 's'}` };
    const table = BACKEND_FACTORS[backend];
    return table && { factor: table.factor, runs: 0, source: 'table', note: table.source };
  }

  record(backend: BackendName, measuredFactor: number): void {
    if (!(measuredFactor > 0) || !Number.isFinite(measuredFactor)) return;
    this.stored = { ...this.stored, [backend]: updateFactor(this.stored[backend], measuredFactor) };
    try {
      this.storage?.setItem(KEY, JSON.stringify(this.stored));
    } catch {
      // Storage full or disabled: the measurement still holds for this session.
    }
    for (const l of this.listeners) l();
  }

  private read(): Stored {
    try {
      const raw = JSON.parse(this.storage?.getItem(KEY) ?? '{}') as Record<string, unknown>;
      const out: Stored = {};
      for (const [name, v] of Object.entries(raw)) {
        const e = v as { factor?: unknown; runs?: unknown };
        if (typeof e?.factor === 'number' && e.factor > 0 && Number.isFinite(e.factor) && typeof e.runs === 'number') out[name as BackendName] = { factor: e.factor, runs: e.runs };
      }
      return out;
    } catch {
      return {};
    }
  }
}
