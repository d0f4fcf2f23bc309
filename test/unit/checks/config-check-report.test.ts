import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MAX_SERIES_WITH_MEETINGS, buildConfigCheckReport } from "../../../src/checks/config-check-report.js";
import type { OccurrenceSourceIo } from "../../../src/schedule/occurrence-source.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/checks/${name}`, import.meta.url), "utf8");
const ICS = readFileSync(new URL("../../fixtures/calendar/security-wg.google-export.ics", import.meta.url), "utf8");

/** Monday 2024-10-28 12:00 UTC: the US changes clocks on Sunday 2024-11-03. */
const NOW = new Date("2024-10-28T12:00:00Z");

const noIo: OccurrenceSourceIo = {
  fetchText: async (url) => {
    throw new Error(`unexpected fetch of ${url}`);
  },
  calendar: async () => {
    throw new Error("unexpected calendar");
  },
};

const feedIo = (feeds: Record<string, string>): OccurrenceSourceIo => ({
  ...noIo,
  fetchText: async (url) => {
    const text = feeds[url];
    if (text === undefined) throw new Error(`404 from ${url}`);
    return text;
  },
});

describe("buildConfigCheckReport: a valid config", () => {
  it("lists the next three meetings of each series in its own zone, across a DST change, with when each issue opens", async () => {
    const report = await buildConfigCheckReport({ text: fixture("valid.yml") }, NOW, feedIo({ "https://calendar.example.org/security-wg.ics": ICS }));
    expect(report.conclusion).toBe("success");
    expect(report.annotations).toEqual([]);
    expect(report.title).toBe(".github/meetings.yml is valid: 5 series");
    expect(report.summary).toMatchInlineSnapshot(`
      "The next meetings of each series, in its own zone, and when each meeting's issue opens. Meetings are opened from the config on the default branch: this takes effect once it is there.

      ### Security team (\`security\`)

      - Thu 31-Oct-2024 10:00 (America/New_York) — 14:00 UTC; issue opens Mon 28-Oct-2024 10:00
      - Thu 07-Nov-2024 10:00 (America/New_York) — 15:00 UTC; issue opens Mon 04-Nov-2024 10:00
      - Thu 14-Nov-2024 10:00 (America/New_York) — 15:00 UTC; issue opens Mon 11-Nov-2024 10:00

      ### APAC sync (\`apac\`)

      - Tue 29-Oct-2024 08:00 (Asia/Tokyo) — Mon 28-Oct-2024 23:00 UTC; issue due now (since Mon 28-Oct-2024 20:00)
      - Tue 12-Nov-2024 08:00 (Asia/Tokyo) — Mon 11-Nov-2024 23:00 UTC; issue opens Mon 11-Nov-2024 20:00
      - Tue 26-Nov-2024 08:00 (Asia/Tokyo) — Mon 25-Nov-2024 23:00 UTC; issue opens Mon 25-Nov-2024 20:00

      ### Soon team (\`soon\`)

      - Tue 29-Oct-2024 09:00 (Europe/Berlin) — 08:00 UTC; issue due now (since Tue 22-Oct-2024 09:00)
      - Tue 05-Nov-2024 09:00 (Europe/Berlin) — 08:00 UTC; issue opens Tue 29-Oct-2024 09:00
      - Tue 12-Nov-2024 09:00 (Europe/Berlin) — 08:00 UTC; issue opens Tue 05-Nov-2024 09:00

      ### Ended team (\`ended\`)

      - No upcoming meeting: the series has ended.

      ### Security WG (calendar) (\`ical\`)

      - Thu 31-Oct-2024 10:00 (America/New_York) — 14:00 UTC; issue opens Mon 28-Oct-2024 10:00
      - Thu 14-Nov-2024 10:00 (America/New_York) — 15:00 UTC; issue opens Mon 11-Nov-2024 10:00
      - Thu 28-Nov-2024 10:00 (America/New_York) — 15:00 UTC; issue opens Mon 25-Nov-2024 10:00"
    `);
  });
});

const SERIES = `meetings:
  - id: a
    name: A
    schedule: R/2024-10-01T08:00:00[Asia/Tokyo]/P2W
    agenda: {label: x, orgs: [y]}
`;

describe("buildConfigCheckReport: an invalid config", () => {
  it.each([
    ["a YAML syntax error", "meetings:\n  - id: a\n    name: x: y\n", { start_line: 3, message: expect.stringMatching(/^YAML syntax error: .*must be quoted/) }],
    ["a duplicate key", "meetings:\n  - id: a\n    id: b\n", { start_line: 3, message: 'duplicate key "id": a key may appear only once in a mapping' }],
    [
      "an unknown key",
      `${SERIES}    createBefor: P1D\n`,
      { start_line: 6, title: "meetings[0].createBefor", message: 'unknown key "createBefor" (did you mean "createBefore"?)' },
    ],
    [
      "a bad value",
      SERIES.replace("R/2024-10-01T08:00:00[Asia/Tokyo]/P2W", "{ rrule: FREQ=WEEKLY, start: 2024-01-01T10:00, zone: Mars/Olympus }"),
      { start_line: 4, title: "meetings[0].schedule.zone", message: 'unknown time zone "Mars/Olympus" (use an IANA name such as America/New_York)' },
    ],
    [
      "a missing key (on its mapping's first line)",
      SERIES.replace("    name: A\n", ""),
      { start_line: 2, title: "meetings[0].name", message: "missing required key \"name\" (the group, e.g. 'Security team')" },
    ],
    [
      "a duplicate series id",
      SERIES + SERIES.replace("meetings:\n", "").replace("name: A", "name: B"),
      { start_line: 6, title: "meetings[1].id", message: 'duplicate series id "a" (also meetings[0])' },
    ],
    [
      "a list at the top level",
      "- id: a\n",
      { start_line: 1, message: "the top level must be a mapping with a `meetings:` list, got a list (a list of series goes under `meetings:`)" },
    ],
  ])("%s → one failure annotation on its line", async (_kind, text, expected) => {
    const report = await buildConfigCheckReport({ text }, NOW, noIo);
    expect(report.conclusion).toBe("failure");
    expect(report.title).toBe("1 error in .github/meetings.yml");
    expect(report.annotations).toEqual([
      { path: ".github/meetings.yml", end_line: expected.start_line, annotation_level: "failure", ...expected },
    ]);
    expect(report.summary).toBe(
      "wg-meetings cannot use this `.github/meetings.yml`: fix the 1 error below and push again.\n\n1 error is annotated on its line.",
    );
  });

  it("puts errors without a line in the summary", async () => {
    const report = await buildConfigCheckReport({ text: "# nothing yet\n" }, NOW, noIo);
    expect(report).toEqual({
      conclusion: "failure",
      title: "1 error in .github/meetings.yml",
      summary:
        "wg-meetings cannot use this `.github/meetings.yml`: fix the 1 error below and push again.\n\n" +
        "Concerning the whole file:\n\n- the file is empty: it needs a `meetings:` list",
      annotations: [],
    });
  });

  it("annotates the first 50 errors, in file order, and counts the rest in the summary: one request, however many errors", async () => {
    const text = `meetings:\n${Array.from({ length: 60 }, (_, i) => `  - id: s${i}\n    name: S${i}\n    bogus: ${i}\n`).join("")}`;
    const report = await buildConfigCheckReport({ text }, NOW, noIo);
    // Each series: "bogus" and two missing keys (schedule, agenda).
    expect(report.title).toBe("180 errors in .github/meetings.yml");
    expect(report.annotations).toHaveLength(50);
    expect(report.annotations[0]).toMatchObject({ start_line: 2, title: "meetings[0].schedule" });
    const lines = report.annotations.map((a) => a.start_line);
    expect(lines).toEqual([...lines].sort((x, y) => x - y));
    expect(report.summary).toBe(
      "wg-meetings cannot use this `.github/meetings.yml`: it has 180 errors: fix the first ones below and push again.\n\n" +
        "50 errors are annotated on their lines.\n\n" +
        "… and 130 more errors (the first 50 are listed; fix them and check again)",
    );
  });
});

describe("buildConfigCheckReport: calendars and other cases", () => {
  it("says so when a calendar cannot be read, and still succeeds", async () => {
    const text = fixture("valid.yml");
    const report = await buildConfigCheckReport({ text }, NOW, feedIo({}));
    expect(report.conclusion).toBe("success");
    expect(report.summary).toContain(
      "### Security WG (calendar) (`ical`)\n\n- Could not read the meetings: 404 from https://calendar.example.org/security-wg.ics. The config is valid; meetings open once this can be read.",
    );
  });

  it("a Google Calendar schedule without Google credentials is said in the summary", async () => {
    const text = `meetings:
  - id: g
    name: G
    schedule:
      googleCalendar: { id: c_1@group.calendar.google.com, summary: G meeting }
    agenda: { label: g, orgs: [acme] }
`;
    const io: OccurrenceSourceIo = { ...noIo, calendar: async () => Promise.reject(new Error("googleCalendar schedules need Google credentials")) };
    const report = await buildConfigCheckReport({ text }, NOW, io);
    expect(report.conclusion).toBe("success");
    expect(report.summary).toContain("- Could not read the meetings: googleCalendar schedules need Google credentials.");
  });

  it("a removed config is neutral", async () => {
    expect(await buildConfigCheckReport({ text: null }, NOW, noIo)).toEqual({
      conclusion: "neutral",
      title: ".github/meetings.yml was removed",
      summary: "This commit has no `.github/meetings.yml`. Once that is on the default branch, wg-meetings opens no more meetings in this repository.",
      annotations: [],
    });
  });

  it("a file that `_extends` another is checked alone, in words that depend on nothing but this file", async () => {
    const note =
      "This file declares `_extends`. The check reads this file alone, never the one it extends: the App resolves `_extends` when it reads the config from the default branch, after merge.";
    const alone = await buildConfigCheckReport({ text: "_extends: .github\n" }, NOW, noIo);
    expect(alone).toEqual({
      conclusion: "neutral",
      title: ".github/meetings.yml takes its series from _extends",
      summary: `This file has no \`meetings\` of its own, and nothing else in it is wrong.\n\n${note} Its series come from the config it extends.`,
      annotations: [],
    });

    const own = await buildConfigCheckReport({ text: `_extends: acme/.github\n${SERIES}` }, NOW, noIo);
    expect(own).toMatchObject({ conclusion: "success", title: ".github/meetings.yml is valid: 1 series" });
    expect(own.summary).toContain("### A (`a`)\n\n- Tue 29-Oct-2024 08:00 (Asia/Tokyo)");
    expect(own.summary.endsWith(`${note} This file's own \`meetings\` replace the extended file's as a whole, so the series checked here are the ones that run.`)).toBe(true);

    const wrong = await buildConfigCheckReport({ text: "_extends: .github\nmeetings:\n  - id: a\n" }, NOW, noIo);
    expect(wrong).toMatchObject({ conclusion: "failure", title: "3 errors in .github/meetings.yml" });
    expect(wrong.annotations.map((a) => [a.start_line, a.title])).toEqual([
      [3, "meetings[0].name"],
      [3, "meetings[0].schedule"],
      [3, "meetings[0].agenda"],
    ]);
    expect(wrong.summary).toContain(note);
  });

  it("a fork's pull request: its series are named, their meetings not worked out, no calendar or feed asked", async () => {
    const report = await buildConfigCheckReport({ text: fixture("valid.yml"), fromFork: true }, NOW, noIo);
    expect(report.conclusion).toBe("success");
    expect(report.summary).toBe(
      [
        "The next meetings of each series, in its own zone, and when each meeting's issue opens. Meetings are opened from the config on the default branch: this takes effect once it is there.",
        "### Series\n\nThis pull request comes from a fork: its series are checked, and their meetings are listed once the change is pushed to this repository.\n\n" +
          "- Security team (`security`)\n- APAC sync (`apac`)\n- Soon team (`soon`)\n- Ended team (`ended`)\n- Security WG (calendar) (`ical`)",
      ].join("\n\n"),
    );
  });

  it(`lists the meetings of the first ${MAX_SERIES_WITH_MEETINGS} series and names the others`, async () => {
    const text = `meetings:\n${Array.from({ length: 12 }, (_, i) => SERIES.replace("meetings:\n", "").replace("id: a", `id: s${i}`).replace("name: A", `name: S${i}`)).join("")}`;
    const report = await buildConfigCheckReport({ text }, NOW, noIo);
    expect(report.title).toBe(".github/meetings.yml is valid: 12 series");
    expect(report.summary.match(/^### S\d+/gm)).toHaveLength(10);
    expect(report.summary).toContain(
      "### Other series\n\nThe meetings of the first 10 series are listed; these series are checked too:\n\n- S10 (`s10`)\n- S11 (`s11`)",
    );
  });
});
