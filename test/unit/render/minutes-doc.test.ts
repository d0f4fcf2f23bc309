import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { groupAgenda } from "../../../src/agenda/group-agenda.js";
import { renderMinutesDoc } from "../../../src/render/templates.js";
import { defaultSeries, july21 } from "./series.js";

const ISSUE = "https://github.com/nodejs/security-wg/issues/813";
const headings = (markdown: string) => markdown.split("\n").filter((line) => /^#{1,3} /.test(line));

describe("the minutes doc", () => {
  it("nodejs preset: lays the doc out like the real minutes, with the issue linked and no placeholder", () => {
    const { title, markdown } = renderMinutesDoc(july21({ issueUrl: ISSUE }));
    expect(title).toBe("Node.js Security team Meeting 2022-07-21");
    expect(markdown).toContain(`* **GitHub Issue**: ${ISSUE}\n`);
    expect(markdown).toContain("* **Recording**: not published yet (paste the link here, or give it to `/minutes <url>`)");
    expect(markdown).toContain("## Present\n\n* Security wg team: @nodejs/security-wg\n");
    expect(markdown).toContain(
      "### nodejs/security-wg\n\n* OpenJS Foundation Slack channel [#812](https://github.com/nodejs/security-wg/issues/812)\n  * (notes)\n",
    );
    expect(markdown).not.toMatch(/\$[A-Z_]+\$|\{\{|\}\}/);

    // The same sections, in the same order, as the real minutes file of that meeting.
    const real = readFileSync(new URL("../../fixtures/nodejs/minutes-2022-07-21.md", import.meta.url), "utf8");
    const realSections = headings(real).filter((line) => line.startsWith("## ") || line.startsWith("### "));
    expect(headings(markdown).filter((line) => line.startsWith("## ") || line.startsWith("### "))).toEqual(realSections);
  });

  it("default preset: one heading per agenda item to take notes under", () => {
    const view = july21({ series: defaultSeries(), issueUrl: ISSUE });
    const { markdown } = renderMinutesDoc(view);
    expect(headings(markdown)).toEqual([
      "# Example Tooling group Meeting 2022-07-21",
      "## Present",
      "## Agenda",
      "### OpenJS Foundation Slack channel ([nodejs/security-wg#812](https://github.com/nodejs/security-wg/issues/812))",
      "### Open discussion about VM module ([nodejs/security-wg#811](https://github.com/nodejs/security-wg/issues/811))",
      "### Automatic check for dependencies' vulnerabilities in Node.js CI ([nodejs/security-wg#802](https://github.com/nodejs/security-wg/issues/802))",
      "### Threat Model ([nodejs/security-wg#799](https://github.com/nodejs/security-wg/issues/799))",
      "### Permission Model ([nodejs/security-wg#791](https://github.com/nodejs/security-wg/issues/791))",
      "### What security guidance would be most useful for Node.js developers? ([nodejs/security-wg#488](https://github.com/nodejs/security-wg/issues/488))",
      "## Other business",
      "## Action items",
    ]);
    expect(markdown).toContain("* **When**: Thu 21-Jul-2022 14:00 (02:00 PM) UTC (2022-07-21, America/New_York)");
  });

  it("says so when nothing was labelled, and lists standing items", () => {
    const series = defaultSeries({ minutes: { doc: "google", google: { folder: "F" }, standing: ["Vulnerability review"] } });
    const { markdown } = renderMinutesDoc(july21({ series, agenda: groupAgenda([]), issueUrl: ISSUE }));
    expect(markdown).toContain("## Agenda\n\n- [ ] Vulnerability review\n\nNothing was labelled **tooling-agenda** when this doc was created.");
  });
});
