import { describe, expect, it } from "vitest";
import {
  actionItemMeetingId,
  formatActionItemMarker,
  parseActionItemMarker,
  sameActionItem,
  type ActionItemMarker,
} from "../../../src/state/action-item-marker.js";
import { formatItemNotesMarker, isItemNotesOf, parseItemNotesMarker } from "../../../src/state/item-notes-marker.js";

const ITEM: ActionItemMarker = { v: 1, meeting: "nodejs/security-wg", series: "security", date: "2026-12-02", key: "0123456789abcdef" };

describe("the action-item marker", () => {
  it("is one hidden line that reads back as written", () => {
    const line = formatActionItemMarker(ITEM);
    expect(line).toBe('<!-- wg-meetings:action-item {"v":1,"meeting":"nodejs/security-wg","series":"security","date":"2026-12-02","key":"0123456789abcdef"} -->');
    expect(parseActionItemMarker(`An item\n\n${line}\n`)).toEqual(ITEM);
  });

  it("the last marker of a body counts: one quoted above the App's is not read", () => {
    const forged = formatActionItemMarker({ ...ITEM, key: "ffffffffffffffff" });
    expect(parseActionItemMarker(`${forged}\n\ntext\n\n${formatActionItemMarker(ITEM)}\n`)?.key).toBe(ITEM.key);
  });

  it.each([
    ["another version", '{"v":2,"meeting":"a/b","series":"s","date":"2026-12-02","key":"0123456789abcdef"}'],
    ["a meeting that is no repository", '{"v":1,"meeting":"a","series":"s","date":"2026-12-02","key":"0123456789abcdef"}'],
    ["an empty series", '{"v":1,"meeting":"a/b","series":"","date":"2026-12-02","key":"0123456789abcdef"}'],
    ["a date that is no date", '{"v":1,"meeting":"a/b","series":"s","date":"soon","key":"0123456789abcdef"}'],
    ["a short key", '{"v":1,"meeting":"a/b","series":"s","date":"2026-12-02","key":"0123"}'],
    ["a key in capitals", '{"v":1,"meeting":"a/b","series":"s","date":"2026-12-02","key":"0123456789ABCDEF"}'],
    ["broken JSON", '{"v":1,"meeting":"a/b",}'],
  ])("reads nothing from a marker with %s", (_name, json) => {
    expect(parseActionItemMarker(`<!-- wg-meetings:action-item ${json} -->`)).toBeNull();
  });

  it("no value can end the HTML comment early", () => {
    const line = formatActionItemMarker({ ...ITEM, series: "a--b" });
    expect(line.indexOf("-->")).toBe(line.length - 3);
    expect(parseActionItemMarker(line)?.series).toBe("a--b");
  });

  it.each([
    ["a meeting repository named with --", { meeting: "acme/wg--notes", series: "a--b" }],
    ["a value holding -->", { meeting: "acme/x-->y", series: "s--->t" }],
  ])("%s never closes the HTML comment early, and the marker reads back", (_name, values) => {
    const marker = { ...ITEM, ...values };
    const line = formatActionItemMarker(marker);
    const body = `An item\n\n${line}\n`;
    // The comment opens once and closes once, at the end of the marker line; nothing in it reads as "--".
    expect(body.indexOf("-->")).toBe(body.length - 4);
    expect(line.slice("<!--".length, -"-->".length)).not.toContain("--");
    expect(parseActionItemMarker(body)).toEqual(marker);
  });

  it("the same item of the same meeting, repository names in any case", () => {
    expect(sameActionItem(ITEM, { ...ITEM, meeting: "NodeJS/Security-WG" })).toBe(true);
    expect(sameActionItem(ITEM, { ...ITEM, date: "2026-12-09" })).toBe(false);
    expect(sameActionItem(ITEM, { ...ITEM, series: "tsc" })).toBe(false);
    expect(sameActionItem(ITEM, { ...ITEM, key: "ffffffffffffffff" })).toBe(false);
  });

  it("the meeting identity of item keys: repository in lower case, series and date", () => {
    expect(actionItemMeetingId("NodeJS/Security-WG", "security", "2026-12-02")).toBe("nodejs/security-wg:security:2026-12-02");
  });
});

describe("the item-notes marker", () => {
  const MEETING = { v: 1 as const, meeting: "nodejs/security-wg", series: "security", date: "2026-12-02" };

  it("counts only as the comment's last line", () => {
    const line = formatItemNotesMarker(MEETING);
    expect(parseItemNotesMarker(`Discussed.\n\n${line}\n`)).toEqual(MEETING);
    expect(parseItemNotesMarker(`> ${line}\n\nquoted by someone`)).toBeNull();
    expect(parseItemNotesMarker(`${line}\nand more text`)).toBeNull();
  });

  it("names this meeting only: another repository, series or date is another comment", () => {
    const body = `x\n${formatItemNotesMarker(MEETING)}`;
    expect(isItemNotesOf(body, { ...MEETING, meeting: "NodeJS/security-wg" })).toBe(true);
    expect(isItemNotesOf(body, { ...MEETING, meeting: "nodejs/tsc" })).toBe(false);
    expect(isItemNotesOf(body, { ...MEETING, series: "tsc" })).toBe(false);
    expect(isItemNotesOf(body, { ...MEETING, date: "2026-12-09" })).toBe(false);
  });

  it("reads nothing from a malformed marker", () => {
    expect(parseItemNotesMarker('<!-- wg-meetings:item-notes {"v":1,"meeting":"x","series":"s","date":"2026-12-02"} -->')).toBeNull();
    expect(parseItemNotesMarker('<!-- wg-meetings:item-notes {"v":1,"meeting":"a/b","series":"s"} -->')).toBeNull();
    expect(parseItemNotesMarker("<!-- wg-meetings:item-notes {nope} -->")).toBeNull();
  });
});
