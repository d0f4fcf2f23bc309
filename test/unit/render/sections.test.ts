import { describe, expect, it } from "vitest";
import { readSection, replaceSection, stripSectionMarkers } from "../../../src/render/sections.js";
import { renderIssue } from "../../../src/render/templates.js";
import { defaultSeries, july21 } from "./series.js";

describe("the sections the App keeps up to date", () => {
  it.each([
    ["nodejs", () => july21()],
    ["default", () => july21({ series: defaultSeries() })],
  ])("%s preset: time, agenda, doc and open action items are marked inline, adding no line and starting no line", (_preset, view) => {
    const { body } = renderIssue(view());
    expect(body.split("\n")).toHaveLength(stripSectionMarkers(body).split("\n").length);
    // A line that starts with "<!--" would turn into an HTML block and stop rendering as Markdown.
    expect(body.split("\n").filter((line) => /^<!-- \/?wg-meetings:/.test(line))).toEqual([]);
    for (const name of ["time", "agenda", "doc", "actions"] as const) expect(readSection(body, name), name).not.toBeNull();
    expect(readSection(body, "agenda")).toContain("### nodejs/security-wg");
    expect(readSection(body, "time")).toContain("14:00");
  });

  it("replacing a section leaves everything around it untouched", () => {
    const { body } = renderIssue(july21());
    const edited = body.replace("## Invited", "## Invited\n\n* Added by a person");
    const next = replaceSection(edited, "agenda", "\n\n### other/repo\n\n* New item [#1](https://github.com/other/repo/issues/1)");
    expect(next).toContain("* Added by a person");
    expect(readSection(next, "agenda")).toBe("\n\n### other/repo\n\n* New item [#1](https://github.com/other/repo/issues/1)");
    expect(next.replace(/<!-- wg-meetings:agenda -->[\s\S]*<!-- \/wg-meetings:agenda -->/, "")).toBe(
      edited.replace(/<!-- wg-meetings:agenda -->[\s\S]*<!-- \/wg-meetings:agenda -->/, ""),
    );
  });
});
