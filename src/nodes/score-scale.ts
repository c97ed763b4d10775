/**
 * How D's per-patch scores are shown (the card's heatmap, its colour bar, the doc card): a diverging
 * scale around D's decision boundary that follows the scores, or a fixed one on which a colour means
 * the same score at every iteration. D is
 * trained with a hinge loss at margins ±1 (src/method/mdan/losses.ts): a score above 0 is D saying
 * "real, like the example", below 0 "fake"; past ±1 the loss stops pushing.
 */

/** The heatmap spans −D_SCORE_LIMIT … +D_SCORE_LIMIT; scores beyond keep the end colour. */
export const D_SCORE_LIMIT = 2;

/** The legend, word for word wherever the heatmap is explained. */
export const D_SCORE_LEGEND =
  `blue: D judges the patch real, like the example (score > 0: D is fooled); red: D judges it fake ` +
  `(score < 0); pale: near D's decision boundary 0. The colours follow the iteration's scores (full red ` +
  `at the lowest, full blue at the highest, never nearer 0 than the hinge margins ±1), or, chosen on the ` +
  `card or in the inspector, keep the fixed scale −${D_SCORE_LIMIT} to +${D_SCORE_LIMIT}, the same at every ` +
  `iteration (scores beyond ±${D_SCORE_LIMIT} keep the end colour).`;

/** The legend in a few words, at the two ends of the card's colour bar. */
export const D_SCORE_ENDS = { fake: 'red: D says fake', real: 'blue: D says real' } as const;
