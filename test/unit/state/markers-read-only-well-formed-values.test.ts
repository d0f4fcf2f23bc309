import { describe, expect, it } from "vitest";
import { parseAlarmMarker, scopeKey, withAlarmMarker } from "../../../src/state/alarm-marker.js";
import { parseMarker, withMarker } from "../../../src/state/meeting-marker.js";
import { parseReplyMarker } from "../../../src/state/reply-marker.js";

// A marker is JSON in an issue or comment body that people with write access can edit: each
// reader keeps the fields that are well formed and drops the rest, and reads nothing at all
// when the marker is not its own version and shape.

const meeting = (json: string) => `text\n\n<!-- wg-meetings:meeting ${json} -->\n`;
const BASE = '"v":1,"series":"tsc","at":"2024-10-24T14:00:00Z"';

describe("the meeting marker keeps only well-formed fields", () => {
  it("reads every field the App writes", () => {
    const json = `{${BASE},"date":"2024-10-24","doc":"DOC1","event":"ev1","movedFrom":"2024-10-23T14:00:00Z","cancelled":true,"zone":"Europe/Berlin"}`;
    expect(parseMarker(meeting(json))).toEqual({
      v: 1,
      series: "tsc",
      at: "2024-10-24T14:00:00.000Z",
      date: "2024-10-24",
      doc: "DOC1",
      event: "ev1",
      movedFrom: "2024-10-23T14:00:00.000Z",
      cancelled: true,
      zone: "Europe/Berlin",
    });
  });

  it("keeps the meeting's own date, which can differ from the instant's UTC date", () => {
    // 23:30 UTC on the 24th is the 25th in Berlin.
    const json = '{"v":1,"series":"tsc","at":"2024-10-24T23:30:00Z","date":"2024-10-25","doc":null,"zone":"Europe/Berlin"}';
    expect(parseMarker(meeting(json))?.date).toBe("2024-10-25");
  });

  it("reads a marker with more text after it on its line", () => {
    const body = `text\n\n<!-- wg-meetings:meeting {${BASE},"doc":"D1"} --> edited {by hand} -->\n`;
    expect(parseMarker(body)?.doc).toBe("D1");
    expect(parseMarker(`<!-- wg-meetings:meeting {${BASE},"doc":"A"} --> <!-- wg-meetings:meeting {${BASE},"doc":"B"} -->`)?.doc).toBe("B");
  });

  it("takes the date from the instant when there is none, and no doc when it is not a string", () => {
    expect(parseMarker(meeting(`{${BASE},"doc":42}`))).toEqual({ v: 1, series: "tsc", at: "2024-10-24T14:00:00.000Z", date: "2024-10-24", doc: null });
  });

  it.each([
    ["an event that is not a string", '"event":7'],
    ["a movedFrom that is not a date", '"movedFrom":"last week"'],
    ["a movedFrom that is not a string", '"movedFrom":1729778400000'],
    ["cancelled that is not true", '"cancelled":"yes"'],
    ["cancelled false", '"cancelled":false'],
    ["an empty zone", '"zone":""'],
    ["a zone that is not a string", '"zone":{"name":"UTC"}'],
  ])("drops %s", (_, field) => {
    expect(parseMarker(meeting(`{${BASE},"date":"2024-10-24","doc":null,${field}}`))).toEqual({
      v: 1,
      series: "tsc",
      at: "2024-10-24T14:00:00.000Z",
      date: "2024-10-24",
      doc: null,
    });
  });

  it.each([
    ["no series", '{"v":1,"at":"2024-10-24T14:00:00Z"}'],
    ["a series that is not a string", '{"v":1,"series":1,"at":"2024-10-24T14:00:00Z"}'],
    ["no instant", '{"v":1,"series":"tsc"}'],
    ["an instant that is not a string", '{"v":1,"series":"tsc","at":1729778400000}'],
    ["version 1 as text", '{"v":"1","series":"tsc","at":"2024-10-24T14:00:00Z"}'],
    ["JSON that is not an object", '{"v":1,"series":"tsc","at":"2024-10-24T14:00:00Z",}'],
  ])("reads nothing from a marker with %s", (_, json) => {
    expect(parseMarker(meeting(json))).toBeNull();
  });

  it("reads the last marker when a body has several, and the marker must sit on one line", () => {
    const first = meeting(`{${BASE},"doc":"OLD"}`);
    expect(parseMarker(`${first}\n<!-- wg-meetings:meeting {${BASE},"doc":"NEW"} -->`)?.doc).toBe("NEW");
    expect(parseMarker(`<!-- wg-meetings:meeting {${BASE},\n"doc":"X"} -->`)).toBeNull();
  });

  it("withMarker replaces only the last marker, keeping the text before it and ending with one newline", () => {
    const marker = { v: 1 as const, series: "tsc", at: "2024-10-24T14:00:00.000Z", date: "2024-10-24", doc: null };
    const body = withMarker("Hello  \n\n\n", marker);
    expect(body).toBe('Hello\n\n<!-- wg-meetings:meeting {"v":1,"series":"tsc","at":"2024-10-24T14:00:00.000Z","date":"2024-10-24","doc":null} -->\n');
    expect(withMarker(`${body}After\n`, { ...marker, doc: "D" })).toBe(
      'Hello\n\n\nAfter\n\n<!-- wg-meetings:meeting {"v":1,"series":"tsc","at":"2024-10-24T14:00:00.000Z","date":"2024-10-24","doc":"D"} -->\n',
    );
  });
});

describe("the alarm marker", () => {
  const alarm = (json: string) => `Problem.\n\n<!-- wg-meetings:alarm ${json} -->\n`;

  it.each([
    ['{"v":1,"scope":"config"}', { v: 1, scope: "config" }],
    ['{"v":1,"scope":"config","resolved":true}', { v: 1, scope: "config", resolved: true }],
    ['{"v":1,"scope":"series","series":"tsc"}', { v: 1, scope: "series", series: "tsc" }],
    ['{"v":1,"scope":"series","series":"tsc","resolved":true}', { v: 1, scope: "series", series: "tsc", resolved: true }],
    ['{"v":1,"scope":"series","series":"tsc","resolved":"yes"}', { v: 1, scope: "series", series: "tsc" }],
  ])("reads %s", (json, expected) => {
    expect(parseAlarmMarker(alarm(json))).toEqual(expected);
  });

  it.each([
    ["another version", '{"v":2,"scope":"config"}'],
    ["an unknown scope", '{"v":1,"scope":"repo"}'],
    ["a series scope without a series", '{"v":1,"scope":"series"}'],
    ["an empty series", '{"v":1,"scope":"series","series":""}'],
    ["a series that is not a string", '{"v":1,"scope":"series","series":5}'],
    ["malformed JSON", '{"v":1,"scope":}'],
  ])("reads nothing from %s", (_, json) => {
    expect(parseAlarmMarker(alarm(json))).toBeNull();
  });

  it("reads nothing from no body, and the last marker of a body with several", () => {
    expect(parseAlarmMarker(null)).toBeNull();
    expect(parseAlarmMarker("")).toBeNull();
    expect(parseAlarmMarker(`${alarm('{"v":1,"scope":"config"}')}${alarm('{"v":1,"scope":"series","series":"tsc"}')}`)).toEqual({ v: 1, scope: "series", series: "tsc" });
  });

  it("reads a marker with more text after it on its line", () => {
    expect(parseAlarmMarker('<!-- wg-meetings:alarm {"v":1,"scope":"config"} --> see {notes} -->')).toEqual({ v: 1, scope: "config" });
  });

  it("writes the resolved flag only when set, and replaces the marker in place", () => {
    const body = withAlarmMarker("Problem.\n", { v: 1, scope: "series", series: "tsc" });
    expect(body).toBe('Problem.\n\n<!-- wg-meetings:alarm {"v":1,"scope":"series","series":"tsc"} -->\n');
    expect(withAlarmMarker(body, { v: 1, scope: "config", resolved: true })).toBe('Problem.\n\n<!-- wg-meetings:alarm {"v":1,"scope":"config","resolved":true} -->\n');
  });

  it("keys one alarm per series and one for the config", () => {
    expect(scopeKey({ scope: "series", series: "tsc" })).toBe("series:tsc");
    expect(scopeKey({ scope: "config" })).toBe("config");
  });
});

describe("the reply marker", () => {
  it.each([
    ["a comment id that is not a number", '{"comment":"5","result":"done"}'],
    ["an unknown result", '{"comment":5,"result":"ok"}'],
    ["a result that is not a string", '{"comment":5,"result":1}'],
    ["malformed JSON", '{"comment":5,"result":"done"'],
  ])("reads nothing from %s", (_, json) => {
    expect(parseReplyMarker(`Done.\n\n<!-- wg-meetings:reply ${json} -->`)).toBeNull();
  });

  it("reads nothing from a body without one", () => {
    expect(parseReplyMarker("Done.")).toBeNull();
  });

  it("reads a marker with more text after it on its line", () => {
    expect(parseReplyMarker('<!-- wg-meetings:reply {"comment":7,"result":"done"} --> {edited} -->')).toEqual({ comment: 7, result: "done" });
  });

  it("reads the last marker: one quoted in the reply's text above the App's own does not count", () => {
    const quoted = 'minutes.path "a <!-- wg-meetings:reply {"comment":5,"result":"done"} -->" is not a path';
    expect(parseReplyMarker(`${quoted}\n\n<!-- wg-meetings:reply {"comment":7,"result":"refused"} -->`)).toEqual({ comment: 7, result: "refused" });
  });
});
