/**
 * The largest `.github/meetings.yml` wg-meetings reads: 64 KB. A real config is a few KB; the
 * limit keeps a huge (or hostile) file from turning into a huge issue, a slow parse or a large
 * allocation. `validate` and `preview` refuse a bigger file before reading it, and
 * `parseConfigText` refuses bigger text, so the App (tick, check runs) holds the same line.
 */
export const MAX_CONFIG_BYTES = 64 * 1024;

/** `MAX_CONFIG_BYTES` as the docs and messages say it. */
export const MAX_CONFIG_SIZE_TEXT = "64 KB";

/**
 * A byte count for a message: `812 bytes`, `70.1 KB`, `5.0 MB`, `4.0 GB`. Rounded up, so a file
 * just over the limit never reads as exactly the limit.
 */
export function formatSize(bytes: number): string {
  const up = (value: number) => (Math.ceil(value * 10) / 10).toFixed(1);
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 ** 2) return `${up(bytes / 1024)} KB`;
  if (bytes < 1024 ** 3) return `${up(bytes / 1024 ** 2)} MB`;
  return `${up(bytes / 1024 ** 3)} GB`;
}

/** The sentence every refusal of an oversized config ends with. */
export function oversizeMessage(bytes: number | null): string {
  const size = bytes === null ? "larger than" : `${formatSize(bytes)}, over`;
  return `the file is ${size} the ${MAX_CONFIG_SIZE_TEXT} limit for a meetings config (nothing was parsed)`;
}

/**
 * Most values (keys, list items, scalars, aliases) a config may hold, counted as the YAML is
 * read and counted again with every alias expanded. A series takes 15 to 60 (the Node.js example,
 * every section written out, is 59), so 100 series fit. yaml costs a few microseconds per value, and each value can be one error,
 * so this bound, not the byte limit, is what keeps the worst 64 KB file fast: 64 KB of `[0,0,…]`
 * is 32,000 values (see bench/config-parse.mjs).
 */
export const MAX_CONFIG_VALUES = 6_000;

/**
 * Most series (`meetings` items) one config may list. Each is validated (its rule, zone and
 * title template) and scheduled on every tick, at up to a millisecond apiece; a file listing
 * more is refused before any series is checked. One repository runs a handful.
 */
export const MAX_CONFIG_SERIES = 100;

/**
 * Deepest nesting of mappings and lists, aliases expanded. A meetings config needs 7
 * (`meetings[0].minutes.google.share.groups[0]`). yaml and the schema recurse once per level:
 * a few thousand levels (2 bytes each) would exhaust the stack and can crash the process.
 */
export const MAX_CONFIG_DEPTH = 32;

/**
 * Most aliases (`*name`, `<<: *name`) in a config. yaml looks each alias up among every anchor
 * before it, so the look-ups grow with aliases × anchors.
 */
export const MAX_CONFIG_ALIASES = 200;

/** A count as messages write it: `16,384`. */
export function formatCount(count: number): string {
  return count.toLocaleString("en-US");
}
