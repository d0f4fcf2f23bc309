import { describe, expect, it } from "vitest";
import { lineLabel, mergeLinkLines, recordingFromLines } from "../../../src/minutes/link-lines.js";

const TEMPLATE = "* **Recording**: This meeting has no published recording.\n* **GitHub Issue**: https://github.com/o/r/issues/1";

describe("link lines", () => {
  it.each([
    ["* **Recording**: x", "recording"],
    ["- **GitHub Issue:** x", "github issue"],
    ["  * **Minutes Google Doc**:x", "minutes google doc"],
    ["* Recording: x", null],
    ["**Recording**: x", null],
  ])("label of %j is %j", (line, label) => {
    expect(lineLabel(line)).toBe(label);
  });

  it.each([
    ["* **Recording**: [https://youtu.be/abc](https://youtu.be/abc)", "https://youtu.be/abc"],
    ["* **Recording**: <https://youtu.be/abc>.", "https://youtu.be/abc"],
    ["* **Recording**: not published yet (paste the link here, or give it to `/minutes <url>`)", null],
    ["* **Slides**: https://youtu.be/abc", null],
  ])("recording in %j is %j", (line, url) => {
    expect(recordingFromLines([line])).toBe(url);
  });

  it("drops the App's lines from the doc and keeps the chair's after the template's", () => {
    const doc = "* **GitHub Issue**: [old](https://github.com/o/r/issues/1)\n\n* **Recording**: not published yet (paste the link here)\n* **Slides**: https://s.example/1\n";
    expect(mergeLinkLines(TEMPLATE, doc, false)).toBe(`${TEMPLATE}\n* **Slides**: https://s.example/1`);
  });

  it("lets a Recording line with words but no link replace the template's, unless /minutes gave a URL", () => {
    const doc = "* **Recording**: audio only, ask @mhdawson";
    expect(mergeLinkLines(TEMPLATE, doc, false)).toBe(`${doc}\n* **GitHub Issue**: https://github.com/o/r/issues/1`);
    expect(mergeLinkLines(TEMPLATE, doc, true)).toBe(TEMPLATE);
  });
});
