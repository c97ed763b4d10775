/**
 * Node results by node id, most recent first. Most nodes keep only their latest result; long nodes
 * (minutes of MDAN or training) keep a few, so undoing a param change brings a result back at once.
 * The cache only orders and trims; disposing what falls out is the runtime's job (it may still be read).
 */
import type { NodeOutputs } from '../nodes/types';

export interface CacheEntry {
  nodeId: string;
  key: string;
  outputs: NodeOutputs;
  /** Ports whose value the entry does not own (a bypassed non-tensor passed through). */
  borrowed: Set<string>;
  /** Runs currently using these outputs; an evicted entry is disposed when this drops to 0. */
  users: number;
  evicted: boolean;
  ms: number;
}

export class ResultCache {
  private readonly byNode = new Map<string, CacheEntry[]>();

  /** The node's result under `key`, if kept, without reordering. */
  peek(nodeId: string, key: string): CacheEntry | undefined {
    return this.byNode.get(nodeId)?.find((e) => e.key === key);
  }

  /** The node's result under `key`, made the latest if it was an older one. */
  take(nodeId: string, key: string): CacheEntry | undefined {
    const list = this.byNode.get(nodeId);
    const i = list?.findIndex((e) => e.key === key) ?? -1;
    if (!list || i < 0) return undefined;
    const [entry] = list.splice(i, 1);
    list.unshift(entry);
    return entry;
  }

  /** Makes `entry` the node's latest; returns the entries that no longer fit in `keep`. */
  store(entry: CacheEntry, keep: number): CacheEntry[] {
    const list = (this.byNode.get(entry.nodeId) ?? []).filter((e) => e !== entry && e.key !== entry.key);
    const replaced = (this.byNode.get(entry.nodeId) ?? []).filter((e) => e !== entry && e.key === entry.key);
    list.unshift(entry);
    this.byNode.set(entry.nodeId, list.slice(0, Math.max(1, keep)));
    return [...replaced, ...list.slice(Math.max(1, keep))];
  }

  /** Forgets a node; returns its entries. */
  remove(nodeId: string): CacheEntry[] {
    const list = this.byNode.get(nodeId) ?? [];
    this.byNode.delete(nodeId);
    return list;
  }

  nodeIds(): string[] {
    return [...this.byNode.keys()];
  }

  /** Forgets everything; returns every entry. */
  clear(): CacheEntry[] {
    const all = [...this.byNode.values()].flat();
    this.byNode.clear();
    return all;
  }
}
