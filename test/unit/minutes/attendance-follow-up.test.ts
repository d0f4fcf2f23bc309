import { readdirSync, readFileSync, statSync } from "node:fs";
import nock from "nock";
import { beforeEach, describe, expect, it } from "vitest";
import type { GitHub } from "../../../src/github/client.js";
import { attendanceFollowUp } from "../../../src/minutes/attendance-follow-up.js";
import { seriesSchema, type SeriesConfig } from "../../../src/config/schema.js";
import { API, mockToken } from "../../helpers/github.js";
import { createTestProbot } from "../../helpers/probot.js";

/**
 * attendanceFollowUp against the contents API: one listing of meetings/ at the base ref, then
 * the newest files before the meeting, newest first; the team when quorum names one. The
 * minutes are the real Node.js forms in test/fixtures/attendance/meetings/.
 */

const repo = { owner: "nodejs", repo: "security-wg" };
const FIXTURES = new URL("../../fixtures/attendance/meetings/", import.meta.url);
const REF = "main";
const b64 = (text: string) => Buffer.from(text).toString("base64");
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), "utf8");

/** meetings/ as the contents API lists it: every fixture, plus a sub-folder that is no minutes. */
function listing() {
  const files = readdirSync(FIXTURES).map((name) => ({
    type: "file",
    name,
    path: `meetings/${name}`,
    size: statSync(new URL(name, FIXTURES)).size,
    sha: `sha-${name}`,
  }));
  return [...files, { type: "dir", name: "2024", path: "meetings/2024", size: 0, sha: "sha-dir" }];
}

function fileJson(name: string) {
  return { type: "file", name, path: `meetings/${name}`, encoding: "base64", content: b64(fixture(name)), size: fixture(name).length };
}

const THIS_MEETING = `# Node.js Security team Meeting 2024-12-05

## Present

* Security wg team: @nodejs/security-wg
* Rafael Gonzaga: @RafaelGSS
* Michael Dawson
* Guest Person: @guest-one

## Agenda
`;

function series(overrides: Record<string, unknown>): SeriesConfig {
  return seriesSchema.parse({
    id: "security-wg",
    name: "Security team",
    host: "Node.js",
    schedule: { rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", start: "2024-09-26T10:00", zone: "America/New_York" },
    agenda: { label: "security-wg-agenda", orgs: ["nodejs"] },
    ...overrides,
  });
}

const log = { debug() {}, info() {}, warn() {}, error() {} };
let gh: GitHub;
beforeEach(async () => {
  const { probot } = await createTestProbot();
  mockToken(nock(API), 1);
  gh = await probot.auth(1);
});

/** The attendance file as the base branch has it: missing (404), or this text. */
function attendanceFileRead(scope: nock.Scope, path: string, text: string | null): nock.Scope {
  const interceptor = scope.get(`/repos/nodejs/security-wg/contents/${path.replaceAll("/", "%2F")}`).query({ ref: REF });
  if (text === null) interceptor.reply(404, { message: "Not Found" });
  else interceptor.reply(200, { type: "file", path, encoding: "base64", content: b64(text), size: Buffer.byteLength(text) });
  return scope;
}

/** The listing, then each named file in the order read. */
function history(scope: nock.Scope, names: string[]): nock.Scope {
  scope.get("/repos/nodejs/security-wg/contents/meetings").query({ ref: REF }).reply(200, listing());
  for (const name of names) scope.get(`/repos/nodejs/security-wg/contents/meetings%2F${name}`).query({ ref: REF }).reply(200, fileJson(name));
  return scope;
}

describe("attendanceFollowUp", () => {
  it("does nothing and asks nothing without quorum or attendance.file", async () => {
    const result = await attendanceFollowUp({ gh, repo, ref: REF, series: series({}), date: "2024-12-05", minutes: THIS_MEETING, log });
    expect(result).toEqual({ quorum: null, files: [] });
  });

  it("counts quorum over the members list with the last 3 meetings that list who attended", async () => {
    // window 3 + 3 spare: the six dated files before 2024-12-05, newest first (2024-02-30 is no date).
    const scope = history(nock(API), ["2024-11-21.md", "2024-11-07.md", "2024-10-24.md", "2024-10-10.md", "2024-09-26.md", "2024-09-12.md"]);
    const result = await attendanceFollowUp({
      gh,
      repo,
      ref: REF,
      series: series({ quorum: { members: ["RafaelGSS", "mhdawson", "UlisesGascon", "marco-ippolito", "fraxken", "vdeturckheim"], window: 3 } }),
      date: "2024-12-05",
      minutes: THIS_MEETING,
      log,
    });
    expect(scope.isDone()).toBe(true);
    expect(result.files).toEqual([]);
    // Active: present at one of 2024-11-21, 2024-10-24, 2024-10-10 (2024-11-07 has no Present section):
    // RafaelGSS, mhdawson (by the name the files pair with his login), UlisesGascon, marco-ippolito, fraxken.
    // vdeturckheim was at none of them. 2 of 5 present, 3 needed.
    expect(result.quorum).toBe(
      [
        "### Quorum",
        "",
        "**Quorum: no.** 2 of 5 counted members present; 3 needed (50% of the counted members, at least one).",
        "",
        "* Present: `RafaelGSS`, `mhdawson`",
        "* Absent: `UlisesGascon`, `marco-ippolito`, `fraxken`",
        "* Not counted, absent from all of the last 3 meetings: `vdeturckheim`",
        "",
      ].join("\n"),
    );
  });

  it("reads the team's members for quorum, and writes ATTENDANCE.md", async () => {
    // The team first, then the history (window 2 for quorum, 3 - 1 for the file, + 3 spare).
    const scope = nock(API)
      .get("/orgs/nodejs/teams/security-wg/members")
      .query({ per_page: "100" })
      .reply(200, [{ login: "RafaelGSS" }, { login: "mhdawson" }, { login: "UlisesGascon" }]);
    history(scope, ["2024-11-21.md", "2024-11-07.md", "2024-10-24.md", "2024-10-10.md", "2024-09-26.md"]);
    // The file the App wrote last time (its marker line last): replaced.
    attendanceFileRead(scope, "meetings/ATTENDANCE.md", "# Attendance\n\nOld.\n\n<!-- wg-meetings:attendance-file -->\n");
    const result = await attendanceFollowUp({
      gh,
      repo,
      ref: REF,
      series: series({ quorum: { members: "nodejs/security-wg", window: 2 }, attendance: { file: "meetings/ATTENDANCE.md", window: 3 } }),
      date: "2024-12-05",
      minutes: THIS_MEETING,
      log,
      repoPrivate: true,
    });
    expect(scope.isDone()).toBe(true);
    expect(result.quorum).toContain("**Quorum: yes.** 2 of 3 counted members present; 2 needed");
    expect(result.quorum).toContain("* Members: the team `nodejs/security-wg`.");
    expect(result.files.map((f) => f.path)).toEqual(["meetings/ATTENDANCE.md"]);
    expect(result.files[0]!.content).toContain("| `UlisesGascon` | 1 of 3 (33%) | 2024-11-21 |");
    expect(result.files[0]!.content).toContain("[2024-12-05](2024-12-05.md)");
    expect(result.files[0]!.content.endsWith("\n\n<!-- wg-meetings:attendance-file -->\n")).toBe(true);
    expect(result.notes).toBeUndefined();
  });

  it("in a public repository names only the team's members the minutes show present, and counts the others", async () => {
    // A secret team, or members who keep their membership private: the App sees them, the public must not.
    const scope = nock(API)
      .get("/orgs/nodejs/teams/security-wg/members")
      .query({ per_page: "100" })
      .reply(200, [{ login: "RafaelGSS" }, { login: "mhdawson" }, { login: "UlisesGascon" }, { login: "quiet-member" }]);
    history(scope, ["2024-11-21.md", "2024-11-07.md", "2024-10-24.md", "2024-10-10.md", "2024-09-26.md"]);
    attendanceFileRead(scope, "meetings/ATTENDANCE.md", null);
    const result = await attendanceFollowUp({
      gh,
      repo,
      ref: REF,
      series: series({ quorum: { members: "nodejs/security-wg", window: 2 }, attendance: { file: "meetings/ATTENDANCE.md", window: 3 } }),
      date: "2024-12-05",
      minutes: THIS_MEETING,
      log,
      repoPrivate: false,
    });
    expect(scope.isDone()).toBe(true);
    expect(result.quorum).toContain("**Quorum: yes.** 2 of 3 counted members present; 2 needed");
    expect(result.quorum).toContain("* Present: `RafaelGSS`, `mhdawson`");
    expect(result.quorum).toContain("* Absent: 1 member (not named: this repository is public and the members come from a team)");
    expect(result.quorum).toContain("* Not counted, absent from all of the last 2 meetings: 1 member (not named:");
    expect(result.quorum).not.toContain("UlisesGascon");
    expect(result.quorum).not.toContain("quiet-member");
    const content = result.files[0]!.content;
    // UlisesGascon is in the 2024-11-21 minutes: named with his attendance. quiet-member is in none.
    expect(content).toContain("| `UlisesGascon` | 1 of 3 (33%) | 2024-11-21 |");
    expect(content).toContain("1 other member of the team attended none of these meetings (not named: this repository is public).");
    expect(content).toContain("| [2024-12-05](2024-12-05.md) | 2 of 4 | 2 |");
    expect(content).not.toContain("quiet-member");
  });

  it("the repository's visibility not known: the roster is kept as for a public repository", async () => {
    const scope = nock(API)
      .get("/orgs/nodejs/teams/security-wg/members")
      .query({ per_page: "100" })
      .reply(200, [{ login: "RafaelGSS" }, { login: "quiet-member" }]);
    const result = await attendanceFollowUp({
      gh,
      repo,
      ref: REF,
      series: series({ quorum: { members: "nodejs/security-wg", window: 0 } }),
      date: "2024-12-05",
      minutes: THIS_MEETING,
      log,
    });
    expect(scope.isDone()).toBe(true);
    expect(result.quorum).toContain("* Present: `RafaelGSS`");
    expect(result.quorum).not.toContain("quiet-member");
  });

  it("leaves a file it did not write alone (README.md, old minutes, too large, a folder) and says so", async () => {
    const readme = "# Security WG\n\nOur charter.\n";
    // The marker only quoted inside the document, not its last line: still not the App's file.
    const quoting = "# Notes\n\n```md\n<!-- wg-meetings:attendance-file -->\n```\n\nMore text.\n";
    const cases: Array<[string, (interceptor: nock.Interceptor) => nock.Scope, string]> = [
      ["README.md", (i) => i.reply(200, { type: "file", encoding: "base64", content: b64(readme), size: readme.length }), "was not written by wg-meetings"],
      ["NOTES.md", (i) => i.reply(200, { type: "file", encoding: "base64", content: b64(quoting), size: quoting.length }), "was not written by wg-meetings"],
      ["BIG.md", (i) => i.reply(200, { type: "file", encoding: "base64", content: "", size: 5_000_000 }), "larger than 1,048,576 bytes"],
      ["DIR.md", (i) => i.reply(200, [{ type: "file", name: "x.md", path: "DIR.md/x.md" }]), "is not a file on `main`"],
      ["ERR.md", (i) => i.reply(500, { message: "boom" }), "could not be read from the repository"],
    ];
    for (const [path, reply, why] of cases) {
      const scope = reply(nock(API).get(`/repos/nodejs/security-wg/contents/${path}`).query({ ref: REF }));
      const result = await attendanceFollowUp({
        gh,
        repo,
        ref: REF,
        series: series({ attendance: { file: path, window: 1 } }),
        date: "2024-12-05",
        minutes: THIS_MEETING,
        log,
      });
      expect(scope.isDone()).toBe(true);
      expect(result.files).toEqual([]);
      expect(result.notes).toHaveLength(1);
      expect(result.notes![0]).toContain(`\`${path}\` (\`attendance.file\`) is not updated: `);
      expect(result.notes![0]).toContain(why);
    }
  });

  it("costs 15 requests with the defaults, a team and a file, however long the history", async () => {
    // 40 earlier meetings, every two weeks: the team, one listing, 9 + 3 spare files, the file itself.
    const dates = Array.from({ length: 40 }, (_, i) => new Date(Date.UTC(2023, 0, 5 + 14 * i)).toISOString().slice(0, 10));
    const before = dates.filter((d) => d < "2024-12-05");
    const scope = nock(API)
      .get("/orgs/nodejs/teams/security-wg/members")
      .query({ per_page: "100" })
      .reply(200, [{ login: "RafaelGSS" }, { login: "mhdawson" }])
      .get("/repos/nodejs/security-wg/contents/meetings")
      .query({ ref: REF })
      .reply(200, dates.map((d) => ({ type: "file", name: `${d}.md`, path: `meetings/${d}.md`, size: 40 })));
    const read = before.slice(-12).reverse();
    for (const d of read) {
      scope
        .get(`/repos/nodejs/security-wg/contents/meetings%2F${d}.md`)
        .query({ ref: REF })
        .reply(200, { type: "file", encoding: "base64", content: b64(`## Present\n\n* @RafaelGSS\n`) });
    }
    attendanceFileRead(scope, "ATTENDANCE.md", null);
    const requests: string[] = [];
    scope.on("request", (req: { path: string }) => requests.push(req.path));
    const result = await attendanceFollowUp({
      gh,
      repo,
      ref: REF,
      series: series({ quorum: { members: "nodejs/security-wg" }, attendance: { file: "ATTENDANCE.md" } }),
      date: "2024-12-05",
      minutes: THIS_MEETING,
      log,
      repoPrivate: true,
    });
    expect(scope.isDone()).toBe(true);
    expect(requests).toHaveLength(15);
    expect(result.files[0]!.content).toContain("| `RafaelGSS` | 10 of 10 (100%) | 2024-12-05 |");
  });

  it("writes ATTENDANCE.md for everyone seen when there is no quorum block, and no quorum statement", async () => {
    // attendance.window 3: this meeting and 2 earlier, + 3 spare.
    const scope = history(nock(API), ["2024-11-21.md", "2024-11-07.md", "2024-10-24.md", "2024-10-10.md", "2024-09-26.md"]);
    attendanceFileRead(scope, "meetings/ATTENDANCE.md", null);
    const result = await attendanceFollowUp({
      gh,
      repo,
      ref: REF,
      series: series({ attendance: { file: "meetings/ATTENDANCE.md", window: 3 } }),
      date: "2024-12-05",
      minutes: THIS_MEETING,
      log,
    });
    expect(scope.isDone()).toBe(true);
    expect(result.quorum).toBeNull();
    const content = result.files[0]!.content;
    expect(content).toContain("Members: everyone listed with a GitHub login in these minutes.");
    // Most attended first. Michael Dawson has no login in the three meetings counted; a spare
    // file read beyond them (2024-09-26, `Michael Dawson: @mhdawson`) pairs his name with it.
    expect(content).toContain(
      [
        "| `mhdawson` | 3 of 3 (100%) | 2024-12-05 |",
        "| `RafaelGSS` | 3 of 3 (100%) | 2024-12-05 |",
        "| `guest-one` | 2 of 3 (67%) | 2024-12-05 |",
        // `Marco Ippolito <marco@example.org>` on 2024-10-24, paired by 2024-09-26 too.
        "| `marco-ippolito` | 2 of 3 (67%) | 2024-11-21 |",
      ].join("\n"),
    );
    // Those at the spare meetings only are nobody's business here.
    expect(content).not.toContain("`fraxken`");
  });

  it("says quorum is not known when this meeting's minutes list no one, and names the files it skipped", async () => {
    const scope = nock(API)
      .get("/repos/nodejs/security-wg/contents/meetings")
      .query({ ref: REF })
      .reply(200, [
        { type: "file", name: "2024-11-21.md", path: "meetings/2024-11-21.md", size: 10_000_000 },
        { type: "file", name: "2024-11-07.md", path: "meetings/2024-11-07.md", size: 300 },
      ])
      .get("/repos/nodejs/security-wg/contents/meetings%2F2024-11-07.md")
      .query({ ref: REF })
      .reply(200, fileJson("2024-11-07.md"));
    const result = await attendanceFollowUp({
      gh,
      repo,
      ref: REF,
      series: series({ quorum: { members: ["RafaelGSS"] } }),
      date: "2024-12-05",
      minutes: "# Node.js Security team Meeting 2024-12-05\n\n## Present\n\n* Security wg team: @nodejs/security-wg\n",
      log,
    });
    expect(scope.isDone()).toBe(true);
    expect(result.quorum).toBe(
      [
        "### Quorum",
        "",
        "**Quorum: not known.** The minutes of 2024-12-05 list no one under *Present*, so who attended cannot be told. List who attended under *Present* and run `/minutes` again.",
        "",
        "* Not read: `meetings/2024-11-21.md` (larger than 524288 bytes).",
        "",
      ].join("\n"),
    );
  });

  it("says quorum is not known and writes no file when the team is of another organization", async () => {
    // Refused before any request: no history is read for a quorum that cannot be counted.
    const result = await attendanceFollowUp({
      gh,
      repo,
      ref: REF,
      series: series({ quorum: { members: "other-org/security", window: 2 }, attendance: { file: "ATTENDANCE.md" } }),
      date: "2024-12-05",
      minutes: THIS_MEETING,
      log,
    });
    expect(result).toEqual({
      quorum: "### Quorum\n\n**Quorum: not known.** `quorum.members` names the team `other-org/security`, but only a team of `nodejs`, the repository's owner, counts.\n",
      files: [],
    });
  });

  it("says quorum is not known when the earlier minutes cannot be read", async () => {
    const scope = nock(API).get("/repos/nodejs/security-wg/contents/meetings").query({ ref: REF }).reply(500, { message: "boom" });
    const result = await attendanceFollowUp({
      gh,
      repo,
      ref: REF,
      series: series({ quorum: { members: ["RafaelGSS"] } }),
      date: "2024-12-05",
      minutes: THIS_MEETING,
      log,
    });
    expect(scope.isDone()).toBe(true);
    expect(result.quorum).toContain("**Quorum: not known.** The earlier minutes could not be read from the repository.");
    expect(result.files).toEqual([]);
  });
});
