/** The most edits a suggestion may be away from what was typed. */
const MAX_EDITS = 2;

/**
 * The valid key a typo most likely meant, e.g. `createBefor` → `createBefore`, or `undefined`
 * when nothing is close enough to be a helpful guess. Case is ignored (`CreateBefore` counts as
 * distance 0 and is still suggested, since keys are case-sensitive).
 *
 * Bounded: at most two edits are ever allowed, so a candidate whose length differs by more is
 * skipped without comparing, and a typed key longer than every candidate by more than that is
 * answered at once. A call costs at most (candidates × longest candidate²), however long the typed
 * text (a key may be 64 KB long).
 */
export function closestKey(typed: string, candidates: readonly string[]): string | undefined {
  const longest = candidates.reduce((max, key) => Math.max(max, key.length), 0);
  // Lower-casing never shortens a string, so this one cannot come within two edits of any candidate.
  if (typed.length > longest + MAX_EDITS) return undefined;
  const wanted = typed.toLowerCase();
  // Allow about one edit per three characters, at most two: `rrul` → `rrule`, not `id` → `name`.
  const limit = Math.min(MAX_EDITS, Math.max(1, Math.floor(wanted.length / 3)));
  let best: { key: string; distance: number } | undefined;
  for (const key of candidates) {
    const lower = key.toLowerCase();
    if (Math.abs(lower.length - wanted.length) > limit) continue;
    const distance = editDistance(wanted, lower);
    if (distance <= limit && (!best || distance < best.distance)) best = { key, distance };
  }
  return best?.key;
}

/** Damerau–Levenshtein (optimal string alignment) distance: a swapped pair counts as one edit. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]![j]!;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, at(i - 2, j - 2) + 1);
      d[i]![j] = value;
    }
  }
  return at(a.length, b.length);
}
