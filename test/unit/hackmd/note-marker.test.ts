import { describe, expect, it } from "vitest";
import { findMarker, isMarkerLine, markerIsMeeting, markerIsSlot, markerLine, parseMarkerLine } from "../../../src/hackmd/note-marker.js";

const SLOT = { repository: "nodejs/security-wg", series: "security-team", start: "2024-10-24T14:00:00Z" };

describe("the hidden marker", () => {
  it("is one HTML comment line naming repository, series and start (as an ISO instant)", () => {
    expect(markerLine(SLOT)).toBe('<!-- wg-meetings-minutes {"repository":"nodejs/security-wg","series":"security-team","start":"2024-10-24T14:00:00.000Z"} -->');
    expect(markerLine({ ...SLOT, movedTo: "2024-10-25T15:00:00+01:00" })).toBe(
      '<!-- wg-meetings-minutes {"repository":"nodejs/security-wg","series":"security-team","start":"2024-10-24T14:00:00.000Z","movedTo":"2024-10-25T14:00:00.000Z"} -->',
    );
  });

  it("never holds -- inside the comment, and reads back to the same names", () => {
    const slot = { repository: "a--b/c---d", series: "x-->y", start: SLOT.start };
    const line = markerLine(slot);
    expect(line.slice("<!--".length, -"-->".length)).not.toContain("--");
    expect(parseMarkerLine(line)).toEqual({ repository: "a--b/c---d", series: "x-->y", start: "2024-10-24T14:00:00.000Z", movedTo: undefined });
  });

  it("is recognised with white space around it, and not inside other text", () => {
    const line = markerLine(SLOT);
    expect(isMarkerLine(`  ${line}  `)).toBe(true);
    expect(isMarkerLine(`see ${line}`)).toBe(false);
    expect(isMarkerLine("<!-- wg-meetings-minutes not json -->")).toBe(true);
    expect(parseMarkerLine("<!-- wg-meetings-minutes not json -->")).toBeNull();
    expect(parseMarkerLine('<!-- wg-meetings-minutes {"repository":"o/r","series":"s"} -->')).toBeNull();
    expect(parseMarkerLine('<!-- wg-meetings-minutes {"repository":"o/r","series":"s","start":"soon"} -->')).toBeNull();
    expect(parseMarkerLine('<!-- wg-meetings-minutes {"repository":"o/r","series":"s","start":"2024-10-24T14:00:00Z","movedTo":7} -->')).toBeNull();
  });

  it("is the last marker line of the content: a copy pasted above the App's does not count", () => {
    const other = markerLine({ ...SLOT, repository: "evil/repo" });
    expect(findMarker(`# T\n\n${other}\n\n${markerLine(SLOT)}\n`)?.repository).toBe("nodejs/security-wg");
    expect(findMarker(`# T\n\n${markerLine(SLOT)}\n\n${other}\n`)?.repository).toBe("evil/repo");
    expect(findMarker("# T\n")).toBeNull();
  });
});

describe("whose the marker says the note is", () => {
  const marker = { repository: "NodeJS/Security-WG", series: "security-team", start: "2024-10-24T14:00:00.000Z", movedTo: "2024-10-25T15:00:00.000Z" };

  it("for finding it again: only the start it was created for", () => {
    expect(markerIsSlot(marker, SLOT)).toBe(true);
    expect(markerIsSlot(marker, { ...SLOT, start: "2024-10-25T15:00:00Z" })).toBe(false);
    expect(markerIsSlot(marker, { ...SLOT, series: "Security-Team" })).toBe(false);
    expect(markerIsSlot(null, SLOT)).toBe(false);
  });

  it("for opening it: the repository in any case, the series exactly, the created or moved-to start", () => {
    const meeting = (starts: string[], repository = "nodejs/security-wg", series = "security-team") => ({ repository, series, starts });
    expect(markerIsMeeting(marker, meeting(["2024-10-24T14:00:00Z"]))).toBe(true);
    expect(markerIsMeeting(marker, meeting(["2024-10-25T16:00:00+01:00"]))).toBe(true);
    expect(markerIsMeeting(marker, meeting(["2024-10-26T15:00:00Z"]))).toBe(false);
    expect(markerIsMeeting(marker, meeting(["2024-10-24T14:00:00Z"], "nodejs/node"))).toBe(false);
    expect(markerIsMeeting(marker, meeting(["2024-10-24T14:00:00Z"], "nodejs/security-wg", "build"))).toBe(false);
    expect(markerIsMeeting(null, meeting(["2024-10-24T14:00:00Z"]))).toBe(false);
  });
});
