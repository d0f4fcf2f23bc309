import type { ZoneRow } from "./types.js";

/**
 * Whether `zone` is an IANA time zone name this runtime knows (`America/New_York`, `UTC`).
 *
 * Fixed offsets (`+02:00`) are rejected on purpose even though Node 22+'s Intl accepts them: a
 * meeting that follows an offset silently drifts by an hour at every daylight-saving change, which
 * is exactly the "times five hours off" bug this app exists to prevent.
 */
export function isValidZone(zone: string): boolean {
  if (zone.trim() === "" || zone !== zone.trim() || /^[+-]/.test(zone) || /^(?:GMT|UTC)[+-]/i.test(zone)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The built-in time tables a series can name in `timezones:`.
 *
 * - `nodejs`: the 12 rows of the Node.js Security WG meeting issue, labels and order exactly as in
 *   the real issues (docs: nodejs-format.md).
 * - `default`: one row per region most open-source contributors live in, west to east, with plain
 *   labels: UTC first as the reference, then the Americas, Europe, India, China, Japan, Australia.
 */
export const ZONE_PRESETS: Record<"default" | "nodejs", ZoneRow[]> = {
  default: [
    { label: "UTC", zone: "UTC" },
    { label: "US Pacific", zone: "America/Los_Angeles" },
    { label: "US Eastern", zone: "America/New_York" },
    { label: "London", zone: "Europe/London" },
    { label: "Berlin", zone: "Europe/Berlin" },
    { label: "India", zone: "Asia/Kolkata" },
    { label: "China", zone: "Asia/Shanghai" },
    { label: "Tokyo", zone: "Asia/Tokyo" },
    { label: "Sydney", zone: "Australia/Sydney" },
  ],
  nodejs: [
    { label: "US / Pacific", zone: "America/Los_Angeles" },
    { label: "US / Mountain", zone: "America/Denver" },
    { label: "US / Central", zone: "America/Chicago" },
    { label: "US / Eastern", zone: "America/New_York" },
    { label: "EU / Western", zone: "Europe/London" },
    { label: "EU / Central", zone: "Europe/Amsterdam" },
    { label: "EU / Eastern", zone: "Europe/Helsinki" },
    { label: "Moscow", zone: "Europe/Moscow" },
    { label: "Chennai", zone: "Asia/Kolkata" },
    { label: "Hangzhou", zone: "Asia/Shanghai" },
    { label: "Tokyo", zone: "Asia/Tokyo" },
    { label: "Sydney", zone: "Australia/Sydney" },
  ],
};

/**
 * The rows of a series' time table: a preset's rows, or the configured list as is. Always a fresh
 * array of fresh rows, so a caller cannot mutate the shared presets.
 */
export function resolveZones(timezones: "default" | "nodejs" | ZoneRow[]): ZoneRow[] {
  const rows = typeof timezones === "string" ? ZONE_PRESETS[timezones] : timezones;
  return rows.map((row) => ({ ...row }));
}
