import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";

/**
 * `wg-meetings attendance` on a folder of realistic minutes: test/fixtures/attendance/meetings/
 * holds files in the real Node.js *Present* forms (`Name: @handle`, `Name (@handle)`, a bare
 * handle, `@handle (Name)`, an e-mail, a line that lost its bullet, a linked name, a struck-out
 * name, the template's prompt), one meeting with no Present section, and files that are no
 * minutes (README.md, `2025-06-11` without .md, the impossible 2024-02-30).
 */

const MEETINGS = "test/fixtures/attendance/meetings";

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (text) => (out += text), err: (text) => (err += text), env });
  return { code, out, err };
}

function configFile(extra: string): string {
  const dir = mkdtempSync(join(tmpdir(), "attendance-cli-"));
  const path = join(dir, "meetings.yml");
  writeFileSync(
    path,
    `meetings:
  - id: security-wg
    name: Security team
    host: Node.js
    schedule:
      rrule: FREQ=WEEKLY;INTERVAL=2;BYDAY=TH
      start: 2024-09-26T10:00
      zone: America/New_York
    agenda:
      label: security-wg-agenda
      orgs: [nodejs]
${extra}`,
  );
  return path;
}

describe("wg-meetings attendance --dir", () => {
  it("is listed in the help, with its own usage", async () => {
    expect((await run(["--help"])).out).toContain("  attendance  print each member's attendance over the last meetings, from the merged minutes\n");
    const help = await run(["attendance", "--help"]);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: wg-meetings attendance \(--dir DIR \| --repo OWNER\/NAME/);
  });

  it("counts the given members over the last 3 meetings with a Present section, in every Node.js form", async () => {
    const { code, out, err } = await run(["attendance", "--dir", MEETINGS, "--members", "RafaelGSS,@mhdawson,UlisesGascon,marco-ippolito", "--last", "3"]);
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toBe(
      [
        `Attendance at the last 3 meetings that list who attended (2024-10-10 to 2024-11-21), from ${MEETINGS}:`,
        "",
        "member          attended    last attended",
        // `[Rafael Gonzaga](https://github.com/RafaelGSS)`, `Rafael Gonzaga (@RafaelGSS)`, `**Rafael Gonzaga**: @RafaelGSS`.
        "RafaelGSS       3/3   100%  2024-11-21",
        // A bare `mhdawson`; `Michael Dawson` alone, and with an e-mail: the name another file pairs with @mhdawson.
        "mhdawson        3/3   100%  2024-11-21",
        // A line without its bullet on 2024-10-10; struck out on 2024-10-24.
        "UlisesGascon    2/3    67%  2024-11-21",
        // `Marco Ippolito <marco@example.org>` on 2024-10-24, by name.
        "marco-ippolito  2/3    67%  2024-11-21",
        "",
        "Others present: @fraxken (1), @guest-one (1), @guest-two (1), @mallory-evil (1), @naugtur (1), Jane Doe (Example Corp) (1), [click me](https://example.com/phish) S… (1), marcos@example.com (1)",
        "",
        "Not counted, no one listed under Present: 2024-11-07",
        "",
      ].join("\n"),
    );
  });

  it("takes the members and window from the config and prints the quorum of the newest meeting", async () => {
    const config = configFile(`    quorum:
      members: [RafaelGSS, mhdawson, UlisesGascon, marco-ippolito, vdeturckheim]
      window: 2
    attendance:
      window: 2
`);
    const { code, out, err } = await run(["attendance", "--dir", MEETINGS, "--config", config]);
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain("Attendance at the last 2 meetings that list who attended (2024-10-24 to 2024-11-21)");
    expect(out).toContain("vdeturckheim    0/2     0%  -\n");
    // 2024-11-21: four present; vdeturckheim at neither of the two before it, so not counted: 4 of 4, 2 needed.
    expect(out).toContain("Quorum on 2024-11-21: yes, 4 of 4 counted members present, 2 needed; not counted (inactive): vdeturckheim\n");
  });

  it("counts everyone with a login when no members are given, most attended first", async () => {
    const { code, out } = await run(["attendance", "--dir", MEETINGS, "--format", "json"]);
    expect(code).toBe(0);
    const report = JSON.parse(out) as { meetings: string[]; notCounted: string[]; members: Array<{ login: string; attended: number; of: number }>; others: unknown[] };
    expect(report.meetings).toEqual(["2024-11-21", "2024-10-24", "2024-10-10", "2024-09-26"]);
    // 2024-09-12 lists only the team: counting it would mark everyone absent.
    expect(report.notCounted).toEqual(["2024-11-07"]);
    expect(report.members.map((m) => `${m.login} ${m.attended}/${m.of}`)).toEqual([
      "mhdawson 4/4",
      "RafaelGSS 4/4",
      "marco-ippolito 3/4",
      "UlisesGascon 3/4",
      "fraxken 1/4",
      "guest-one 1/4",
      "guest-two 1/4",
      "mallory-evil 1/4",
      "naugtur 1/4",
    ]);
  });

  it("prints the ATTENDANCE.md the App writes, links from the repository root, no mention, no HTML", async () => {
    const config = configFile(`    quorum:
      members: [RafaelGSS, mhdawson, mallory-evil]
    attendance:
      file: ATTENDANCE.md
      window: 3
`);
    const { code, out } = await run(["attendance", "--dir", `${MEETINGS}/`, "--config", config, "--format", "markdown"]);
    expect(code).toBe(0);
    expect(out).toBe(
      [
        "# Attendance",
        "",
        "Attendance at the last 3 meetings of Security team with minutes, from 2024-10-10 to 2024-11-21.",
        "",
        "Members: `quorum.members` in the meetings config. Written by wg-meetings from the merged minutes with each minutes pull request; edits by hand are replaced.",
        "",
        "| Member | Attended | Last attended |",
        "| --- | --- | --- |",
        "| `RafaelGSS` | 3 of 3 (100%) | 2024-11-21 |",
        "| `mhdawson` | 3 of 3 (100%) | 2024-11-21 |",
        "| `mallory-evil` | 1 of 3 (33%) | 2024-11-21 |",
        "",
        "## Meetings",
        "",
        "| Meeting | Members present | Absent |",
        "| --- | --- | --- |",
        "| [2024-11-21](meetings/2024-11-21.md) | 3 of 3 | none |",
        "| [2024-10-24](meetings/2024-10-24.md) | 2 of 3 | `mallory-evil` |",
        "| [2024-10-10](meetings/2024-10-10.md) | 2 of 3 | `mallory-evil` |",
        "",
        "## Others present",
        "",
        "`@UlisesGascon` (2), `@fraxken` (1), `@guest-one` (1), `@guest-two` (1), `@marco-ippolito` (1), `@naugtur` (1), `[click me](https://example.com/phish) Someone` (1), `Jane Doe (Example Corp)` (1), `marco@example.org` (1), `marcos@example.com` (1).",
        "",
        "Not counted, no one listed under *Present*: [2024-11-07](meetings/2024-11-07.md).",
        "",
        // The App's marker: committed as attendance.file, this file is the App's to replace.
        "<!-- wg-meetings:attendance-file -->",
        "",
      ].join("\n"),
    );
    // Outside code spans nothing mentions, links or hides (but the marker line, last).
    const outsideCode = out.replace(/`[^`\n]*`/g, "");
    expect(outsideCode).not.toMatch(/@\w/);
    expect(out.replace(/<!-- wg-meetings:attendance-file -->\n$/, "")).not.toContain("<!--");
  });

  it("walks {{year}} folders, skips symbolic links, and keeps escape sequences off the terminal", async () => {
    const dir = mkdtempSync(join(tmpdir(), "attendance-years-"));
    mkdirSync(join(dir, "2023"));
    mkdirSync(join(dir, "2024"));
    writeFileSync(join(dir, "2023", "2023-12-14.md"), "## Present\n\n* Ada: @ada\n* \u001b[2JEvil\u202eName\n");
    writeFileSync(join(dir, "2024", "2024-01-11.md"), "Present: @ada, @grace\n");
    writeFileSync(join(dir, "2024", "2023-01-11.md"), "Present: @wrong-year\n");
    const outside = mkdtempSync(join(tmpdir(), "attendance-outside-"));
    writeFileSync(join(outside, "2024-02-08.md"), "Present: @linked\n");
    symlinkSync(join(outside, "2024-02-08.md"), join(dir, "2024", "2024-02-08.md"));
    const config = configFile(`    minutes:
      path: "notes/{{year}}/{{date}}.md"
`);
    const { code, out, err } = await run(["attendance", "--dir", dir, "--config", config]);
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain("(2023-12-14 to 2024-01-11)");
    expect(out).toContain("member  attended    last attended\nada     2/2   100%  2024-01-11\ngrace   1/2    50%  2024-01-11\n");
    expect(out).not.toContain("linked");
    expect(out).not.toContain("wrong-year");
    expect(out).not.toContain("\u001b");
    expect(out).not.toContain("\u202e");
    expect(out).toContain("\\u001b[2JEvil\\u202eName (1)");
    const json = await run(["attendance", "--dir", dir, "--config", config, "--format", "json"]);
    expect(json.out).not.toMatch(/[\u001b\u202e]/);
    expect((JSON.parse(json.out) as { others: Array<{ who: string }> }).others[0]!.who).toBe("\u001b[2JEvil\u202eName");
  });

  it("refuses a wrong command line with exit code 2", async () => {
    for (const argv of [
      ["attendance"],
      ["attendance", "--dir", MEETINGS, "--repo", "nodejs/security-wg"],
      ["attendance", "--dir", MEETINGS, "--last", "0"],
      ["attendance", "--dir", MEETINGS, "--last", "501"],
      ["attendance", "--dir", MEETINGS, "--members", "not a login"],
      ["attendance", "--dir", MEETINGS, "--before", "2024-02-30"],
      ["attendance", "--dir", MEETINGS, "--ref", "main"],
      ["attendance", "--dir", MEETINGS, "--format", "html"],
      ["attendance", "--dir", MEETINGS, "--bogus"],
    ]) {
      const { code, err } = await run(argv);
      expect({ argv, code }).toEqual({ argv, code: 2 });
      expect(err).toContain("Usage: wg-meetings attendance");
    }
  });

  it("takes a clone's root as well as its meetings/ folder", async () => {
    const root = await run(["attendance", "--dir", "test/fixtures/attendance", "--format", "json"]);
    const folder = await run(["attendance", "--dir", MEETINGS, "--format", "json"]);
    expect(root.code).toBe(0);
    const strip = (out: string) => ({ ...(JSON.parse(out) as object), source: null });
    expect(strip(root.out)).toEqual(strip(folder.out));
    expect((await run(["attendance", "--dir", "test/fixtures/attendance", "--format", "markdown"])).out).toContain("[2024-11-21](meetings/2024-11-21.md)");
  });

  it("reads nothing from a folder that does not exist", async () => {
    const { code, out } = await run(["attendance", "--dir", join(tmpdir(), "no-such-folder-for-attendance")]);
    expect(code).toBe(0);
    expect(out).toMatch(/^No minutes that list who attended in /);
  });
});

describe("wg-meetings attendance --repo", () => {
  const API = "https://api.github.com";
  const fixtureNames = readdirSync(MEETINGS);

  it("reads the minutes through the contents API with GITHUB_TOKEN, and the quorum team", async () => {
    const config = configFile(`    quorum:
      members: nodejs/security-wg
    attendance:
      window: 2
`);
    const scope = nock(API, { reqheaders: { authorization: "token ghp_test" } })
      .get("/repos/nodejs/security-wg/contents/meetings")
      .query({ ref: "v1" })
      .reply(
        200,
        fixtureNames.map((name) => ({ type: "file", name, path: `meetings/${name}`, size: statSync(join(MEETINGS, name)).size })),
      );
    // --last 2 + 3 spare, newest first.
    for (const name of ["2024-11-21.md", "2024-11-07.md", "2024-10-24.md", "2024-10-10.md", "2024-09-26.md"]) {
      scope
        .get(`/repos/nodejs/security-wg/contents/meetings%2F${name}`)
        .query({ ref: "v1" })
        .reply(200, { type: "file", name, path: `meetings/${name}`, encoding: "base64", content: readFileSync(join(MEETINGS, name)).toString("base64") });
    }
    scope
      .get("/orgs/nodejs/teams/security-wg/members")
      .query({ per_page: "100" })
      .reply(200, [{ login: "RafaelGSS" }, { login: "UlisesGascon" }]);
    const { code, out, err } = await run(["attendance", "--repo", "nodejs/security-wg", "--ref", "v1", "--config", config], { GITHUB_TOKEN: "ghp_test" });
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(scope.isDone()).toBe(true);
    expect(out).toContain("from nodejs/security-wg:");
    expect(out).toContain("RafaelGSS     2/2   100%  2024-11-21\nUlisesGascon  1/2    50%  2024-11-21\n");
    expect(out).toContain("Quorum on 2024-11-21: yes, 2 of 2 counted members present, 1 needed\n");
  });

  it("needs GITHUB_TOKEN", async () => {
    const { code, err } = await run(["attendance", "--repo", "nodejs/security-wg"]);
    expect(code).toBe(1);
    expect(err).toContain("GITHUB_TOKEN");
  });
});
