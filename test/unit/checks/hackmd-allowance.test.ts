import { describe, expect, it } from "vitest";
import { buildConfigCheckReport } from "../../../src/checks/config-check-report.js";
import { parseHackmdAllowList } from "../../../src/hackmd/allow-list.js";
import type { OccurrenceSourceIo } from "../../../src/schedule/occurrence-source.js";

const NOW = new Date("2026-12-07T12:00:00Z");
const noIo: OccurrenceSourceIo = {
  fetchText: async (url) => {
    throw new Error(`unexpected fetch of ${url}`);
  },
  calendar: async () => {
    throw new Error("unexpected calendar");
  },
};
const config = (minutes: string) => `meetings:
  - id: security-team
    name: Security team
    schedule: "2026-08-04T13:00:00[America/Chicago]/P2W"
    agenda: { label: security-wg-agenda, repos: [nodejs/security-wg] }
    minutes:
${minutes.replace(/^/gm, "      ")}
`;

describe("the config check and the operator's HackMD allow-list", () => {
  it("fails on the team line when the list does not name the team for this owner, saying which entry to add", async () => {
    const allow = parseHackmdAllowList("nodejs=team:nodejs-security");
    const report = await buildConfigCheckReport({ text: config("doc: hackmd\nhackmd:\n  team: other-team") }, NOW, noIo, undefined, { allow, owner: "nodejs" });
    expect(report.conclusion).toBe("failure");
    expect(report.annotations).toEqual([
      expect.objectContaining({
        start_line: 9,
        title: "meetings[0].minutes.hackmd.team",
        message: expect.stringContaining(
          "HackMD team other-team is not on the App's HackMD allow-list for nodejs, so the App did not use it: ask the App's operator to add nodejs=team:other-team to WG_MEETINGS_HACKMD_ALLOW",
        ),
      }),
    ]);
  });

  it("fails on minutes.doc when the series uses the token's own workspace and the list does not allow it", async () => {
    const allow = parseHackmdAllowList("nodejs=team:nodejs-security");
    const report = await buildConfigCheckReport({ text: config("doc: hackmd") }, NOW, noIo, undefined, { allow, owner: "nodejs" });
    expect(report.annotations).toEqual([expect.objectContaining({ start_line: 7, title: "meetings[0].minutes.doc", message: expect.stringContaining("add nodejs=personal to") })]);
  });

  it("passes a team the list names for the owner, and says nothing of series that draft no HackMD note", async () => {
    const allow = parseHackmdAllowList("nodejs=team:nodejs-security");
    for (const minutes of ["doc: hackmd\nhackmd: { team: nodejs-security }", "doc: none\nhackmd: { team: not-allowed }"]) {
      const report = await buildConfigCheckReport({ text: config(minutes) }, NOW, noIo, undefined, { allow, owner: "nodejs" });
      expect(report.conclusion, minutes).toBe("success");
    }
  });

  it("another owner's entry does not allow the team", async () => {
    const allow = parseHackmdAllowList("nodejs=team:nodejs-security");
    const report = await buildConfigCheckReport({ text: config("doc: hackmd\nhackmd: { team: nodejs-security }") }, NOW, noIo, undefined, { allow, owner: "someone-else" });
    expect(report.conclusion).toBe("failure");
  });
});
