import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";

/**
 * Issue 9, `wg-meetings validate`: cases the validate table does not hold, each one a way the
 * command could tell a chair something untrue. Run through the CLI's own entry, in-process.
 * Dates are far enough in the past or future that the day the suite runs changes nothing.
 */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "wg-meetings-validate-guards-"));
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
async function validate(content: string, name = `case-${++files}.yml`) {
  const path = join(dir, name);
  await writeFile(path, content);
  return { path, ...(await run(["validate", path])) };
}

/** A series whose schedule is `schedule` (its lines indented under `schedule:`, which is line 4). */
const series = (schedule: string, id = "wg") =>
  [`  - id: ${id}`, `    name: ${id.toUpperCase()}`, "    schedule:", ...schedule.split("\n").map((line) => `      ${line}`), "    agenda: { label: wg-agenda, orgs: [acme] }", ""].join("\n");
const config = (...list: string[]) => `meetings:\n${list.join("")}`;

describe("validate refuses dates that do not exist, naming why", () => {
  it.each([
    {
      name: "February 29 of 2100, a century year that is not a leap year (start)",
      text: config(series("rrule: FREQ=WEEKLY;BYDAY=TH\nstart: 2100-02-29T10:00\nzone: UTC")),
      line: ':6: meetings[0].schedule.start: "2100-02-29T10:00" is not a real date: February 2100 has 28 days',
    },
    {
      name: "February 29 of 2100 in skip, while 2096-02-29 (a leap day) is fine",
      text: config(series("rrule: FREQ=WEEKLY;BYDAY=TH\nstart: 2099-01-01T10:00\nzone: UTC\nskip: [2096-02-29, 2100-02-29]")),
      line: ':8: meetings[0].schedule.skip[1]: "2100-02-29" is not a real date: February 2100 has 28 days',
    },
    {
      name: "month 00 in skip",
      text: config(series("rrule: FREQ=WEEKLY;BYDAY=TH\nstart: 2025-01-02T10:00\nzone: UTC\nskip: [2025-00-10]")),
      line: ':8: meetings[0].schedule.skip[0]: "2025-00-10" is not a real date: there is no month 00',
    },
    {
      name: "minute 60 in start",
      text: config(series("rrule: FREQ=WEEKLY;BYDAY=TH\nstart: 2025-03-06T10:60\nzone: UTC")),
      line: ':6: meetings[0].schedule.start: "2025-03-06T10:60" is not a real time: minutes go from 00 to 59',
    },
  ])("$name", async ({ text, line }) => {
    const { path, code, out, err } = await validate(text);
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err).toBe(`${path}${line}\n1 error in ${path}\n`);
  });
});

describe("validate's warnings name the series and the reason that hold", () => {
  it("a warning about the second series is placed on the second series' line", async () => {
    const text = config(
      series("rrule: FREQ=WEEKLY;BYDAY=TH\nstart: 2019-01-03T10:00\nzone: UTC", "live"),
      series("rrule: FREQ=WEEKLY;BYDAY=TH;COUNT=3\nstart: 2019-01-03T10:00\nzone: UTC", "old"),
    );
    const { path, code, out, err } = await validate(text);
    expect(code).toBe(0);
    expect(out).toBe("ok: 2 series (live, old); 1 warning\n");
    expect(err).toBe(`${path}:12: warning: meetings[1].schedule.rrule: no upcoming meeting: all 3 meetings of COUNT=3 are over; the last one was on 2019-01-17\n`);
  });

  it("a rule with INTERVAL=2 is computed in steps of two days: a start 120,000 days back still has meetings, no warning", async () => {
    // 100,000 periods of two days reach past today; 100,000 single days would not.
    const { code, out, err } = await validate(config(series("rrule: FREQ=DAILY;INTERVAL=2\nstart: 1700-01-01T10:00\nzone: UTC")));
    expect(err).toBe("");
    expect(out).toBe("ok: 1 series (wg)\n");
    expect(code).toBe(0);
  });

  it("the only remaining date skipped: the warning blames skip, not COUNT", async () => {
    const { path, code, out, err } = await validate(config(series("rrule: FREQ=WEEKLY;BYDAY=TH;COUNT=1\nstart: 2090-01-05T10:00\nzone: UTC\nskip: [2090-01-05]")));
    expect(code).toBe(0);
    expect(out).toBe("ok: 1 series (wg); 1 warning\n");
    expect(err).toBe(`${path}:8: warning: meetings[0].schedule.skip: no upcoming meeting: every remaining date of the series is listed in skip\n`);
  });
});

describe("validate with _extends", () => {
  it("a file's own meetings that is not a list is still an error: _extends does not excuse it", async () => {
    const { path, code, out, err } = await validate("_extends: .github\nmeetings: 5\n");
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err.split("\n")[0]).toBe(`${path}:2: meetings: expected a list, got a number (5) (write [5] for a one-item list)`);
    expect(err).toContain(`1 error in ${path}\n`);
    expect(out).not.toContain("ok");
  });
});

describe("validate never prints a file name's control characters raw", () => {
  it("a name holding an escape sequence is shown escaped, in the error lines and the count", async () => {
    const { code, err } = await validate(config(series("rrule: FREQ=WEEKLY;BYDAY=TH\nstart: 2025-02-30T10:00\nzone: UTC")), "bad\u001b[2Jname.yml");
    expect(code).toBe(1);
    expect(err).not.toContain("\u001b");
    expect(err).toContain("bad\\u001b[2Jname.yml:6: meetings[0].schedule.start:");
    expect(err).toContain("1 error in ");
    expect(err.trimEnd().endsWith("bad\\u001b[2Jname.yml")).toBe(true);
  });
});
