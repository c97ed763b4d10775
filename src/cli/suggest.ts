/** "Did you mean": the nearest known word to a mistyped one (leven's edit distance), if it is near enough. */
import leven from 'leven';

export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = leven(word.toLowerCase(), name.toLowerCase());
    if (!best || distance < best.distance) best = { name, distance };
  }
  // Two edits (a swapped pair) or a third of the word may be wrong; beyond that a guess misleads.
  return best && best.distance <= Math.max(word.length >= 3 ? 2 : 1, Math.floor(word.length / 3)) ? best.name : undefined;
}

/** ` (did you mean 'x'?)`, or nothing. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const guess = closest(word, candidates);
  return guess ? ` (did you mean '${guess}'?)` : '';
}
