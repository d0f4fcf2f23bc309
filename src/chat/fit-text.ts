import { inlineSpans } from "./markdown.js";

/** What a cut message ends with, so readers see it was cut. */
export const ELLIPSIS = "…";

/**
 * The longest start of `source` whose rendering fits, followed by "…"; `source` itself when
 * it fits whole. The cut is made in the Markdown before rendering, so what the service gets
 * is always well formed (no half of a Slack `<url|text>` or of an HTML tag), and not inside a
 * bold run or a link, which would show as Markdown (unless nothing else fits). Prefers to cut
 * at a space near the end, and never between the two halves of a surrogate pair.
 *
 * @param fits whether a candidate source renders within the service's limit.
 */
export function fitText(source: string, fits: (candidate: string) => boolean): string {
  if (fits(source)) return source;
  const cut = (offset: number): string => `${source.slice(0, offset).trimEnd()}${ELLIPSIS}`;
  const inside = new Uint8Array(source.length + 1);
  for (const [start, end] of inlineSpans(source)) inside.fill(1, start + 1, end);
  const everywhere: number[] = [];
  for (let offset = 0; offset < source.length; offset += (source.codePointAt(offset) ?? 0) > 0xffff ? 2 : 1) everywhere.push(offset);
  const outside = everywhere.filter((offset) => inside[offset] === 0);
  const best = longestFitting(outside, cut, fits);
  const offset = best > 0 ? best : longestFitting(everywhere, cut, fits);
  // A space among the last 40 characters reads better than a cut word.
  const space = source.lastIndexOf(" ", offset);
  if (space > 0 && offset - space <= 40 && inside[space] === 0 && fits(cut(space))) return cut(space);
  return cut(offset);
}

/**
 * Binary search for the last offset in `offsets` (ascending, starting at 0) whose cut fits; 0
 * when none does. Rendered length grows with the prefix almost everywhere, and where it does
 * not the search still ends on an offset that fits.
 */
function longestFitting(offsets: readonly number[], cut: (offset: number) => string, fits: (candidate: string) => boolean): number {
  let low = 0;
  let high = offsets.length - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(cut(offsets[mid] ?? 0))) low = mid;
    else high = mid - 1;
  }
  return offsets[low] ?? 0;
}

/** Length in UTF-8 bytes (Zulip and Matrix limit bytes). */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
