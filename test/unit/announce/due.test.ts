import { describe, expect, it } from "vitest";
import { announceSchema } from "../../../src/config/announce-schema.js";
import { dueAnnouncements, retryAt, type DueInput } from "../../../src/announce/due.js";
import type { MeetingMarker } from "../../../src/state/meeting-marker.js";

/** Thursday 2024-10-31 10:00 in New York (14:00 UTC); the clocks there go back on Sunday 2024-11-03. */
const AT = "2024-10-31T14:00:00.000Z";
const MARKER: MeetingMarker = { v: 1, series: "wg", at: AT, date: "2024-10-31", doc: null, zone: "America/New_York" };
const announce = (value: unknown = { to: ["slack", "zulip"] }) => announceSchema.parse(value);

function due(input: Partial<DueInput> & { now: Date }) {
  return dueAnnouncements({ announce: announce(), marker: MARKER, open: true, zone: "America/New_York", ...input });
}

const keys = (list: ReturnType<typeof dueAnnouncements>) => list.map((a) => a.key);

describe("which announcements a meeting owes", () => {
  it("owes `opened` to each destination once the issue is open, and nothing it has recorded", () => {
    const now = new Date("2024-10-28T15:00:00Z");
    expect(keys(due({ now }))).toEqual(["opened:slack", "opened:zulip"]);
    expect(keys(due({ now, marker: { ...MARKER, announced: ["opened:slack"] } }))).toEqual(["opened:zulip"]);
    expect(due({ now, marker: { ...MARKER, announced: ["opened:slack", "opened:zulip"] } })).toEqual([]);
  });

  it("owes a reminder from start − lead until the start, never before and never after", () => {
    const marker = { ...MARKER, announced: ["opened:slack", "opened:zulip"] };
    expect(due({ marker, now: new Date("2024-10-31T12:59:59.999Z") })).toEqual([]);
    const at = due({ marker, now: new Date("2024-10-31T13:00:00Z") });
    expect(at.map((a) => [a.key, a.moment, a.lead])).toEqual([
      ["reminder-PT1H:slack", "reminder", "PT1H"],
      ["reminder-PT1H:zulip", "reminder", "PT1H"],
    ]);
    expect(keys(due({ marker, now: new Date("2024-10-31T13:59:59Z") }))).toEqual(["reminder-PT1H:slack", "reminder-PT1H:zulip"]);
    expect(due({ marker, now: new Date(AT) })).toEqual([]);
    expect(due({ marker, now: new Date("2024-10-31T15:00:00Z") })).toEqual([]);
  });

  it("counts a day-long lead on the meeting's wall clock, across a daylight-saving change (P1D before Monday 10:00 is Sunday 10:00)", () => {
    // Monday 2024-11-04 10:00 New York is 15:00 UTC (EST); Sunday 10:00 was still EDT (14:00 UTC) until 02:00 that night.
    const marker: MeetingMarker = { ...MARKER, at: "2024-11-04T15:00:00.000Z", date: "2024-11-04", announced: ["opened:slack"] };
    const input = { announce: announce({ to: ["slack"], reminders: ["P1D"] }), marker };
    expect(due({ ...input, now: new Date("2024-11-03T14:59:00Z") })).toEqual([]);
    expect(keys(due({ ...input, now: new Date("2024-11-03T15:00:00Z") }))).toEqual(["reminder-P1D:slack"]);
    // In UTC's terms the same lead is exactly 24 hours.
    expect(keys(due({ ...input, zone: "UTC", now: new Date("2024-11-03T15:00:00Z") }))).toEqual(["reminder-P1D:slack"]);
    expect(due({ ...input, zone: "UTC", now: new Date("2024-11-03T14:59:00Z") })).toEqual([]);
  });

  it("reads the same in Pacific/Chatham (+13:45): only instants count", () => {
    const marker: MeetingMarker = { ...MARKER, zone: "Pacific/Chatham", announced: ["opened:slack", "opened:zulip"] };
    expect(keys(due({ marker, zone: "Pacific/Chatham", now: new Date("2024-10-31T13:30:00Z") }))).toEqual(["reminder-PT1H:slack", "reminder-PT1H:zulip"]);
  });

  it("lets the first message stand for reminders already due: the opened one covers them", () => {
    const [slack] = due({ announce: announce({ to: ["slack"], reminders: ["P1D", "PT1H"] }), now: new Date("2024-10-30T15:00:00Z") });
    expect(slack).toEqual({ key: "opened:slack", moment: "opened", destination: "slack", covers: ["reminder-P1D:slack"] });
  });

  it("owes moved@<new start> after a /move, each move its own key, and it covers due reminders", () => {
    const moved: MeetingMarker = { ...MARKER, at: "2024-10-31T15:00:00.000Z", movedFrom: AT, announced: ["opened:slack", "opened:zulip"] };
    const list = due({ marker: moved, now: new Date("2024-10-31T14:30:00Z"), event: "moved" });
    expect(list.map((a) => [a.key, a.covers])).toEqual([
      ["moved@2024-10-31T15:00:00.000Z:slack", ["reminder-PT1H@2024-10-31T15:00:00.000Z:slack"]],
      ["moved@2024-10-31T15:00:00.000Z:zulip", ["reminder-PT1H@2024-10-31T15:00:00.000Z:zulip"]],
    ]);
    // A reminder sent for the old time does not stand for the new time's.
    const later: MeetingMarker = { ...moved, at: "2024-11-01T14:00:00.000Z", announced: ["opened:slack", "reminder-PT1H:slack", "moved@2024-11-01T14:00:00.000Z:slack"] };
    const onlySlack = announce({ to: ["slack"] });
    expect(keys(due({ announce: onlySlack, marker: later, now: new Date("2024-11-01T13:10:00Z") }))).toEqual(["reminder-PT1H@2024-11-01T14:00:00.000Z:slack"]);
    const again = { ...moved, at: "2024-10-31T16:00:00.000Z", announced: [...moved.announced!, "moved@2024-10-31T15:00:00.000Z:slack"] };
    expect(keys(due({ marker: again, now: new Date("2024-10-31T14:00:00Z") }))[0]).toBe("moved@2024-10-31T16:00:00.000Z:slack");
  });

  it("owes `cancelled` after /cancel until the start, and no other moment", () => {
    const cancelled: MeetingMarker = { ...MARKER, cancelled: true, announced: ["opened:slack"] };
    expect(keys(due({ marker: cancelled, open: false, now: new Date("2024-10-31T13:30:00Z") }))).toEqual(["cancelled:slack", "cancelled:zulip"]);
    expect(due({ marker: cancelled, open: false, now: new Date(AT) })).toEqual([]);
  });

  it("owes `merged` only when the merge asks, closed issue and all", () => {
    const after = new Date("2024-11-01T10:00:00Z");
    const marker = { ...MARKER, announced: ["opened:slack", "opened:zulip"] };
    expect(due({ marker, open: false, now: after })).toEqual([]);
    expect(keys(due({ marker, open: false, now: after, event: "merged" }))).toEqual(["merged:slack", "merged:zulip"]);
  });

  it("owes only the moments the series lists", () => {
    const only = announce({ to: ["slack"], moments: ["reminder"] });
    expect(due({ announce: only, now: new Date("2024-10-28T15:00:00Z") })).toEqual([]);
    expect(keys(due({ announce: only, now: new Date("2024-10-31T13:30:00Z") }))).toEqual(["reminder-PT1H:slack"]);
  });

  it("retries a failed key from the tick only after its back-off (10 min, doubling, at most 6 h); an event retries at once", () => {
    const failed: MeetingMarker = { ...MARKER, announceFailures: { "opened:slack": { n: 2, at: "2024-10-28T15:00:00.000Z" } } };
    expect(retryAt({ n: 1, at: "2024-10-28T15:00:00.000Z" }).toISOString()).toBe("2024-10-28T15:10:00.000Z");
    expect(retryAt({ n: 2, at: "2024-10-28T15:00:00.000Z" }).toISOString()).toBe("2024-10-28T15:20:00.000Z");
    expect(retryAt({ n: 40, at: "2024-10-28T15:00:00.000Z" }).toISOString()).toBe("2024-10-28T21:00:00.000Z");
    expect(keys(due({ marker: failed, now: new Date("2024-10-28T15:19:00Z") }))).toEqual(["opened:zulip"]);
    expect(keys(due({ marker: failed, now: new Date("2024-10-28T15:20:00Z") }))).toEqual(["opened:slack", "opened:zulip"]);
    expect(keys(due({ marker: failed, now: new Date("2024-10-28T15:19:00Z"), event: "moved" }))).toEqual(["opened:slack", "opened:zulip"]);
  });
});
