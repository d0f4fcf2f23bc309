import nock from "nock";
import { beforeEach, describe, expect, it } from "vitest";
import { seriesSchema, type SeriesConfig } from "../../../src/config/schema.js";
import type { GitHub } from "../../../src/github/client.js";
import { attendanceFollowUp } from "../../../src/minutes/attendance-follow-up.js";
import { API, mockToken } from "../../helpers/github.js";
import { createTestProbot } from "../../helpers/probot.js";

/**
 * The quorum statement in the minutes PR tells the chair how many earlier meetings it counted
 * from: while there are fewer than `quorum.window`, every member counts, and it says how many
 * were found. The meeting being published is never one of its own earlier meetings.
 */

const repo = { owner: "acme", repo: "wg" };
const REF = "main";
const b64 = (text: string) => Buffer.from(text).toString("base64");
const log = { debug() {}, info() {}, warn() {}, error() {} };

const minutes = (date: string, present: string[]) => `# Acme WG Meeting ${date}\n\n## Present\n\n${present.map((login) => `* @${login}`).join("\n")}\n\n## Agenda\n`;

function series(): SeriesConfig {
  return seriesSchema.parse({
    id: "wg",
    name: "WG",
    schedule: { rrule: "FREQ=WEEKLY;BYDAY=WE", start: "2026-01-07T16:00", zone: "UTC" },
    agenda: { label: "wg-agenda", orgs: ["acme"] },
    quorum: { members: ["alice", "bob", "carol"], ratio: 0.5, window: 3 },
  });
}

let gh: GitHub;
beforeEach(async () => {
  const { probot } = await createTestProbot();
  mockToken(nock(API), 1);
  gh = await probot.auth(1);
});

describe("the quorum statement of a series with fewer earlier minutes than its window", () => {
  it("says every member counts and names how many earlier meetings were found, not counting this one", async () => {
    // The meeting's own file is already on the base (a re-run): the walk reads only the two before it.
    const scope = nock(API)
      .get("/repos/acme/wg/contents/meetings")
      .query({ ref: REF })
      .reply(200, [
        { type: "file", name: "2026-11-18.md", size: 80 },
        { type: "file", name: "2026-11-25.md", size: 80 },
        { type: "file", name: "2026-12-02.md", size: 80 },
      ]);
    scope
      .get("/repos/acme/wg/contents/meetings%2F2026-11-25.md")
      .query({ ref: REF })
      .reply(200, { type: "file", encoding: "base64", content: b64(minutes("2026-11-25", ["alice"])) });
    scope
      .get("/repos/acme/wg/contents/meetings%2F2026-11-18.md")
      .query({ ref: REF })
      .reply(200, { type: "file", encoding: "base64", content: b64(minutes("2026-11-18", ["bob"])) });

    const result = await attendanceFollowUp({ gh, repo, ref: REF, series: series(), date: "2026-12-02", minutes: minutes("2026-12-02", ["alice", "bob"]), log });

    expect(scope.isDone()).toBe(true);
    expect(result.quorum).toBe(
      [
        "### Quorum",
        "",
        "**Quorum: yes.** 2 of 3 counted members present; 2 needed (50% of the counted members, at least one).",
        "",
        "* Present: `alice`, `bob`",
        "* Absent: `carol`",
        "* Every member counts: minutes of only 2 earlier meetings were found, fewer than the 3 that tell who is inactive.",
        "",
      ].join("\n"),
    );
  });
});
