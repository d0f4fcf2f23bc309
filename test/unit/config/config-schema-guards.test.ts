import { describe, expect, it } from "vitest";
import { configSchema } from "../../../src/config/schema.js";
import { MAX_CONFIG_SERIES } from "../../../src/config/limits.js";

// The checks in the config schema that keep a config author from writing something the App
// would then write somewhere it should not: ids that name markers, branches and refs; names
// that become search qualifiers and review requests; and the defaults that keep private
// things private.

type Json = Record<string, unknown>;

const series = (overrides: Json = {}): Json => ({
  id: "security-wg",
  name: "Security team",
  schedule: { rrule: "FREQ=WEEKLY;BYDAY=TH", start: "2024-01-04T10:00", zone: "America/New_York" },
  agenda: { label: "security-wg-agenda", orgs: ["nodejs"] },
  ...overrides,
});

/** The issues zod reports, as `path: message`. */
function problems(config: unknown): string[] {
  const result = configSchema.safeParse(config);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}

const one = (overrides: Json) => problems({ meetings: [series(overrides)] });

describe("series ids, which name markers, branches and claim refs", () => {
  it.each(["a", "security-wg", "tsc-2", "0day", "a".repeat(63)])("accepts %j", (id) => {
    expect(one({ id })).toEqual([]);
  });

  it.each(["", "-wg", "Security", "security_wg", "a/b", "a..b", "a b", "a.b", "a".repeat(64), "wg\n"])("refuses %j", (id) => {
    expect(one({ id })).toEqual(["meetings.0.id: expected lowercase letters, digits and dashes"]);
  });

  it("refuses the same id twice, naming the first", () => {
    expect(problems({ meetings: [series(), series({ name: "Other" })] })).toEqual(['meetings.1.id: duplicate series id "security-wg" (also meetings[0])']);
  });
});

describe("the agenda search", () => {
  it("keeps private repositories out unless asked", () => {
    const result = configSchema.parse({ meetings: [series()] });
    expect(result.meetings[0]!.agenda.includePrivate).toBe(false);
  });

  it("needs an org or a repo to search", () => {
    expect(one({ agenda: { label: "x" } })).toEqual(["meetings.0.agenda: name at least one of `orgs` or `repos`"]);
    expect(one({ agenda: { label: "x", repos: ["nodejs/node"] } })).toEqual([]);
  });

  it.each(["nodejs", "a", "A-b-9", "a".repeat(39)])("accepts the org %j", (org) => {
    expect(one({ agenda: { label: "x", orgs: [org] } })).toEqual([]);
  });

  it.each(["-nodejs", "node js", "nodejs/node", "org:evil", "a".repeat(40), ""])("refuses the org %j", (org) => {
    expect(one({ agenda: { label: "x", orgs: [org] } })).toEqual(["meetings.0.agenda.orgs.0: expected a GitHub user or organization name"]);
  });

  it.each(["nodejs/node", "a/b", "a/.github", "a/x_y-z.js", `${"a".repeat(39)}/${"b".repeat(100)}`])("accepts the repo %j", (repo) => {
    expect(one({ agenda: { label: "x", repos: [repo] } })).toEqual([]);
  });

  it.each(["nodejs", "nodejs/node/extra", "-a/b", "a/b c", "a/b is:private", `${"a".repeat(40)}/b`, `a/${"b".repeat(101)}`, "a/"])(
    "refuses the repo %j",
    (repo) => {
      expect(one({ agenda: { label: "x", repos: [repo] } })).toEqual(["meetings.0.agenda.repos.0: expected owner/name"]);
    },
  );

  it("needs a label", () => {
    expect(one({ agenda: { label: "", orgs: ["nodejs"] } })).toHaveLength(1);
  });
});

describe("the minutes pull request", () => {
  it("names the date in its title", () => {
    expect(one({ minutes: { prTitle: "doc: meeting notes" } })).toEqual(["meetings.0.minutes.prTitle: the title must contain {{date}}"]);
    expect(one({ minutes: { prTitle: "notes {{date}}" } })).toEqual([]);
  });

  it.each([["octocat"], ["a-b"]])("asks users such as %j to review", (user) => {
    expect(one({ minutes: { reviewers: [user] } })).toEqual([]);
  });

  it("refuses a reviewer or team that is not a plain name", () => {
    expect(one({ minutes: { reviewers: ["@octocat"] } })).toEqual(["meetings.0.minutes.reviewers.0: expected a GitHub user or organization name"]);
    expect(one({ minutes: { teamReviewers: ["nodejs/tsc"] } })).toEqual(["meetings.0.minutes.teamReviewers.0: expected a team slug (the part after org/)"]);
    expect(one({ minutes: { teamReviewers: ["security-wg", "tsc.v2", "a_b"] } })).toEqual([]);
  });

  it("needs a Drive folder to draft the minutes in Google Docs", () => {
    expect(one({ minutes: { doc: "google" } })).toEqual(["meetings.0.minutes.doc: doc: google needs `google.folder`, the id of the Drive folder to create the docs in"]);
    expect(one({ minutes: { doc: "google", google: { folder: "F1" } } })).toEqual([]);
  });

  it("shares a Google Doc with groups only by email address", () => {
    const google = (groups: unknown) => ({ minutes: { doc: "google", google: { folder: "F1", share: { groups } } } });
    expect(one(google([{ email: "wg@example.org", role: "writer" }]))).toEqual([]);
    expect(one(google([{ email: "wg", role: "writer" }]))).toEqual(["meetings.0.minutes.google.share.groups.0.email: expected an email address"]);
  });

  it("shares with anyone who has the link only to read, unless told otherwise", () => {
    const result = configSchema.parse({ meetings: [series({ minutes: { doc: "google", google: { folder: "F1" } } })] });
    expect(result.meetings[0]!.minutes.google?.share).toEqual({ anyone: "reader", groups: [] });
  });
});

describe("the file as a whole", () => {
  it(`lists between 1 and ${MAX_CONFIG_SERIES} series`, () => {
    expect(problems({ meetings: [] })).toEqual(["meetings: list at least one meeting series"]);
    const many = (n: number) => Array.from({ length: n }, (_, i) => series({ id: `s${i}` }));
    expect(problems({ meetings: many(MAX_CONFIG_SERIES) })).toEqual([]);
    expect(problems({ meetings: many(MAX_CONFIG_SERIES + 1) })).toEqual([`meetings: list at most ${MAX_CONFIG_SERIES} series`]);
  });

  it("refuses a key it does not know, at every level, so a typo never turns a guard off", () => {
    expect(problems({ meetings: [series()], extra: 1 })).toHaveLength(1);
    expect(one({ chair: {} })).toHaveLength(1);
    expect(one({ agenda: { label: "x", orgs: ["nodejs"], includePrivat: true } })).toHaveLength(1);
    expect(one({ minutes: { pathh: "x/{{date}}.md" } })).toHaveLength(1);
  });

  it("lets chair commands run from write permission up by default", () => {
    const result = configSchema.parse({ meetings: [series()] });
    expect(result.meetings[0]!.chairs).toEqual({ permission: "write", users: [], teams: [] });
    expect(one({ chairs: { permission: "read" } })).toHaveLength(1);
    expect(one({ chairs: { permission: "triage" } })).toHaveLength(1);
  });
});

describe("calendar schedules", () => {
  it("need a calendar id without spaces and an event title", () => {
    const google = (id: string, summary: string) => one({ schedule: { googleCalendar: { id, summary } } });
    expect(google("c_1@group.calendar.google.com", "WG")).toEqual([]);
    expect(google("c 1@group.calendar.google.com", "WG").join("\n")).toContain("expected a calendar id such as c_0123abcd@group.calendar.google.com");
    expect(google("c_1@group.calendar.google.com", "   ").join("\n")).toContain("expected the meetings' event title");
  });

  it("read a feed only from a public https address", () => {
    expect(one({ schedule: { ical: { url: "https://calendar.example.org/a.ics" } } })).toEqual([]);
    expect(one({ schedule: { ical: { url: "https://169.254.169.254/a.ics" } } }).join("\n")).toContain('feed URL must name a public host, not "169.254.169.254"');
    expect(one({ schedule: { ical: { url: "http://calendar.example.org/a.ics" } } }).join("\n")).toContain("feed URL must use https://");
  });
});

describe("the files a series writes beside its minutes (issue 13)", () => {
  it("refuses an attendance.file that is also decisions.log, naming attendance.file", () => {
    expect(one({ attendance: { file: "meetings/decisions.md" } })).toEqual([
      'meetings.0.attendance.file: "meetings/decisions.md" is also decisions.log: the attendance file needs a file of its own',
    ]);
    expect(one({ decisions: { log: "LOG.md" }, attendance: { file: "LOG.md" } })).toEqual([
      'meetings.0.attendance.file: "LOG.md" is also decisions.log: the attendance file needs a file of its own',
    ]);
  });

  it("refuses an attendance.file or decisions.log that is a meeting's minutes file under minutes.path", () => {
    expect(one({ attendance: { file: "meetings/2026-12-02.md" } })).toEqual([
      'meetings.0.attendance.file: "meetings/2026-12-02.md" is where minutes.path puts the minutes of the 2026-12-02 meeting: the attendance file needs a file of its own',
    ]);
    expect(one({ minutes: { path: "notes/{{year}}/{{month}}-{{day}}.md" }, decisions: { log: "notes/2026/12-02.md" } })).toEqual([
      'meetings.0.decisions.log: "notes/2026/12-02.md" is where minutes.path puts the minutes of the 2026-12-02 meeting: the decisions log needs a file of its own',
    ]);
  });

  it("takes files of their own, beside the minutes or in their folder, and an attendance file with no decisions log", () => {
    expect(one({ attendance: { file: "ATTENDANCE.md" } })).toEqual([]);
    expect(one({ attendance: { file: "meetings/attendance.md" }, decisions: { log: "meetings/decisions.md" } })).toEqual([]);
    expect(one({ attendance: { file: "meetings/2026-02-30.md" } })).toEqual([]); // no meeting has that date
    expect(one({ decisions: { log: null }, attendance: { file: "decisions.md" } })).toEqual([]);
  });
});
