/**
 * A title for each saved version, so the Versions list tells them apart: what changed since the
 * version before it ("mdan.size 32 → 48", "added noise2 (perlin-noise)", "moved 3 cards").
 */
import type { GraphDocument, ParamValue } from '../../graph/types';

const show = (v: ParamValue | undefined) => (v === undefined ? '(default)' : typeof v === 'string' ? `'${v.length > 24 ? `${v.slice(0, 21)}…` : v}'` : String(v));

export function describeChange(before: GraphDocument | undefined, after: GraphDocument): string {
  if (!before) return 'first saved version';
  const parts: string[] = [];
  const old = new Map(before.nodes.map((n) => [n.id, n]));
  const now = new Map(after.nodes.map((n) => [n.id, n]));
  const added = after.nodes.filter((n) => !old.has(n.id));
  const removed = before.nodes.filter((n) => !now.has(n.id));
  if (added.length) parts.push(`added ${added.map((n) => `${n.id} (${n.type})`).join(', ')}`);
  if (removed.length) parts.push(`removed ${removed.map((n) => n.id).join(', ')}`);
  const params: string[] = [];
  let moved = 0;
  for (const n of after.nodes) {
    const was = old.get(n.id);
    if (!was) continue;
    for (const name of new Set([...Object.keys(was.params), ...Object.keys(n.params)])) {
      if (JSON.stringify(was.params[name]) !== JSON.stringify(n.params[name])) params.push(`${n.id}.${name} ${show(was.params[name])} → ${show(n.params[name])}`);
    }
    if (was.label !== n.label) params.push(`${n.id} renamed '${n.label ?? n.type}'`);
    if (!!was.bypass !== !!n.bypass) params.push(`${n.id} ${n.bypass ? 'bypassed' : 'no longer bypassed'}`);
    if (was.position.x !== n.position.x || was.position.y !== n.position.y) moved++;
  }
  parts.push(...params.slice(0, 2));
  if (params.length > 2) parts.push(`${params.length - 2} more settings`);
  const wires = (d: GraphDocument) => new Set(d.edges.map((e) => `${e.from.node}.${e.from.port}>${e.to.node}.${e.to.port}`));
  const wiresBefore = wires(before);
  const wiresAfter = wires(after);
  const wired = [...wiresAfter].filter((w) => !wiresBefore.has(w)).length;
  const unwired = [...wiresBefore].filter((w) => !wiresAfter.has(w)).length;
  if (wired) parts.push(`${wired} wire${wired > 1 ? 's' : ''} added`);
  if (unwired) parts.push(`${unwired} wire${unwired > 1 ? 's' : ''} removed`);
  const notes = (d: GraphDocument) => JSON.stringify(d.annotations ?? null);
  if (notes(before) !== notes(after)) parts.push('notes or frames changed');
  if (moved && !parts.length) parts.push(`moved ${moved} card${moved > 1 ? 's' : ''}`);
  return parts.length ? parts.join(' · ') : 'no change to the graph (view or selection)';
}
