import { describe, expect, it } from "vitest";
import { parseMarker } from "../../../src/state/meeting-marker.js";

/**
 * A marker whose instant is text but no date is no marker: the tick must not match it to an
 * occurrence. (The explicit check in parseMarker and the RangeError that `toISOString` would
 * throw on an invalid date both lead here, so this pins the behaviour, not one of the two.)
 */
describe("a meeting marker whose instant is not a date", () => {
  it.each(["next Thursday", "", "2024-13-45T99:00:00Z"])("reads nothing when at is %j", (at) => {
    const body = `Agenda\n\n<!-- wg-meetings:meeting {"v":1,"series":"tsc","at":${JSON.stringify(at)},"doc":null} -->\n`;
    expect(parseMarker(body)).toBeNull();
  });
});
