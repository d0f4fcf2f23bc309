import { describe, expect, it } from "vitest";
import { formatMarker, MAX_ANNOUNCE_FAILURES, MAX_ANNOUNCED, parseMarker, withMarker, type MeetingMarker } from "../../../src/state/meeting-marker.js";

const MARKER: MeetingMarker = { v: 1, series: "wg", at: "2024-10-31T14:00:00.000Z", date: "2024-10-31", doc: null };

describe("the meeting marker's announcements", () => {
  it("round-trips the sent keys and the failure counts", () => {
    const marker: MeetingMarker = {
      ...MARKER,
      announced: ["opened:nodejs-slack", "reminder-PT1H:nodejs-slack", "moved@2024-10-31T15:00:00.000Z:matrix"],
      announceFailures: { "opened:zulip": { n: 2, at: "2024-10-28T15:00:00.000Z" } },
    };
    expect(parseMarker(withMarker("body", marker))).toEqual(marker);
  });

  it("keeps `--` escaped, so a destination named a--b cannot end the comment early", () => {
    const marker: MeetingMarker = { ...MARKER, announced: ["opened:a--b"], announceFailures: { "opened:c-->d": { n: 1, at: "2024-10-28T15:00:00.000Z" } } };
    const line = formatMarker(marker);
    expect(line.slice(4, -3)).not.toContain("--");
    expect(parseMarker(line)?.announced).toEqual(["opened:a--b"]);
  });

  it("drops what it did not write: malformed keys, bad counts, and more than its bounds", () => {
    const body = (value: object) => `<!-- wg-meetings:meeting ${JSON.stringify({ ...MARKER, ...value })} -->`;
    expect(parseMarker(body({ announced: ["opened:ok", 3, "no colon", "__proto__", "x y:z", "opened:ok"] }))?.announced).toEqual(["opened:ok"]);
    expect(parseMarker(body({ announced: "opened:ok" }))).toEqual(MARKER);
    const failures = parseMarker(body({ announceFailures: { "opened:ok": { n: 1, at: "2024-10-28T15:00:00Z" }, "opened:bad": { n: 0, at: "2024-10-28T15:00:00Z" }, "opened:when": { n: 1, at: "soon" }, __proto__x: { n: 1, at: "2024-10-28T15:00:00Z" } } }));
    expect(failures?.announceFailures).toEqual({ "opened:ok": { n: 1, at: "2024-10-28T15:00:00.000Z" } });
    const many = Array.from({ length: MAX_ANNOUNCED + 5 }, (_, index) => `opened:d${index}`);
    expect(parseMarker(body({ announced: many }))?.announced).toEqual(many.slice(-MAX_ANNOUNCED));
    const manyFailures = Object.fromEntries(Array.from({ length: MAX_ANNOUNCE_FAILURES + 3 }, (_, index) => [`opened:d${index}`, { n: 1, at: "2024-10-28T15:00:00.000Z" }]));
    expect(Object.keys(parseMarker(body({ announceFailures: manyFailures }))?.announceFailures ?? {})).toHaveLength(MAX_ANNOUNCE_FAILURES);
  });

  it("writes neither field while nothing was announced: old markers read and write as before", () => {
    expect(formatMarker(MARKER)).toBe('<!-- wg-meetings:meeting {"v":1,"series":"wg","at":"2024-10-31T14:00:00.000Z","date":"2024-10-31","doc":null} -->');
  });
});
