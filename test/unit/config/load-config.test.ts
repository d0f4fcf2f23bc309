import { describe, expect, it } from "vitest";
import { parseConfigText, validateConfigObject, type ConfigError } from "../../../src/config/load-config.js";

/** The smallest valid config (lines 1–11). Bad-config cases edit it and name the line they break. */
const MINIMAL = `meetings:
  - id: security-wg
    name: Security team
    host: Node.js
    schedule:
      rrule: FREQ=WEEKLY;INTERVAL=2;BYDAY=TH
      start: 2022-07-21T10:00
      zone: America/New_York
    agenda:
      label: security-wg-agenda
      orgs: [nodejs]
`;

const RRULE_SCHEDULE = `    schedule:
      rrule: FREQ=WEEKLY;INTERVAL=2;BYDAY=TH
      start: 2022-07-21T10:00
      zone: America/New_York
`;

function withSchedule(schedule: string): string {
  return MINIMAL.replace(RRULE_SCHEDULE, schedule);
}

function errorsOf(text: string): ConfigError[] {
  const result = parseConfigText(text, ".github/meetings.yml");
  if (result.ok) throw new Error("expected the config to be invalid");
  return result.errors;
}

describe("parseConfigText: valid configs", () => {
  it("fills every default of a minimal series", () => {
    const result = parseConfigText(MINIMAL);
    expect(result).toEqual({
      ok: true,
      config: {
        meetings: [
          {
            id: "security-wg",
            name: "Security team",
            host: "Node.js",
            schedule: { rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", start: "2022-07-21T10:00", zone: "America/New_York", skip: [] },
            duration: "PT1H",
            createBefore: "P3D",
            agenda: { label: "security-wg-agenda", orgs: ["nodejs"], repos: [], includePrivate: false },
            timezones: "default",
            issue: {
              template: "default",
              title: "{{host}} {{name}} Meeting {{date}}",
              labels: [],
              invited: [],
              observers: [],
              joining: "",
              closePrevious: false,
            },
            minutes: {
              path: "meetings/{{date}}.md",
              doc: "none",
              standing: [],
              prTitle: "doc: add {{date}} meeting notes",
              labels: [],
              reviewers: [],
              teamReviewers: [],
            },
            chairs: { permission: "write", users: [], teams: [] },
            actionItems: { issues: true, labels: [] },
            decisions: { log: "meetings/decisions.md" },
            itemComments: { enabled: true, privateRepositories: false },
            attendance: { file: null, window: 10 },
          },
        ],
      },
    });
  });

  it("accepts several series and every schedule form", () => {
    const text = `${MINIMAL}  - id: triage
    name: Triage
    schedule: "2025-08-04T13:00:00[America/Chicago]/P2W"
    agenda: { label: triage, repos: [nodejs/security-wg] }
  - id: tsc
    name: TSC
    schedule:
      interval: "2025-08-04T13:00:00[Europe/Berlin]/P1W"
      skip: [2025-12-25]
    timezones:
      - { label: Berlin, zone: Europe/Berlin }
    agenda: { label: tsc-agenda, orgs: [nodejs, pkgjs] }
`;
    const result = parseConfigText(text);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.config.meetings.map((series) => series.id)).toEqual(["security-wg", "triage", "tsc"]);
    expect(result.config.meetings[1]?.schedule).toEqual({ interval: "2025-08-04T13:00:00[America/Chicago]/P2W", skip: [] });
    expect(result.config.meetings[2]?.schedule).toEqual({ interval: "2025-08-04T13:00:00[Europe/Berlin]/P1W", skip: ["2025-12-25"] });
    expect(result.config.meetings[2]?.timezones).toEqual([{ label: "Berlin", zone: "Europe/Berlin" }]);
  });

  it("honours YAML anchors and merge keys, as Probot's js-yaml does", () => {
    const text = `x-agenda: &agenda
  label: wg-agenda
  orgs: [nodejs]
meetings:
  - id: a
    name: A
    schedule: "2025-08-04T13:00:00[America/Chicago]/P2W"
    agenda: *agenda
  - id: b
    name: B
    schedule: "2025-08-05T13:00:00[America/Chicago]/P2W"
    agenda:
      <<: *agenda
      repos: [nodejs/node]
`;
    // Top-level extension keys are still unknown keys: anchors must live inside a series.
    const errors = errorsOf(text);
    expect(errors.map((error) => error.message)).toEqual([
      'x-agenda (line 1): unknown key "x-agenda" (valid keys: meetings)',
    ]);
    const result = parseConfigText(text.replace("x-agenda: &agenda\n  label: wg-agenda\n  orgs: [nodejs]\n", "").replace(
      "    agenda: *agenda\n",
      "    agenda: &agenda\n      label: wg-agenda\n      orgs: [nodejs]\n",
    ));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.config.meetings[1]?.agenda).toEqual({ label: "wg-agenda", orgs: ["nodejs"], repos: ["nodejs/node"], includePrivate: false });
  });

  it("rejects alias bombs instead of expanding them", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 8; i++) bomb.push(`${"abcdefgh"[i]}: &${"abcdefgh"[i]} [${Array(10).fill(`*${"abcdefgh"[i - 1]}`).join(", ")}]`);
    const errors = errorsOf(bomb.join("\n"));
    expect(errors).toEqual([
      expect.objectContaining({ line: 4, message: expect.stringMatching(/^line 4: with its aliases expanded, the file holds more than 6,000 values/) }),
    ]);
  });

  it("ignores Probot's _extends key", () => {
    const result = parseConfigText(`_extends: .github\n${MINIMAL}`);
    expect(result.ok).toBe(true);
  });
});

interface BadCase {
  kind: string;
  text: string;
  path: string;
  line: number | null;
  fragment: string;
}

const BAD: BadCase[] = [
  {
    kind: "unknown key, with a suggestion",
    text: `${MINIMAL}    createBefor: P3D\n`,
    path: "meetings[0].createBefor",
    line: 12,
    fragment: 'unknown key "createBefor" (did you mean "createBefore"?)',
  },
  {
    kind: "unknown key, far from any valid key",
    text: `${MINIMAL}    colour: blue\n`,
    path: "meetings[0].colour",
    line: 12,
    fragment: 'unknown key "colour" (valid keys: id, name, host, schedule',
  },
  {
    kind: "unknown key that belongs in a sub-section",
    text: `${MINIMAL}    label: x\n`,
    path: "meetings[0].label",
    line: 12,
    fragment: 'unknown key "label" here (it belongs under "agenda")',
  },
  {
    kind: "unknown key at the top level",
    text: `${MINIMAL}meeting: []\n`,
    path: "meeting",
    line: 12,
    fragment: 'unknown key "meeting" (did you mean "meetings"?)',
  },
  {
    kind: "unknown key inside the schedule union",
    text: MINIMAL.replace("      zone: America/New_York\n", "      zone: America/New_York\n      skp: []\n"),
    path: "meetings[0].schedule.skp",
    line: 9,
    fragment: 'unknown key "skp" (did you mean "skip"?)',
  },
  {
    kind: "bad time zone",
    text: MINIMAL.replace("America/New_York", "Mars/Olympus"),
    path: "meetings[0].schedule.zone",
    line: 8,
    fragment: 'unknown time zone "Mars/Olympus"',
  },
  {
    kind: "bad time zone in a timezones row",
    text: `${MINIMAL}    timezones:\n      - label: Mars\n        zone: Mars/Olympus\n`,
    path: "meetings[0].timezones[0].zone",
    line: 14,
    fragment: 'unknown time zone "Mars/Olympus"',
  },
  {
    kind: "bad RRULE",
    text: MINIMAL.replace("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "FREQ=HOURLY"),
    path: "meetings[0].schedule.rrule",
    line: 6,
    fragment: "HOURLY",
  },
  {
    kind: "bad duration",
    text: `${MINIMAL}    createBefore: 3 days\n`,
    path: "meetings[0].createBefore",
    line: 12,
    fragment: 'invalid ISO-8601 duration "3 days"',
  },
  {
    kind: "bad repeating interval (string form)",
    text: withSchedule("    schedule: every thursday\n"),
    path: "meetings[0].schedule",
    line: 5,
    fragment: 'invalid repeating interval "every thursday"',
  },
  {
    kind: "bad repeating interval (mapping form)",
    text: withSchedule('    schedule:\n      interval: "2025-08-04T13:00:00[America/Chicago]/P2X"\n'),
    path: "meetings[0].schedule.interval",
    line: 6,
    fragment: 'invalid ISO-8601 duration "P2X"',
  },
  {
    kind: "bad date format",
    text: MINIMAL.replace("      zone: America/New_York\n", "      zone: America/New_York\n      skip: [25-12-2022]\n"),
    path: "meetings[0].schedule.skip[0]",
    line: 9,
    fragment: 'expected a date as YYYY-MM-DD, got "25-12-2022"',
  },
  {
    kind: "wrong type: number for a string",
    text: MINIMAL.replace("id: security-wg", "id: 2024"),
    path: "meetings[0].id",
    line: 2,
    fragment: 'expected a string, got a number (2024) (YAML read it as a number: quote it, "2024")',
  },
  {
    kind: "wrong type: scalar for a list",
    text: MINIMAL.replace("orgs: [nodejs]", "orgs: nodejs"),
    path: "meetings[0].agenda.orgs",
    line: 11,
    fragment: 'expected a list, got "nodejs" (write [nodejs] for a one-item list)',
  },
  {
    kind: "wrong type: text for a boolean",
    text: `${MINIMAL}    issue:\n      closePrevious: yes\n`,
    path: "meetings[0].issue.closePrevious",
    line: 13,
    fragment: 'expected true or false, got "yes"',
  },
  {
    kind: "wrong type: empty value for a list",
    text: "meetings:\n",
    path: "meetings",
    line: 1,
    fragment: "expected a list, got an empty value",
  },
  {
    kind: "wrong type for a union: no form matches",
    text: withSchedule("    schedule: 5\n"),
    path: "meetings[0].schedule",
    line: 5,
    fragment: "expected a string or { rrule, start, zone } or { interval } or { googleCalendar } or { ical }, got a number (5)",
  },
  {
    kind: "union of mappings with nothing to choose a form by",
    text: withSchedule("    schedule:\n      skip: []\n"),
    path: "meetings[0].schedule",
    line: 5,
    fragment: "expected either { rrule, start, zone } or { interval } or { googleCalendar } or { ical }, got a mapping with keys: skip",
  },
  {
    kind: "bad enum value",
    text: `${MINIMAL}    minutes:\n      doc: gogle\n`,
    path: "meetings[0].minutes.doc",
    line: 13,
    fragment: 'expected one of "none", "google", "hackmd", got "gogle" (did you mean "google"?)',
  },
  {
    kind: "bad preset name (enum inside a union)",
    text: `${MINIMAL}    timezones: nodej\n`,
    path: "meetings[0].timezones",
    line: 12,
    fragment: 'expected one of "default", "nodejs", got "nodej" (did you mean "nodejs"?)',
  },
  {
    kind: "missing required key in a series",
    text: MINIMAL.replace("    name: Security team\n", ""),
    path: "meetings[0].name",
    line: 2,
    fragment: `missing required key "name" (the group, e.g. 'Security team')`,
  },
  {
    kind: "missing required key in a section",
    text: MINIMAL.replace("      label: security-wg-agenda\n", ""),
    path: "meetings[0].agenda.label",
    line: 9,
    fragment: 'missing required key "label"',
  },
  {
    kind: "missing required key in the schedule union",
    text: MINIMAL.replace("      zone: America/New_York\n", ""),
    path: "meetings[0].schedule.zone",
    line: 5,
    fragment: 'missing required key "zone"',
  },
  {
    kind: "missing top-level meetings",
    text: "# nothing but\nfoo: 1\n",
    path: "meetings",
    line: 2,
    fragment: 'missing required key "meetings"',
  },
  {
    kind: "agenda with no source",
    text: MINIMAL.replace("      orgs: [nodejs]\n", ""),
    path: "meetings[0].agenda",
    line: 9,
    fragment: "name at least one of `orgs` or `repos`",
  },
  {
    kind: "empty list",
    text: "meetings: []\n",
    path: "meetings",
    line: 1,
    fragment: "list at least one meeting series",
  },
  {
    kind: "empty string",
    text: MINIMAL.replace("label: security-wg-agenda", 'label: ""'),
    path: "meetings[0].agenda.label",
    line: 10,
    fragment: "must not be empty",
  },
  {
    kind: "duplicate series id",
    text: MINIMAL + MINIMAL.replace("meetings:\n", ""),
    path: "meetings[1].id",
    line: 12,
    fragment: 'duplicate series id "security-wg" (also meetings[0])',
  },
  {
    kind: "empty file",
    text: "",
    path: "",
    line: null,
    fragment: "the file is empty: it needs a `meetings:` list",
  },
  {
    kind: "only comments",
    text: "# meetings: later\n\n# really\n",
    path: "",
    line: null,
    fragment: "the file is empty: it needs a `meetings:` list",
  },
  {
    kind: "top level is a list",
    text: "- id: security-wg\n",
    path: "",
    line: 1,
    fragment: "the top level must be a mapping with a `meetings:` list, got a list",
  },
  {
    kind: "top level is a scalar",
    text: "# config\nmeetings\n",
    path: "",
    line: 2,
    fragment: 'the top level must be a mapping with a `meetings:` list, got string "meetings"',
  },
  {
    kind: "YAML syntax error",
    text: "meetings:\n  - id: a\n    name: Security: team\n",
    path: "",
    line: 3,
    fragment: "YAML syntax error: ",
  },
  {
    kind: "YAML duplicate key",
    text: MINIMAL.replace("    host: Node.js\n", "    host: Node.js\n    name: Again\n"),
    path: "",
    line: 5,
    fragment: 'duplicate key "name": a key may appear only once in a mapping',
  },
];

describe("parseConfigText: each kind of bad config gets its own message", () => {
  it.each(BAD)("$kind", ({ text, path, line, fragment }) => {
    const errors = errorsOf(text);
    const error = errors.find((candidate) => candidate.path === path);
    expect(error, JSON.stringify(errors, null, 2)).toBeDefined();
    expect(error!.line).toBe(line);
    expect(error!.message).toContain(fragment);
    // The message names the path and the line on its own, for logs and reports.
    const where = path ? `${path}${line !== null ? ` (line ${line})` : ""}: ` : line !== null ? `line ${line}: ` : "";
    expect(error!.message.startsWith(where)).toBe(true);
  });

  it("reports one precise error per problem, not one per union branch", () => {
    expect(errorsOf(MINIMAL.replace("America/New_York", "Mars/Olympus"))).toEqual([
      {
        path: "meetings[0].schedule.zone",
        line: 8,
        column: 13,
        message:
          'meetings[0].schedule.zone (line 8): unknown time zone "Mars/Olympus" (use an IANA name such as America/New_York)',
      },
    ]);
  });

  it("reports a typo once: the unknown key, not also the missing key it meant", () => {
    const errors = errorsOf(MINIMAL.replace("      rrule:", "      rule:"));
    expect(errors.map((error) => error.message)).toEqual([
      'meetings[0].schedule.rule (line 6): unknown key "rule" (did you mean "rrule"?)',
    ]);
  });

  it("reports every problem, sorted by line", () => {
    const text = MINIMAL.replace("America/New_York", "Mars/Olympus").replace("id: security-wg", "id: 2024") + "    createBefor: P3D\n";
    expect(errorsOf(text).map((error) => [error.path, error.line])).toEqual([
      ["meetings[0].id", 2],
      ["meetings[0].schedule.zone", 8],
      ["meetings[0].createBefor", 12],
    ]);
  });

  it("reports duplicate ids even when other keys are also wrong", () => {
    const text = MINIMAL + MINIMAL.replace("meetings:\n", "").replace("Node.js", "[1]");
    expect(errorsOf(text).map((error) => error.path)).toEqual(["meetings[1].id", "meetings[1].host"]);
  });
});

describe("validateConfigObject", () => {
  const series = {
    id: "security-wg",
    name: "Security team",
    schedule: { rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", start: "2022-07-21T10:00", zone: "America/New_York" },
    agenda: { label: "security-wg-agenda", orgs: ["nodejs"] },
  };

  it("accepts a merged config and ignores _extends", () => {
    const result = validateConfigObject({ _extends: ".github", meetings: [series] });
    expect(result.ok && result.config.meetings[0]?.createBefore).toBe("P3D");
  });

  it("gives the same errors, without lines", () => {
    const result = validateConfigObject({ meetings: [{ ...series, createBefor: "P3D" }] });
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          path: "meetings[0].createBefor",
          line: null,
          column: null,
          message: 'meetings[0].createBefor: unknown key "createBefor" (did you mean "createBefore"?)',
        },
      ],
      omitted: 0,
    });
  });

  it.each([
    [null, "the file is empty"],
    [undefined, "the file is empty"],
    ["meetings", 'the top level must be a mapping with a `meetings:` list, got string "meetings"'],
    [[series], "got a list (a list of series goes under `meetings:`)"],
  ])("explains a config that is not a mapping: %j", (value, fragment) => {
    const result = validateConfigObject(value);
    expect(result.ok ? "" : result.errors[0]?.message).toContain(fragment);
  });
});

describe("the follow-up blocks (issue 13)", () => {
  const series = (extra: string) => `${MINIMAL}${extra}\n`;

  it("reads a quorum of listed members with its ratio and window, and a team as org/slug", () => {
    const listed = parseConfigText(series("    quorum: { members: [alice, bob], ratio: 0.6, window: 4 }"));
    expect(listed.ok && listed.config.meetings[0]!.quorum).toEqual({ members: ["alice", "bob"], ratio: 0.6, window: 4 });
    const team = parseConfigText(series("    quorum: { members: example/security-wg }"));
    expect(team.ok && team.config.meetings[0]!.quorum).toEqual({ members: "example/security-wg", ratio: 0.5, window: 3 });
  });

  it("refuses a quorum ratio above 1 and names the key", () => {
    const result = parseConfigText(series("    quorum: { members: [alice], ratio: 2 }"));
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).toContain("meetings[0].quorum.ratio");
  });

  it.each([
    ["../outside.md", ". or .."],
    ["/etc/decisions.md", "relative"],
    [".git/hooks/decisions.md", ".git"],
    ["meetings/decisions.txt", "Markdown"],
  ])("refuses a decisions log at %s (%s)", (path, why) => {
    const result = parseConfigText(series(`    decisions: { log: "${path}" }`));
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).toContain(why);
    expect(JSON.stringify(result)).toContain("meetings[0].decisions.log");
  });

  it("turns the decisions log off with null and keeps an attendance file", () => {
    const result = parseConfigText(series("    decisions: { log: null }\n    attendance: { file: ATTENDANCE.md, window: 6 }"));
    expect(result.ok && result.config.meetings[0]!.decisions).toEqual({ log: null });
    expect(result.ok && result.config.meetings[0]!.attendance).toEqual({ file: "ATTENDANCE.md", window: 6 });
  });
});

describe("team names made only of dots are refused (they would become `..` path segments)", () => {
  it.each([
    ["    chairs: { teams: [nodejs/..] }", "meetings[0].chairs.teams[0]"],
    ["    quorum: { members: nodejs/... }", "meetings[0].quorum.members"],
    ["    minutes: { teamReviewers: [..] }", "meetings[0].minutes.teamReviewers[0]"],
  ])("%s", (line, key) => {
    const result = parseConfigText(`${MINIMAL}${line}\n`);
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).toContain(key);
  });

  it("still takes real team names, also ones that start with a dot", () => {
    const result = parseConfigText(`${MINIMAL}    chairs: { teams: [nodejs/security-wg, nodejs/.github-team] }\n    minutes: { teamReviewers: [security-wg] }\n`);
    expect(result.ok).toBe(true);
  });
});
