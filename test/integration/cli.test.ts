import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
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
    [["preview", "--config", "examples/nodejs-security-wg.yml", "--date", "2024-10-25"], 'has no meeting on 2024-10-25'],
    [["preview", "--config", "examples/nodejs-security-wg.yml", "--meeting", "tsc"], 'no meeting series "tsc"'],
    [["preview", "--config", "missing.yml"], "missing.yml: cannot read the config: no such file"],
    [["tick"], "needs the App's credentials"],
  ])("fails clearly, exit 1: %j", async (argv, message) => {
    const { code, out, err } = await run(argv);
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err).toContain(message);
  });

  it.each([
    [["preview"], "--config FILE is required"],
    [["preview", "--config", "examples/nodejs-security-wg.yml", "--at", "2022-07-21 14:00"], "--at: expected an ISO-8601 instant"],
    [["preview", "--config", "examples/nodejs-security-wg.yml", "--date", "2025-02-30"], '--date: expected a real date as YYYY-MM-DD (got "2025-02-30")'],
    [["preview", "--config", "examples/nodejs-security-wg.yml", "--part", "slides"], '--part must be one of issue, doc, minutes (got "slides")'],
  ])("a wrong command line is a usage error, exit 2 with the usage: %j", async (argv, message) => {
    const { code, out, err } = await run(argv);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toContain(message);
    expect(err).toContain("Usage: wg-meetings preview --config FILE");
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

describe("wg-meetings: help, version and exit codes", () => {
  const COMMANDS = ["preview", "validate", "tick", "action"];

  it.each(COMMANDS.flatMap((command) => [[command, "--help"], [command, "-h"], ["help", command]]))(
    "%s %s prints that command's usage on stdout, exit 0",
    async (...argv) => {
      const command = argv[0] === "help" ? argv[1]! : argv[0]!;
      const { code, out, err } = await run(argv);
      expect(code).toBe(0);
      expect(err).toBe("");
      expect(out).toMatch(new RegExp(`^Usage: wg-meetings ${command}\\b`));
      expect(out).toContain("-h, --help");
    },
  );

  it("help wins over every other mistake on the line, and tick --help needs no credentials", async () => {
    expect((await run(["preview", "--bogus", "--help"])).code).toBe(0);
    const tick = await run(["tick", "--help"]);
    expect(tick.code).toBe(0);
    expect(tick.out).toContain("PRIVATE_KEY_PATH");
  });

  it.each([["--help"], ["-h"], ["help"]])("%s lists every command, exit 0", async (flag) => {
    const { code, out, err } = await run([flag]);
    expect(code).toBe(0);
    expect(err).toBe("");
    for (const command of COMMANDS) expect(out).toMatch(new RegExp(`^  ${command} `, "m"));
    expect(out).toContain("-v, --version");
  });

  it.each([["--version"], ["-v"]])("%s prints the package version", async (flag) => {
    const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    expect(await run([flag])).toEqual({ code: 0, out: `${version}\n`, err: "" });
  });

  it.each([
    [[], "wg-meetings: missing command", "Usage: wg-meetings COMMAND"],
    [["frobnicate"], 'wg-meetings: unknown command "frobnicate"', "Usage: wg-meetings COMMAND"],
    [["--frobnicate"], 'wg-meetings: unknown option "--frobnicate"', "Usage: wg-meetings COMMAND"],
    [["help", "frobnicate"], 'wg-meetings: unknown command "frobnicate"', "Usage: wg-meetings COMMAND"],
    [["preview", "--bogus"], "wg-meetings preview: Unknown option '--bogus'", "Usage: wg-meetings preview"],
    [["preview", "--config"], "wg-meetings preview: Option '--config <value>' argument missing", "Usage: wg-meetings preview"],
    [["preview", "--config", "a.yml", "--at", "2022-07-21T14:00:00Z", "--date", "2022-07-21"], "wg-meetings preview: give --at or --date, not both", "Usage: wg-meetings preview"],
    [["validate", "--bogus", "a.yml"], "wg-meetings validate: Unknown option '--bogus'", "Usage: wg-meetings validate"],
    [["validate"], "wg-meetings validate: missing FILE", "Usage: wg-meetings validate"],
    [["tick", "--bogus"], "wg-meetings tick: Unknown option '--bogus'", "Usage: wg-meetings tick"],
    [["tick", "--installation"], "wg-meetings tick: Option '--installation <value>' argument missing", "Usage: wg-meetings tick"],
    [["tick", "--installation", "forty-two"], 'wg-meetings tick: --installation expects a number (got "forty-two")', "Usage: wg-meetings tick"],
    [["tick", "--repo", "acme/wg"], "wg-meetings tick: --repo needs --installation", "Usage: wg-meetings tick"],
    [["tick", "--installation", "42", "--repo", "acme"], 'wg-meetings tick: --repo: expected OWNER/NAME (got "acme")', "Usage: wg-meetings tick"],
    [["tick", "stray"], "wg-meetings tick: Unexpected argument 'stray'", "Usage: wg-meetings tick"],
    [["action", "--bogus"], "wg-meetings action: Unknown option '--bogus'", "Usage: wg-meetings action"],
    [["action", "stray"], "wg-meetings action: Unexpected argument 'stray'", "Usage: wg-meetings action"],
  ])("%j is a usage error: exit 2, the message and the usage on stderr", async (argv, message, usage) => {
    const { code, out, err } = await run(argv);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err.startsWith(message)).toBe(true);
    expect(err).toContain(`\n\n${usage}`);
  });

  it("does not echo control characters from the command line", async () => {
    const { code, err } = await run(["\u001b[2Jfrob"]);
    expect(code).toBe(2);
    expect(err).toContain('unknown command "\\u001b[2Jfrob"');
    expect(err).not.toContain("\u001b");
  });
});

describe("wg-meetings tick: credential errors say what is wrong, never the key", () => {
  const SECRET = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC-not-a-real-key-body";

  it.each([
    [{ APP_ID: "123", PRIVATE_KEY: `notakey-${SECRET}` }, "wg-meetings tick: PRIVATE_KEY is not a PEM private key ("],
    [
      { APP_ID: "123", PRIVATE_KEY: `-----BEGIN RSA PRIVATE KEY-----\n${SECRET}\n-----END RSA PRIVATE KEY-----\n` },
      "wg-meetings tick: PRIVATE_KEY looks like a PEM private key but cannot be parsed: it may be truncated or altered (",
    ],
    [{ APP_ID: "123", PRIVATE_KEY_PATH: "/missing.pem" }, "wg-meetings tick: PRIVATE_KEY_PATH: file /missing.pem does not exist\n"],
    [{ PRIVATE_KEY: `notakey-${SECRET}` }, "wg-meetings tick: APP_ID is not set: set it to the App ID shown on the App's settings page\n"],
    [{ APP_ID: "my-app", PRIVATE_KEY: `notakey-${SECRET}` }, 'wg-meetings tick: APP_ID must be the App\'s numeric ID, shown on its settings page (got "my-app")\n'],
    [{ APP_ID: "123" }, "wg-meetings tick: no private key: set PRIVATE_KEY to the contents of the App's .pem file, or PRIVATE_KEY_PATH to its path\n"],
  ])("%j", async (env, message) => {
    const { code, out, err } = await run(["tick", "--dry-run"], { ...env, LOG_LEVEL: "fatal" });
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err.startsWith(message)).toBe(true);
    expect(err).not.toContain("privateKey option is required");
    expect(err).not.toContain(SECRET.slice(0, 16));
    expect(err).not.toContain("notakey");
  });

  it("a key file that is not a key: the file is named, its content is not shown", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wg-meetings-key-"));
    const path = join(dir, "app.pem");
    writeFileSync(path, `${SECRET}\n`);
    const { code, err } = await run(["tick"], { APP_ID: "123", PRIVATE_KEY_PATH: path });
    expect(code).toBe(1);
    expect(err).toMatch(new RegExp(`^wg-meetings tick: PRIVATE_KEY_PATH: file ${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not a PEM private key \\(`));
    expect(err).not.toContain(SECRET.slice(0, 16));
  });
});
