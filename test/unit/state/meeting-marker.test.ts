import { describe, expect, it } from "vitest";
import { formatMarker, parseMarker, withMarker, type MeetingMarker } from "../../../src/state/meeting-marker.js";

const MARKER: MeetingMarker = { v: 1, series: "security-wg", at: "2024-10-24T14:00:00.000Z", date: "2024-10-24", doc: null };

describe("meeting marker", () => {
  it("round-trips through an issue body as one invisible HTML comment", () => {
    const body = withMarker("## Time\n\ntext\n", MARKER);
    expect(body).toBe(
      '## Time\n\ntext\n\n<!-- wg-meetings:meeting {"v":1,"series":"security-wg","at":"2024-10-24T14:00:00.000Z","date":"2024-10-24","doc":null} -->\n',
    );
    expect(parseMarker(body)).toEqual(MARKER);
  });

  it("replaces an existing marker instead of adding a second one", () => {
    const once = withMarker("body", MARKER);
    const twice = withMarker(once, { ...MARKER, doc: "DOC1" });
    expect(twice.match(/wg-meetings:meeting/g)).toHaveLength(1);
    expect(parseMarker(twice)?.doc).toBe("DOC1");
  });

  it.each([
    ["no marker", "just text"],
    ["malformed JSON", "<!-- wg-meetings:meeting {nope} -->"],
    ["another version", '<!-- wg-meetings:meeting {"v":2,"series":"a","at":"2024-01-01T00:00:00Z"} -->'],
    ["a bad instant", '<!-- wg-meetings:meeting {"v":1,"series":"a","at":"yesterday"} -->'],
    ["null body", null],
  ])("reads nothing from %s", (_name, body) => {
    expect(parseMarker(body)).toBeNull();
  });

  it("normalises the instant, so look-ups compare equal strings", () => {
    const body = '<!-- wg-meetings:meeting {"v":1,"series":"a","at":"2024-10-24T14:00Z","date":"2024-10-24","doc":null} -->';
    expect(parseMarker(body)?.at).toBe("2024-10-24T14:00:00.000Z");
  });

  it("can never close its own HTML comment early, even when a value holds -->", () => {
    // "a--b" would yield no "-->" escaped or not; an event id from a calendar can hold one.
    const marker = { ...MARKER, event: "uid-->x" };
    const line = formatMarker(marker);
    expect(line.indexOf("-->")).toBe(line.length - 3);
    expect(line).toBe('<!-- wg-meetings:meeting {"v":1,"series":"security-wg","at":"2024-10-24T14:00:00.000Z","date":"2024-10-24","doc":null,"event":"uid-\\u002d>x"} -->');
    expect(parseMarker(withMarker("body", marker))).toEqual(marker);
  });
});

describe("a marker planted by an agenda title", () => {
  it("cannot take the place of the App's own marker, even after an agenda refresh", async () => {
    const { escapeTitle } = await import("../../../src/agenda/escape-title.js");
    const { parseMarker: parse, withMarker: write } = await import("../../../src/state/meeting-marker.js");
    const planted = 'Fix `<!-- wg-meetings:meeting {"v":1,"series":"sec","at":"2030-01-01T00:00:00Z","date":"2030-01-01","doc":"EVIL"} -->`';
    const real = { v: 1 as const, series: "sec", at: "2024-10-24T14:00:00.000Z", date: "2024-10-24", doc: null };
    const body = write(`## Agenda\n\n* ${escapeTitle(planted)} [#1](https://github.com/a/b/issues/1)\n`, real);
    expect(parse(body)).toEqual(real);
    // Even a raw (unescaped) marker earlier in the body does not count: the App's is the last one.
    const pasted = `<!-- wg-meetings:meeting {"v":1,"series":"sec","at":"2030-01-01T00:00:00Z","date":"2030-01-01","doc":"EVIL"} -->\n${body}`;
    expect(parse(pasted)).toEqual(real);
    expect(parse(write(pasted, { ...real, doc: "D1" }))?.doc).toBe("D1");
  });
});
