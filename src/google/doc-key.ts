import { createHash } from "node:crypto";
import type { MeetingSlot } from "./types.js";

/**
 * How a doc records whose it is, in its Drive `appProperties`. These are private to the App's
 * Google Cloud project: people editing the doc cannot see or set them, so they are the App's
 * own word on which meeting a doc belongs to.
 */

/** The occurrence the doc was created for. Also how a crashed run finds the doc again. */
export const KEY_PROPERTY = "wgMeetingsKey";

/** The start a `/move` last gave the meeting (its key), written when the doc is renamed. */
export const MOVED_PROPERTY = "wgMeetingsMovedTo";

/** Drive limits one app property to 124 bytes of key plus value (UTF-8). */
const APP_PROPERTY_MAX_BYTES = 124;

/** `<owner>/<repo>#<series>@<ISO start>`: one occurrence of one series in one repository. */
export function meetingKey(slot: MeetingSlot): string {
  return `${slot.repository}#${slot.series}@${new Date(slot.start).toISOString()}`;
}

/**
 * The value stored for `key` under `property`. Keys are `<owner>/<repo>#<series>@<ISO start>`
 * and fit in most cases; a longer one (long owner and repo names) would be refused by Drive, so
 * its SHA-256 hex digest (64 bytes) is stored instead. Lookups hash the same way, and a raw key
 * always contains `#`, so the two forms cannot collide.
 */
export function appPropertyValue(key: string, property: string = KEY_PROPERTY): string {
  if (Buffer.byteLength(property) + Buffer.byteLength(key) <= APP_PROPERTY_MAX_BYTES) return key;
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** A stored key read back; null for a hashed key (or anything else), which cannot be read. */
export function parseMeetingKey(value: string): MeetingSlot | null {
  const hash = value.indexOf("#");
  const at = value.lastIndexOf("@");
  if (hash <= 0 || at <= hash + 1) return null;
  const start = value.slice(at + 1);
  if (Number.isNaN(Date.parse(start))) return null;
  return { repository: value.slice(0, hash), series: value.slice(hash + 1, at), start };
}

/**
 * True when a stored value is `slot`'s key. A raw key compares the repository without case
 * (GitHub's names are case-insensitive) and the start as an instant; a hashed one must match
 * exactly.
 */
export function storedKeyIs(value: string | null | undefined, slot: MeetingSlot, property: string): boolean {
  if (!value) return false;
  const stored = parseMeetingKey(value);
  if (stored === null) return value === appPropertyValue(meetingKey(slot), property);
  return (
    stored.repository.toLowerCase() === slot.repository.toLowerCase() &&
    stored.series === slot.series &&
    Date.parse(stored.start) === Date.parse(slot.start)
  );
}
