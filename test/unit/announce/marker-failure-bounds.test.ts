import { describe, expect, it } from "vitest";
import { parseMarker } from "../../../src/state/meeting-marker.js";

/** Issue 14: the marker's failure counts stay short, whatever an edit of the issue wrote there. */
describe("the meeting marker's failure counts", () => {
  it("reads a count above 1000 as 1000, so the marker line stays short", () => {
    const marker = { v: 1, series: "wg", at: "2024-10-31T14:00:00.000Z", date: "2024-10-31", doc: null, announceFailures: { "opened:slack": { n: 9007199254740991, at: "2024-10-28T15:00:00Z" } } };
    expect(parseMarker(`<!-- wg-meetings:meeting ${JSON.stringify(marker)} -->`)?.announceFailures).toEqual({ "opened:slack": { n: 1000, at: "2024-10-28T15:00:00.000Z" } });
  });
});
