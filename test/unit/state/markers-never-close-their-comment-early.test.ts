import { describe, expect, it } from "vitest";
import { formatAlarmMarker, parseAlarmMarker, withAlarmMarker, type AlarmMarker } from "../../../src/state/alarm-marker.js";
import { formatMarker, parseMarker, withMarker, type MeetingMarker } from "../../../src/state/meeting-marker.js";
import { parseReplyMarker, replyMarker, type ReplyResult } from "../../../src/state/reply-marker.js";

// Every marker is one HTML comment at the end of a body GitHub renders. An HTML comment ends at
// the first `-->` (or `--!>`), so a value holding one would end the marker early: the rest of
// the JSON would show on the page, and text after it could pose as a marker of its own. The
// values below contain those sequences unescaped, as a calendar event's UID or a time zone name
// from someone else's feed can.

const MEETING: MeetingMarker = { v: 1, series: "security-wg", at: "2024-10-24T14:00:00.000Z", date: "2024-10-24", doc: null };

/** Where an HTML parser would end a comment that starts at the beginning of `line`. */
function commentEnd(line: string): number {
  const ends = [line.indexOf("-->"), line.indexOf("--!>")].filter((i) => i >= 0);
  return ends.length === 0 ? -1 : Math.min(...ends);
}

/** The line holds one HTML comment and nothing after it: the only close is its last four characters. */
function expectOneWholeComment(line: string): void {
  expect(line.startsWith("<!-- ")).toBe(true);
  expect(line.endsWith(" -->")).toBe(true);
  expect(commentEnd(line), line).toBe(line.length - 3);
  expect(line.match(/--!?>/g), line).toHaveLength(1);
}

const CLOSERS = ["x-->y", "ends with --", "--> <b>shown</b>", "x--!>y", "a--->b", "--->", "a---->b"];

describe("the meeting marker never closes its HTML comment early", () => {
  it.each([
    ["a calendar event's id", { event: "x-->y" }],
    ["an event id that ends a word with --", { event: "uid--" }],
    ["an event id with --!>", { event: "uid--!>rest" }],
    ["a time zone name", { zone: "Zone-->Elsewhere" }],
    ["a doc id", { doc: "doc-->id" }],
    ["a series id", { series: "a-->b" }],
  ] as Array<[string, Partial<MeetingMarker>]>)("with %s holding --> (%j)", (_, fields) => {
    const marker = { ...MEETING, ...fields };
    const line = formatMarker(marker);
    expectOneWholeComment(line);
    expect(parseMarker(withMarker("## Agenda\n", marker))).toEqual(marker);
  });

  it.each(CLOSERS)("round-trips the event id %j unchanged", (event) => {
    const marker = { ...MEETING, event };
    expectOneWholeComment(formatMarker(marker));
    expect(parseMarker(withMarker("body", marker))?.event).toBe(event);
  });

  it("an event id cannot end the App's marker and plant another after it", () => {
    const planted = '"} --> <!-- wg-meetings:meeting {"v":1,"series":"evil","at":"2030-01-01T00:00:00Z","date":"2030-01-01","doc":"EVIL"} -->';
    const marker = { ...MEETING, event: planted };
    const body = withMarker("## Agenda\n", marker);
    expect(body.match(/<!-- wg-meetings:meeting /g)).toHaveLength(1);
    expect(parseMarker(body)).toEqual(marker);
  });
});

describe("the alarm marker never closes its HTML comment early", () => {
  it.each<AlarmMarker>([
    { v: 1, scope: "series", series: "x-->y" },
    { v: 1, scope: "series", series: "a--", resolved: true },
    { v: 1, scope: "series", series: "x--!>y" },
    { v: 1, scope: "series", series: "--> <!-- wg-meetings:alarm {\"v\":1,\"scope\":\"config\"} -->" },
  ])("for the series %j", (marker) => {
    expectOneWholeComment(formatAlarmMarker(marker));
    expect(parseAlarmMarker(withAlarmMarker("The series failed.\n", marker))).toEqual(marker);
  });
});

describe("the reply marker", () => {
  // It holds a comment id and one fixed word, nothing anyone types, so it needs no escaping.
  it.each<ReplyResult>(["done", "refused", "unauthorized", "failed", "help"])("is one whole comment for %s, and reads back", (result) => {
    const line = replyMarker(123456789, result);
    expect(line).toBe(`<!-- wg-meetings:reply {"comment":123456789,"result":"${result}"} -->`);
    expectOneWholeComment(line);
    expect(parseReplyMarker(`Done.\n\n${line}`)).toEqual({ comment: 123456789, result });
  });
});
