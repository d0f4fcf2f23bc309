import { isValidZone } from "../schedule/zones.js";
import { parseLocalDateTime, toInstant } from "../schedule/wall-clock.js";
import { CommandUsageError } from "./parse-command.js";

export const MOVE_USAGE = "/move YYYY-MM-DD HH:mm [time zone], e.g. /move 2024-11-07 10:00 America/New_York";

/**
 * Reads `/move 2024-11-07 10:00 [America/New_York]`: a wall-clock time in the given zone, or
 * in the series' own zone when none is given, so "10:00" means 10:00 where the group meets,
 * on either side of a daylight-saving change.
 */
export function parseMoveArgs(args: string, defaultZone: string): { start: Date; zone: string } {
  const parts = args.trim().split(/\s+/).filter(Boolean);
  if (parts.length < 2 || parts.length > 3) throw new CommandUsageError(`expected ${MOVE_USAGE}`);
  const [date, time, zoneArg] = parts as [string, string, string | undefined];
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{1,2}:\d{2}$/.test(time)) {
    throw new CommandUsageError(`"${args.trim()}" is not a date and time: expected ${MOVE_USAGE}`);
  }
  const zone = zoneArg ?? defaultZone;
  if (zone !== "UTC" && !isValidZone(zone)) {
    throw new CommandUsageError(`unknown time zone "${zone}" (use an IANA name such as America/New_York): expected ${MOVE_USAGE}`);
  }
  const local = parseLocalDateTime(`${date}T${time.padStart(5, "0")}`);
  if (local === null) throw new CommandUsageError(`${date} ${time} is not a real date and time: expected ${MOVE_USAGE}`);
  return { start: toInstant(local, zone), zone };
}
