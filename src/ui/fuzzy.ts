/**
 * Fuzzy matching for node search: every query character must appear in order; consecutive runs
 * and word starts score higher, so "mdo" finds "MDAN optimiser" before "image-out".
 */
export function fuzzyScore(query: string, text: string): number {
  const q = query.toLowerCase().replace(/\s+/g, '');
  if (!q) return 1;
  const t = text.toLowerCase();
  let score = 0;
  let ti = 0;
  let run = 0;
  for (const ch of q) {
    const found = t.indexOf(ch, ti);
    if (found < 0) return 0;
    const wordStart = found === 0 || /[\s\-_/]/.test(t[found - 1] ?? '');
    run = found === ti ? run + 1 : 1;
    score += 1 + run + (wordStart ? 3 : 0);
    ti = found + 1;
  }
  // Shorter texts with the same matches rank first.
  return score + 1 / (1 + t.length);
}

export function fuzzyFilter<T>(query: string, items: T[], text: (item: T) => string): T[] {
  return items
    .map((item) => ({ item, score: fuzzyScore(query, text(item)) }))
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score)
    .map((x) => x.item);
}
