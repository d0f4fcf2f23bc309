import { describe, expect, it } from "vitest";
import { announceSchema } from "../../../src/config/announce-schema.js";
import { dueAnnouncements, type DueInput } from "../../../src/announce/due.js";
import type { MeetingMarker } from "../../../src/state/meeting-marker.js";

/**
 * Issue 14: edges of what a meeting owes that a planted regression showed untested.
 * Thursday 2024-10-31 10:00 in New York (14:00 UTC).
 */
const AT = "2024-10-31T14:00:00.000Z";
const MARKER: MeetingMarker = { v: 1, series: "wg", at: AT, date: "2024-10-31", doc: null, zone: "America/New_York" };
const announce = (value: unknown = { to: ["slack", "zulip"] }) => announceSchema.parse(value);

function due(input: Partial<DueInput> & { now: Date }) {
  return dueAnnouncements({ announce: announce(), marker: MARKER, open: true, zone: "America/New_York", ...input });
}

describe("which announcements a meeting owes: edges", () => {
  it("owes no `merged` for a cancelled meeting, even when minutes are merged for it", () => {
    const cancelled: MeetingMarker = { ...MARKER, cancelled: true, announced: ["opened:slack", "opened:zulip", "cancelled:slack", "cancelled:zulip"] };
    expect(due({ marker: cancelled, open: false, now: new Date("2024-11-01T10:00:00Z"), event: "merged" })).toEqual([]);
  });
  it("a destination that has not heard of a moved meeting gets one message, `opened` (it gives the new time), which stands for the move", () => {
    const moved: MeetingMarker = { ...MARKER, at: "2024-10-31T15:00:00.000Z", movedFrom: AT };
    const owed = due({ marker: moved, now: new Date("2024-10-29T10:00:00Z") });
    expect(owed.map((a) => [a.key, a.covers])).toEqual([
      ["opened:slack", ["moved@2024-10-31T15:00:00.000Z:slack"]],
      ["opened:zulip", ["moved@2024-10-31T15:00:00.000Z:zulip"]],
    ]);
  });
  it("owes no `cancelled` to a series whose moments leave it out", () => {
    const cancelled: MeetingMarker = { ...MARKER, cancelled: true, announced: ["opened:slack"] };
    const quiet = announce({ to: ["slack"], moments: ["opened", "reminder"] });
    expect(due({ announce: quiet, marker: cancelled, open: false, now: new Date("2024-10-31T13:30:00Z"), event: "cancelled" })).toEqual([]);
  });

  it("owes one reminder when several are due at once, the one nearest the start, standing for the others", () => {
    const marker = { ...MARKER, announced: ["opened:slack", "opened:zulip"] };
    const owed = due({ announce: announce({ to: ["slack"], reminders: ["P1D", "PT1H"] }), marker, now: new Date("2024-10-31T13:10:00Z") });
    expect(owed.map((a) => [a.key, a.lead, a.covers])).toEqual([["reminder-PT1H:slack", "PT1H", ["reminder-P1D:slack"]]]);
  });
});
