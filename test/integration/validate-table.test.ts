import { existsSync } from "node:fs";
import { mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";

/**
 * `wg-meetings validate`, case by case, through the CLI's own entry (in-process, as
 * cli.test.ts runs it). Every case that concerns time is far enough in the past or future that
 * the day the suite runs does not change the answer.
 */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "wg-meetings-validate-table-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[]) {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (text) => (out += text), err: (text) => (err += text), env: {} });
  return { code, out, err };
}

let files = 0;
async function validate(content: string | Buffer) {
  const path = join(dir, `case-${++files}.yml`);
  await writeFile(path, content);
  return { path, ...(await run(["validate", path])) };
}

/** A series whose schedule is `schedule` (its lines indented under `schedule:`, which is line 4). */
const series = (schedule: string, id = "wg") =>
  ["meetings:", `  - id: ${id}`, "    name: WG", "    schedule:", ...schedule.split("\n").map((line) => `      ${line}`), "    agenda: { label: wg-agenda, orgs: [acme] }", ""].join("\n");

/** Bytes that would be harmful if printed raw: escape sequences, bells, bidi overrides, NUL. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe("validate: impossible dates are errors with their key path and line, exit 1", () => {
  it.each([
    {
      name: "start on February 30",
      text: series("rrule: FREQ=WEEKLY;BYDAY=TH\nstart: 2025-02-30T10:00\nzone: UTC"),
      lines: [':6: meetings[0].schedule.start: "2025-02-30T10:00" is not a real date: February 2025 has 28 days'],
    },
    {
      name: "start at 24:00",
      text: series("rrule: FREQ=WEEKLY;BYDAY=TH\nstart: 2025-03-06T24:00\nzone: UTC"),
      lines: [':6: meetings[0].schedule.start: "2025-03-06T24:00" is not a real time: hours go from 00 to 23'],
    },
    {
      name: "skip dates that do not exist, each on its own line",
      text: series("rrule: FREQ=WEEKLY;BYDAY=TH\nstart: 2025-01-02T10:00\nzone: UTC\nskip:\n  - 2025-02-29\n  - 2025-13-01\n  - 2025-04-31"),
      lines: [
        ':9: meetings[0].schedule.skip[0]: "2025-02-29" is not a real date: February 2025 has 28 days',
        ':10: meetings[0].schedule.skip[1]: "2025-13-01" is not a real date: there is no month 13',
        ':11: meetings[0].schedule.skip[2]: "2025-04-31" is not a real date: April 2025 has 30 days',
      ],
    },
    {
      name: "skip of an interval schedule",
      text: series('interval: "2025-08-04T13:00:00[America/Chicago]/P2W"\nskip: [2026-02-29]'),
      lines: [':6: meetings[0].schedule.skip[0]: "2026-02-29" is not a real date: February 2026 has 28 days'],
    },
    {
      name: "skip of a calendar schedule",
      text: series('ical: { url: "https://calendar.example.org/wg.ics" }\nskip: [2025-06-31]'),
      lines: [':6: meetings[0].schedule.skip[0]: "2025-06-31" is not a real date: June 2025 has 30 days'],
    },
    {
      name: "an RRULE UNTIL that does not exist",
      text: series("rrule: FREQ=WEEKLY;BYDAY=TH;UNTIL=20250230\nstart: 2025-01-02T10:00\nzone: UTC"),
      lines: [':5: meetings[0].schedule.rrule: RRULE part "UNTIL" is not a real date (got "20250230")'],
    },
    {
      name: "an RRULE UNTIL instant before the start (the tick would fail on it)",
      text: series("rrule: FREQ=WEEKLY;UNTIL=20231231T000000Z\nstart: 2024-01-04T10:00\nzone: UTC"),
      lines: [":5: meetings[0].schedule.rrule: RRULE UNTIL 2023-12-31T00:00:00.000Z is before the schedule start 2024-01-04T10:00"],
    },
    {
      name: "an interval starting on a day that does not exist",
      text: series('interval: "2025-02-30T10:00:00[UTC]/P1W"'),
      lines: [':5: meetings[0].schedule.interval: invalid repeating interval "2025-02-30T10:00:00[UTC]/P1W": the start "2025-02-30T10:00:00" is not a real date and time'],
    },
  ])("$name", async ({ text, lines }) => {
    const { path, code, out, err } = await validate(text);
    expect(code).toBe(1);
    expect(out).toBe("");
    const count = `${lines.length} error${lines.length === 1 ? "" : "s"}`;
    expect(err).toBe([...lines.map((line) => `${path}${line}`), `${count} in ${path}`, ""].join("\n"));
  });
});

describe("validate: a series that will open no meeting is a warning on stderr, exit 0", () => {
  it.each([
    {
      name: "UNTIL in the past",
      text: series("rrule: FREQ=WEEKLY;BYDAY=TH;UNTIL=20200101\nstart: 2019-01-03T10:00\nzone: UTC"),
      warning: ":5: warning: meetings[0].schedule.rrule: no upcoming meeting: the series ended at UNTIL 2020-01-01; the last one was on 2019-12-26",
    },
    {
      name: "UNTIL before the rule's first date",
      text: series("rrule: FREQ=MONTHLY;BYMONTHDAY=31;UNTIL=20190130\nstart: 2019-01-03T10:00\nzone: UTC"),
      warning: ":5: warning: meetings[0].schedule.rrule: no meeting at all: UNTIL 2019-01-30 ends the series before its first date (2019-01-31)",
    },
    {
      name: "COUNT used up",
      text: series("rrule: FREQ=WEEKLY;BYDAY=TH;COUNT=3\nstart: 2019-01-03T10:00\nzone: UTC"),
      warning: ":5: warning: meetings[0].schedule.rrule: no upcoming meeting: all 3 meetings of COUNT=3 are over; the last one was on 2019-01-17",
    },
    {
      name: "the repetitions of an interval used up (a plain string schedule)",
      text: ["meetings:", "  - id: wg", "    name: WG", '    schedule: "R3/2019-01-03T10:00:00[UTC]/P1W"', "    agenda: { label: wg-agenda, orgs: [acme] }", ""].join("\n"),
      warning: ":4: warning: meetings[0].schedule: no upcoming meeting: all 3 meetings of R3 are over; the last one was on 2019-01-17",
    },
    {
      name: "a rule that can never match: February 30",
      text: series("rrule: FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\nstart: 2025-01-02T10:00\nzone: UTC"),
      warning:
        ":5: warning: meetings[0].schedule.rrule: the rule never matches: FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30 gives no date in the 10 years from start 2025-01-02T10:00, so no meeting will ever open",
    },
    {
      name: "a rule that can never match: February 31, monthly",
      text: series("rrule: FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=31\nstart: 2025-01-02T10:00\nzone: UTC"),
      warning:
        ":5: warning: meetings[0].schedule.rrule: the rule never matches: FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=31 gives no date in the 10 years from start 2025-01-02T10:00, so no meeting will ever open",
    },
    {
      name: "a start so far back that the rule's bound runs out before today",
      text: series("rrule: FREQ=DAILY\nstart: 1066-10-14T09:00\nzone: Europe/London"),
      warning:
        ":6: warning: meetings[0].schedule.start: start 1066-10-14T09:00 is too far in the past: a rule is computed at most 100000 days from its start, and those end before today, so no meeting will open; move start to a recent meeting",
    },
    {
      name: "every remaining date skipped",
      text: series("rrule: FREQ=WEEKLY;BYDAY=TH;COUNT=2\nstart: 2090-01-05T10:00\nzone: UTC\nskip: [2090-01-05, 2090-01-12]"),
      warning: ":8: warning: meetings[0].schedule.skip: no upcoming meeting: every remaining date of the series is listed in skip",
    },
  ])("$name", async ({ text, warning }) => {
    const { path, code, out, err } = await validate(text);
    expect(code).toBe(0);
    expect(out).toBe("ok: 1 series (wg); 1 warning\n");
    expect(err).toBe(`${path}${warning}\n`);
  });

  it("warns for each affected series only", async () => {
    const text = `${series("rrule: FREQ=WEEKLY;BYDAY=TH;COUNT=3\nstart: 2019-01-03T10:00\nzone: UTC", "old")}${series("rrule: FREQ=WEEKLY;BYDAY=TH\nstart: 2019-01-03T10:00\nzone: UTC", "live").replace("meetings:\n", "")}`;
    const { code, out, err } = await validate(text);
    expect(code).toBe(0);
    expect(out).toBe("ok: 2 series (old, live); 1 warning\n");
    expect(err).toContain("warning: meetings[0].schedule.rrule:");
    expect(err).not.toContain("meetings[1]");
  });

  it("a calendar schedule gets a note, not a false warning: validate does not read calendars", async () => {
    const { path, code, out, err } = await validate(series('ical: { url: "https://calendar.example.org/wg.ics", summary: WG meeting }'));
    expect(code).toBe(0);
    expect(out).toBe("ok: 1 series (wg)\n");
    expect(err).toBe(
      `${path}:5: note: meetings[0].schedule.ical: the meetings come from an iCalendar feed, which validate does not read: whether it has upcoming meetings is not checked here (the config check run on GitHub lists them)\n`,
    );
    const google = await validate(series("googleCalendar: { id: c_0123@group.calendar.google.com, summary: WG meeting }"));
    expect(google.code).toBe(0);
    expect(google.err).toContain(":5: note: meetings[0].schedule.googleCalendar: the meetings come from Google Calendar, which validate does not read");
  });
});

describe("validate: the size limit is checked before the file is read", () => {
  it("refuses a file over 64 KB without parsing it (its YAML error and escape bytes never show)", async () => {
    const text = `meetings: [\u001b[2J\n${"# padding\n".repeat(7000)}`;
    const { path, code, out, err } = await validate(text);
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err).toBe(`${path}: cannot read the config: the file is 68.4 KB, over the 64 KB limit for a meetings config (nothing was parsed)\n`);
  });

  it("refuses a 4 GB file from its size alone (sparse: reading it would take minutes)", async () => {
    const path = join(dir, "huge.yml");
    await writeFile(path, "");
    await truncate(path, 4 * 1024 ** 3);
    const { code, err } = await run(["validate", path]);
    expect(code).toBe(1);
    expect(err).toBe(`${path}: cannot read the config: the file is 4.0 GB, over the 64 KB limit for a meetings config (nothing was parsed)\n`);
  });

  it.runIf(existsSync("/dev/zero"))("reads a device with no size only up to the limit", async () => {
    const { code, err } = await run(["validate", "/dev/zero"]);
    expect(code).toBe(1);
    expect(err).toBe("/dev/zero: cannot read the config: the file is larger than the 64 KB limit for a meetings config (nothing was parsed)\n");
  });

  it("accepts a file of exactly 64 KB", async () => {
    const body = series("rrule: FREQ=WEEKLY;BYDAY=TH\nstart: 2019-01-03T10:00\nzone: UTC");
    const { code, out } = await validate(body + "#".repeat(64 * 1024 - Buffer.byteLength(body)));
    expect(code).toBe(0);
    expect(out).toBe("ok: 1 series (wg)\n");
  });
});

describe("validate: binary input is refused and never echoed", () => {
  it.each([
    { name: "NUL bytes", bytes: Buffer.from("meetings:\n  - id: wg\u0000\u001b[31m\n"), problem: "not a text file: it contains NUL bytes (a meetings config is UTF-8 YAML)" },
    { name: "invalid UTF-8", bytes: Buffer.concat([Buffer.from("meetings:\n  - id: "), Buffer.from([0xff, 0xfe, 0x1b, 0x5b, 0x32, 0x4a]), Buffer.from("\n")]), problem: "not a text file: it is not valid UTF-8 (a meetings config is UTF-8 YAML)" },
    { name: "a PNG", bytes: Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489", "hex"), problem: "not a text file: it contains NUL bytes (a meetings config is UTF-8 YAML)" },
  ])("$name", async ({ bytes, problem }) => {
    const { path, code, out, err } = await validate(bytes);
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err).toBe(`${path}: cannot read the config: ${problem}\n`);
  });

  it("text with control characters: messages escape them and cut long quotes", async () => {
    const hostile = `\u001b]0;pwned\u0007\u001b[2J\u202eevil${"x".repeat(5000)}`;
    const text = ["meetings:", `  - id: "${hostile.replace(/\u001b/g, "\\e").replace(/\u0007/g, "\\a")}"`, `    "${"k".repeat(900)}\\e[31m": 1`, ""].join("\n");
    const { code, err } = await validate(text);
    expect(code).toBe(1);
    expect(err).not.toMatch(RAW_CONTROL);
    expect(err).toContain('got "\\u001b]0;pwned\\u0007\\u001b[2J\\u202eevilxxxxxxxxx');
    for (const line of err.split("\n")) expect(line.length).toBeLessThan(700);
    expect(err).not.toContain("x".repeat(100));
    expect(err).not.toContain("k".repeat(100));
  });
});

describe("validate: _extends is resolved by the App, and validate says so", () => {
  it("a file that takes its series from the extended file: nothing to fail, a note on what was not checked", async () => {
    const { path, code, out, err } = await validate("# shared settings live in the org's .github repository\n_extends: .github\n");
    expect(code).toBe(0);
    expect(out).toBe("ok: no series of its own (they come from _extends)\n");
    expect(err).toBe(
      `${path}:2: note: _extends: the App resolves _extends ".github" when it reads the config; validate does not read the extended file: the series (meetings) come from there and were not checked. The config check run on GitHub checks this file alone too; the App checks the merged config when it reads it from the default branch, and raises an alarm issue if it is not valid.\n`,
    );
  });

  it("a file with its own meetings: checked, and the note says the extended file's list is replaced", async () => {
    const { path, code, out, err } = await validate(`_extends: acme/.github\n${series("rrule: FREQ=WEEKLY;BYDAY=TH\nstart: 2019-01-03T10:00\nzone: UTC")}`);
    expect(code).toBe(0);
    expect(out).toBe("ok: 1 series (wg)\n");
    expect(err).toBe(
      `${path}:1: note: _extends: the App resolves _extends "acme/.github" when it reads the config; validate does not read the extended file: this file's meetings replaces the extended file's as a whole (the merge is per top-level key), so the series checked here are the ones that run; any other top-level key the extended file adds was not checked. The config check run on GitHub checks this file alone too; the App checks the merged config when it reads it from the default branch, and raises an alarm issue if it is not valid.\n`,
    );
  });

  it("errors in the file's own keys are still errors, with the note after them", async () => {
    const { path, code, err } = await validate("_extends: .github\nmeeting: []\n");
    expect(code).toBe(1);
    expect(err.split("\n")).toEqual([
      `${path}:2: meeting: unknown key "meeting" (did you mean "meetings"?)`,
      expect.stringMatching(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:1: note: _extends: the App resolves _extends`)),
      `1 error in ${path}`,
      "",
    ]);
  });
});

describe("validate: the command line", () => {
  it("--help prints the usage, which names the limit, on stdout", async () => {
    const { code, out, err } = await run(["validate", "--help"]);
    expect(code).toBe(0);
    expect(err).toBe("");
    expect(out).toMatch(/^Usage: wg-meetings validate FILE\n/);
    expect(out).toContain("A file over 64 KB");
  });

  it.each([[["validate"], "missing FILE"], [["validate", "a.yml", "b.yml"], "expected one FILE, got 2"], [["validate", "--strict", "a.yml"], "Unknown option '--strict'"]])(
    "%j is a usage error: exit 2, the usage on stderr",
    async (argv, message) => {
      const { code, out, err } = await run(argv);
      expect(code).toBe(2);
      expect(out).toBe("");
      expect(err).toContain(`wg-meetings validate: ${message}`);
      expect(err).toContain("Usage: wg-meetings validate FILE");
    },
  );

  it("a missing file is a failure, exit 1", async () => {
    const { code, err } = await run(["validate", join(dir, "nope.yml")]);
    expect(code).toBe(1);
    expect(err).toBe(`${join(dir, "nope.yml")}: cannot read the config: no such file\n`);
  });
});
