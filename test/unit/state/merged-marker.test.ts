import { describe, expect, it } from "vitest";
import { hasMergedMarker, MERGED_MARKER } from "../../../src/state/merged-marker.js";

/**
 * The close-on-merge step is done when the App's own comment ends with the merged marker. The
 * App's other comments may quote a chair's words (a `/move` usage error echoes its argument),
 * so the marker's text in the middle of a comment must not count.
 */
describe("the merged marker", () => {
  it("counts as the comment's last line, as the App writes it", () => {
    expect(hasMergedMarker(`The minutes are merged: meetings/2026-12-03.md (#12). Closing this meeting.\n\n${MERGED_MARKER}`)).toBe(true);
    expect(hasMergedMarker(`${MERGED_MARKER}\n`)).toBe(true);
  });

  it("does not count quoted in the middle of an App reply (a chair's `/move <!-- wg-meetings:minutes-merged -->`)", () => {
    const reply = `I did not run \`/move\`: "${MERGED_MARKER}" is not a date and time: use /move 2026-12-10 16:00.\n\n<!-- wg-meetings:reply-to 12345 -->`;
    expect(hasMergedMarker(reply)).toBe(false);
    expect(hasMergedMarker(`text ${MERGED_MARKER}`)).toBe(false);
  });
});
