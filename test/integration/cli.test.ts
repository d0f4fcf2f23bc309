import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";

/** Runs the CLI in-process and captures what it prints. */
async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (text) => (out += text), err: (text) => (err += text), env });
  return { code, out, err };
}

const EXAMPLE = ["--config", "examples/nodejs-security-wg.yml", "--at", "2022-07-21T14:00:00Z", "--agenda", "examples/agenda-2022-07-21.json"];

describe("wg-meetings preview", () => {
  it("reproduces the real Node.js Security WG issue of 2022-07-21, character for character", async () => {
    const { code, out, err } = await run(["preview", ...EXAMPLE]);
    expect(err).toBe("");
    expect(code).toBe(0);
    const lines = out.split("\n");
    expect(lines[0]).toBe("# Node.js Security team Meeting 2022-07-21");
    expect(out).toContain("**UTC Thu 21-Jul-2022 14:00 (02:00 PM)**:");
    expect(out).toContain(
      [
        "| Timezone      | Date/Time             |",
        "|---------------|-----------------------|",
        "| US / Pacific  | Thu 21-Jul-2022 07:00 (07:00 AM) |",
        "| US / Mountain | Thu 21-Jul-2022 08:00 (08:00 AM) |",
        "| US / Central  | Thu 21-Jul-2022 09:00 (09:00 AM) |",
        "| US / Eastern  | Thu 21-Jul-2022 10:00 (10:00 AM) |",
        "| EU / Western  | Thu 21-Jul-2022 15:00 (03:00 PM) |",
        "| EU / Central  | Thu 21-Jul-2022 16:00 (04:00 PM) |",
        "| EU / Eastern  | Thu 21-Jul-2022 17:00 (05:00 PM) |",
        "| Moscow        | Thu 21-Jul-2022 17:00 (05:00 PM) |",
        "| Chennai       | Thu 21-Jul-2022 19:30 (07:30 PM) |",
        "| Hangzhou      | Thu 21-Jul-2022 22:00 (10:00 PM) |",
        "| Tokyo         | Thu 21-Jul-2022 23:00 (11:00 PM) |",
        "| Sydney        | Fri 22-Jul-2022 00:00 (12:00 AM) |",
      ].join("\n"),
    );
    expect(out).toContain(
      "* https://www.timeanddate.com/worldclock/fixedtime.html?msg=Node.js+Foundation+Security%20team+Meeting+2022-07-21&iso=20220721T1400",
    );
    expect(out).toContain(
      [
        "Extracted from **security-wg-agenda** labelled issues and pull requests from the **nodejs org** prior to the meeting.",
        "",
        "### nodejs/security-wg",
        "",
        "* OpenJS Foundation Slack channel [#812](https://github.com/nodejs/security-wg/issues/812)",
        "* Open discussion about VM module [#811](https://github.com/nodejs/security-wg/issues/811)",
        "* Automatic check for dependencies' vulnerabilities in Node.js CI [#802](https://github.com/nodejs/security-wg/issues/802)",
        "* Threat Model [#799](https://github.com/nodejs/security-wg/issues/799)",
        "* Permission Model [#791](https://github.com/nodejs/security-wg/issues/791)",
        "* What security guidance would be most useful for Node.js developers? [#488](https://github.com/nodejs/security-wg/issues/488)",
      ].join("\n"),
    );
    expect(out).not.toMatch(/\$[A-Z_]+\$/);
  });

  it("previews by --date through the schedule, and the next meeting by default", async () => {
    const byDate = await run(["preview", "--config", "examples/nodejs-security-wg.yml", "--date", "2024-10-24"]);
    expect(byDate.code).toBe(0);
    expect(byDate.out).toContain("**UTC Thu 24-Oct-2024 14:00 (02:00 PM)**:");
    expect(byDate.out).toContain("| EU / Western  | Thu 24-Oct-2024 15:00 (03:00 PM) |");
    expect(byDate.out).toContain("| Sydney        | Fri 25-Oct-2024 01:00 (01:00 AM) |");

    const winter = await run(["preview", "--config", "examples/nodejs-security-wg.yml", "--date", "2024-11-21"]);
    expect(winter.out).toContain("**UTC Thu 21-Nov-2024 15:00 (03:00 PM)**:");

    const next = await run(["preview", "--config", "examples/nodejs-security-wg.yml"]);
    expect(next.code).toBe(0);
    expect(next.out).toMatch(/^# Node\.js Security team Meeting \d{4}-\d{2}-\d{2}\n/);
  });

  it.each([
    [["preview"], "--config FILE is required"],
    [["preview", "--config", "examples/nodejs-security-wg.yml", "--date", "2024-10-25"], 'has no meeting on 2024-10-25'],
    [["preview", "--config", "examples/nodejs-security-wg.yml", "--at", "2022-07-21 14:00"], "--at: expected an ISO-8601 instant"],
    [["preview", "--config", "examples/nodejs-security-wg.yml", "--meeting", "tsc"], 'no meeting series "tsc"'],
    [["preview", "--config", "examples/nodejs-security-wg.yml", "--part", "slides"], '--part must be one of issue, doc, minutes (got "slides")'],
    [["preview", "--config", "missing.yml"], "ENOENT"],
    [["frobnicate"], 'unknown command "frobnicate"'],
    [["tick"], "needs the App's credentials"],
  ])("fails clearly: %j", async (argv, message) => {
    const { code, err } = await run(argv);
    expect(code).toBe(1);
    expect(err).toContain(message);
  });
});

describe("wg-meetings preview --part", () => {
  it("doc: the minutes doc drafted for the meeting", async () => {
    const { code, out } = await run(["preview", ...EXAMPLE, "--part", "doc"]);
    expect(code).toBe(0);
    expect(out).toMatch(/^# Node\.js Security team Meeting 2022-07-21\n\n## Links\n/);
    expect(out).toContain("* OpenJS Foundation Slack channel [#812](https://github.com/nodejs/security-wg/issues/812)");
  });

  it("minutes: the minutes file from the agenda alone, in the Node.js layout", async () => {
    const { code, out } = await run(["preview", ...EXAMPLE, "--part", "minutes"]);
    expect(code).toBe(0);
    const headings = out.split("\n").filter((line) => line.startsWith("## "));
    expect(headings).toEqual(["## Links", "## Present", "## Agenda", "## Announcements", "## Q&A, Other", "## Upcoming Meetings"]);
    expect(out).not.toMatch(/\$[A-Z_]+\$|\{\{/);
  });
});

describe("wg-meetings validate", () => {
  it("prints every error with its line and exits 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wg-meetings-"));
    const file = join(dir, "meetings.yml");
    writeFileSync(
      file,
      [
        "meetings:",
        "  - id: wg",
        "    name: WG",
        "    schedule:",
        "      rrule: FREQ=WEEKLY;BYDAY=TH",
        "      start: 2024-01-04T10:00",
        "      zone: Mars/Olympus_Mons",
        "    createBefor: P3D",
        "    agenda: { label: wg-agenda, orgs: [acme] }",
        "",
      ].join("\n"),
    );
    const { code, err } = await run(["validate", file]);
    expect(code).toBe(1);
    expect(err).toContain(`${file}:7:`);
    expect(err).toContain("Mars/Olympus_Mons");
    expect(err).toContain(`${file}:8:`);
    expect(err).toContain("createBefor");
  });

  it("accepts the Node.js example", async () => {
    const { code, out } = await run(["validate", "examples/nodejs-security-wg.yml"]);
    expect(code).toBe(0);
    expect(out).toContain("security-wg");
  });
});

describe("wg-meetings tick", () => {
  it("runs the tick with the App's credentials from the environment and prints the report", async () => {
    const { default: nock } = await import("nock");
    const { API, mockApp, mockToken, installedRepo } = await import("../helpers/github.js");
    const { privateKey } = await import("../helpers/probot.js");
    const scope = nock(API);
    mockApp(scope);
    mockToken(scope, 42);
    scope.get("/repos/acme/empty").reply(200, installedRepo("acme/empty"));
    scope.get("/repos/acme/empty/contents/.github%2Fmeetings.yml").reply(404, { message: "Not Found" });

    const { code, out, err } = await run(["tick", "--dry-run", "--installation", "42", "--repo", "acme/empty"], {
      APP_ID: "123",
      PRIVATE_KEY: privateKey,
      LOG_LEVEL: "fatal",
    });

    expect(err).toBe("");
    expect(scope.pendingMocks()).toEqual([]);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ dryRun: true, installations: 1, repositories: 1, configured: 0, errors: [] });
  });
});
