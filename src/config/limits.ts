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
