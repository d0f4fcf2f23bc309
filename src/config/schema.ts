import { z } from "zod";
import { parseDuration } from "../schedule/duration.js";
import { feedUrl } from "../schedule/feed-url.js";
import { scheduleFromConfig } from "../schedule/occurrences.js";
import { parseRRule } from "../schedule/rrule.js";
import { parseRepeatingInterval } from "../schedule/repeating-interval.js";
import { isValidZone } from "../schedule/zones.js";
import { checkTemplateSource, formatTemplateProblem } from "../render/template-rules.js";
import { minutesFileDate } from "../minutes/minutes-files.js";
import { MAX_CONFIG_SERIES } from "./limits.js";
import { announceSchema, looksLikeSecret } from "./announce-schema.js";
import { HACKMD_TEAM_PATH } from "../hackmd/types.js";
import { impossibleDate, impossibleDateTime } from "./real-dates.js";

/**
 * The schema of `.github/meetings.yml`. Every key has a default or is required, and a
 * `.describe()` line that `docs/configuration.md` and the README repeat. Unknown keys are
 * errors (`.strict()`), so a typo never silently turns a feature off.
 */

/** Wraps a parser that throws into a zod check, so its message becomes the config error. */
function parsedBy(parse: (text: string) => unknown) {
  return (text: string, ctx: z.RefinementCtx) => {
    try {
      parse(text);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
    }
  };
}

const isoDuration = z.string().superRefine(parsedBy(parseDuration));

const zone = z.string().superRefine((value, ctx) => {
  if (!isValidZone(value)) {
    ctx.addIssue({ code: "custom", message: `unknown time zone "${value}" (use an IANA name such as America/New_York)` });
  }
});

/** Adds an issue when `problem` finds the text well-formed but impossible (`2025-02-30`). */
function realDate(problem: (text: string) => string | null) {
  return (text: string, ctx: z.RefinementCtx) => {
    const reason = problem(text);
    if (reason !== null) ctx.addIssue({ code: "custom", message: `"${text}" is ${reason}` });
  };
}

const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date as YYYY-MM-DD")
  .superRefine(realDate(impossibleDate));

const githubName = z
  .string()
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, "expected a GitHub user or organization name");

const repoFullName = z
  .string()
  // A name of dots only (`.`, `..`) would be a dot segment of the App's API URLs: no repository.
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/(?!\.+$)[A-Za-z0-9._-]{1,100}$/, "expected owner/name");

const rruleSchedule = z
  .object({
    rrule: z.string().superRefine(parsedBy(parseRRule)).describe("iCalendar RRULE, e.g. FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"),
    start: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "expected the first meeting as YYYY-MM-DDTHH:mm (wall-clock time in `zone`)")
      .superRefine(realDate(impossibleDateTime))
      .describe("the first meeting, YYYY-MM-DDTHH:mm, as wall-clock time in `zone`"),
    zone: zone.describe("IANA time zone the meeting time belongs to; daylight saving follows it"),
    skip: z.array(localDate).default([]).describe("dates (in `zone`) with no meeting"),
  })
  .strict()
  .superRefine((schedule, ctx) => {
    // What the fields cannot see alone, e.g. an UNTIL instant before `start`: the App builds the
    // schedule exactly so, and must not fail on a file `validate` passed. zod runs this even when
    // a field failed; those failures are already reported, so only a clean schedule is built.
    try {
      scheduleFromConfig({ ...schedule, skip: [] });
    } catch (error) {
      if (fieldsAreValid(schedule)) ctx.addIssue({ code: "custom", path: ["rrule"], message: (error as Error).message });
    }
  });

function fieldsAreValid(schedule: { rrule: unknown; start: unknown; zone: unknown }): boolean {
  if (typeof schedule.rrule !== "string" || typeof schedule.start !== "string" || typeof schedule.zone !== "string") return false;
  try {
    parseRRule(schedule.rrule);
  } catch {
    return false;
  }
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(schedule.start) && impossibleDateTime(schedule.start) === null && isValidZone(schedule.zone);
}

const intervalSchedule = z
  .object({
    interval: z
      .string()
      .superRefine(parsedBy(parseRepeatingInterval))
      .describe("ISO-8601 repeating interval: 2025-08-04T13:00:00[America/Chicago]/P2W"),
    skip: z.array(localDate).default([]).describe("dates (in the interval's zone) with no meeting"),
  })
  .strict();

// Calendar-backed schedules: the meetings are whatever the calendar says, moved and cancelled
// instances included. Titles match exactly (ignoring case and surrounding spaces), so "… (prep)"
// or "Canceled: …" events are never taken for the meeting.
const eventTitle = z.string().trim().min(1, "expected the meetings' event title");

const calendarZone = zone
  .optional()
  .describe("IANA time zone that names the meetings' dates and titles; default: each event's own zone, else the calendar's, else UTC");

const googleCalendarSchedule = z
  .object({
    googleCalendar: z
      .object({
        id: z
          .string()
          .trim()
          .regex(/^\S+$/, "expected a calendar id such as c_0123abcd@group.calendar.google.com")
          .describe("the calendar's id (Google Calendar → Settings → Integrate calendar), e.g. c_0123abcd@group.calendar.google.com; share the calendar with the App's Google account"),
        summary: eventTitle.describe("the meetings' event title: an event is a meeting when its title equals this, ignoring case and surrounding spaces"),
      })
      .strict()
      .describe("read the meetings from a Google Calendar: { id, summary }"),
    zone: calendarZone,
    skip: z.array(localDate).default([]).describe("dates (in the meeting's zone) with no meeting, even if the calendar has one"),
  })
  .strict();

const icalSchedule = z
  .object({
    ical: z
      .object({
        url: z
          .string()
          .superRefine(parsedBy(feedUrl))
          .describe("https:// or webcal:// address of the .ics feed (Google's \"Secret address in iCal format\", an Outlook published calendar); whoever can read this file can read the calendar"),
        summary: eventTitle
          .optional()
          .describe("the meetings' event title, matched like googleCalendar.summary; leave out to take every timed event of the feed"),
      })
      .strict()
      .describe("read the meetings from an iCalendar feed: { url, summary }"),
    zone: calendarZone,
    skip: z.array(localDate).default([]).describe("dates (in the meeting's zone) with no meeting, even if the feed has one"),
  })
  .strict();

const scheduleSchema = z
  .union([
    z
      .string()
      .superRefine(parsedBy(parseRepeatingInterval))
      .transform((interval) => ({ interval, skip: [] as string[] })),
    rruleSchedule,
    intervalSchedule,
    googleCalendarSchedule,
    icalSchedule,
  ])
  .describe("when the series meets: { rrule, start, zone }, an ISO-8601 repeating interval, { googleCalendar } or { ical }");

const zoneRow = z
  .object({
    label: z.string().min(1).describe("the row's label, e.g. 'US / Pacific'"),
    zone: zone.describe("IANA time zone of the row"),
  })
  .strict();

export const TIMEZONE_PRESETS = ["default", "nodejs"] as const;

const agendaSchema = z
  .object({
    label: z.string().min(1).describe("issues and PRs with this label are on the agenda"),
    orgs: z.array(githubName).default([]).describe("organizations searched for the label"),
    repos: z.array(repoFullName).default([]).describe("single repositories searched for the label"),
    includePrivate: z
      .boolean()
      .default(false)
      .describe("also list items from private repositories (off: a public issue must never leak private titles)"),
  })
  .strict()
  .refine((agenda) => agenda.orgs.length + agenda.repos.length > 0, {
    message: "name at least one of `orgs` or `repos`",
  });

const issueSchema = z
  .object({
    template: z
      .string()
      .default("default")
      .describe("a preset (default, nodejs) or a path in the repo (.github/…) to a Handlebars template"),
    title: z
      .string()
      .superRefine(titleTemplate)
      .default("{{host}} {{name}} Meeting {{date}}")
      .describe("Handlebars title; {{date}} is the meeting's date in the series' zone"),
    labels: z.array(z.string().min(1)).default([]).describe("labels put on the meeting issue"),
    invited: z.array(z.string()).default([]).describe("lines of the Invited section, e.g. 'Security wg team: @nodejs/security-wg'"),
    observers: z.array(z.string()).default([]).describe("lines of the Observers/Guests section"),
    joining: z.string().default("").describe("Markdown of the 'Joining the meeting' section (call link, stream)"),
    closePrevious: z.boolean().default(false).describe("close the series' previous meeting issue when the next one opens"),
  })
  .strict();

const shareRole = z
  .enum(["reader", "commenter", "writer"])
  .describe("reader (view), commenter or writer (edit)");

const googleDocSchema = z
  .object({
    folder: z
      .string()
      .min(1)
      .describe("id of the Drive folder the docs are created in (folders of shared drives work); share it with the service account"),
    template: z
      .string()
      .min(1)
      .optional()
      .describe("id of a Google Doc to copy for each meeting instead of importing the minutes-doc template"),
    share: z
      .object({
        anyone: z
          .enum(["none", "reader", "commenter", "writer"])
          .default("reader")
          .describe("what anyone with the link may do: none, reader (view), commenter or writer (edit)"),
        domain: z
          .object({ name: z.string().min(1).describe("the Workspace domain, e.g. example.org"), role: shareRole })
          .strict()
          .optional()
          .describe("also share with everyone in a Google Workspace domain: { name, role }"),
        groups: z
          .array(
            z
              .object({ email: z.string().email("expected an email address").describe("the group's or person's email"), role: shareRole })
              .strict(),
          )
          .default([])
          .describe("groups or people to share with: [{ email, role }]"),
      })
      .strict()
      .prefault({})
      .describe("who may open the doc"),
  })
  .strict();

const hackmdPermission = z.enum(["owner", "signed_in", "guest"]);

const hackmdDocSchema = z
  .object({
    team: z
      .string()
      // The gateway's own rule, so a path the config accepts is one the App can use.
      .regex(HACKMD_TEAM_PATH, "expected a HackMD team path (the part after hackmd.io/team/)")
      // A pasted API token fits the pattern; it would go into request URLs and public notices.
      .refine((value) => !HACKMD_TEAM_PATH.test(value) || !looksLikeSecret(value), "expected a HackMD team path, not a token: the API token belongs in the App's HACKMD_API_TOKEN, never in this public file")
      .nullable()
      .default(null)
      .describe("the HackMD team whose workspace the notes are created in (its path, the part after hackmd.io/team/); null: the API token's own workspace"),
    readPermission: hackmdPermission
      .default("guest")
      .describe("who may read the note: owner (the workspace), signed_in (anyone signed in to HackMD) or guest (anyone with the link)"),
    writePermission: hackmdPermission
      .default("signed_in")
      .describe("who may edit the note: owner (the workspace), signed_in (anyone signed in to HackMD) or guest (anyone with the link)"),
    commentPermission: z
      .enum(["disabled", "forbidden", "owners", "signed_in_users", "everyone"])
      .default("signed_in_users")
      .describe("who may comment on the note: disabled (comments off), forbidden, owners, signed_in_users or everyone"),
  })
  .strict()
  .superRefine((hackmd, ctx) => {
    // HackMD refuses a note whose writers are a wider group than its readers.
    const width = (role: string) => hackmdPermission.options.indexOf(role as (typeof hackmdPermission.options)[number]);
    if (width(hackmd.writePermission) > width(hackmd.readPermission)) {
      ctx.addIssue({
        code: "custom",
        path: ["writePermission"],
        message: `writePermission ${hackmd.writePermission} lets more people write than readPermission ${hackmd.readPermission} lets read: HackMD refuses such a note`,
      });
    }
  });

const minutesSchema = z
  .object({
    path: z.string().default("meetings/{{date}}.md").describe("where the minutes file is committed; {{date}} is the meeting's date (YYYY-MM-DD) in the series' zone"),
    doc: z
      .enum(["none", "google", "hackmd"])
      .default("none")
      .describe("draft the minutes in a Google Doc (google), a HackMD note (hackmd) or not at all (none)"),
    google: googleDocSchema.optional().describe("where and how the Google Doc is created (needed with doc: google)"),
    hackmd: hackmdDocSchema
      .optional()
      .describe("where and with which permissions the HackMD note is created (with doc: hackmd; left out: every key's default)"),
    standing: z
      .array(z.string().min(1))
      .default([])
      .describe("standing items listed in every meeting's notes, e.g. 'Vulnerability review - https://…'"),
    prTitle: z
      .string()
      .regex(/\{\{date\}\}/, "the title must contain {{date}}")
      .default("doc: add {{date}} meeting notes")
      .describe("title of the minutes pull request; {{date}} is the meeting's date"),
    labels: z.array(z.string().min(1)).default([]).describe("labels put on the minutes pull request"),
    reviewers: z.array(githubName).default([]).describe("users asked to review the minutes pull request"),
    teamReviewers: z
      .array(z.string().regex(/^(?!\.+$)[A-Za-z0-9._-]+$/, "expected a team slug (the part after org/)"))
      .default([])
      .describe("team slugs (of the repository's org) asked to review the minutes pull request"),
  })
  .strict()
  .superRefine((minutes, ctx) => {
    if (minutes.doc === "google" && !minutes.google) {
      ctx.addIssue({
        code: "custom",
        path: ["doc"],
        message: "doc: google needs `google.folder`, the id of the Drive folder to create the docs in",
      });
    }
  });

/**
 * A file the App writes beside the minutes (the decisions log, ATTENDANCE.md): a plain relative
 * path ending in `.md`, with no `.`, `..` or `.git` segment. Config is written by anyone who can
 * open a pull request on it, so it must not name a file outside the repository's working tree.
 */
const repoMarkdownPath = z
  .string()
  .max(200, "expected at most 200 characters")
  .superRefine((path, ctx) => {
    const segments = path.split("/");
    const problem =
      /[\u0000-\u001f\u007f\\]/.test(path) ? "contains a control character or a backslash"
      : path.startsWith("/") ? "must be relative to the repository root (no leading /)"
      : segments.some((segment) => segment === "" || segment === "." || segment === "..") ? "has an empty, . or .. segment"
      : segments.some((segment) => segment.toLowerCase() === ".git") ? "has a .git segment"
      : !path.endsWith(".md") || path.endsWith("/.md") ? "must name a Markdown file (…/name.md)"
      : null;
    if (problem !== null) ctx.addIssue({ code: "custom", message: `"${path}" ${problem}` });
  });

const actionItemsSchema = z
  .object({
    issues: z.boolean().default(true).describe("open one issue per action item when the App's minutes pull request is merged"),
    repository: z
      .string()
      .regex(/^(?!\.+$)[A-Za-z0-9._-]{1,100}$/, "expected a repository name (of the meeting repository's owner)")
      .optional()
      .describe("repository (of the same owner) the action-item issues open in; default: the meeting's repository"),
    labels: z.array(z.string().min(1).max(50)).max(10).default([]).describe("labels put on each action-item issue"),
  })
  .strict();

const decisionsSchema = z
  .object({
    log: repoMarkdownPath
      .nullable()
      .default("meetings/decisions.md")
      .describe("file the minutes pull request appends the meeting's decisions to, newest first; a file of its own (not a minutes file); null: no log"),
  })
  .strict();

const itemCommentsSchema = z
  .object({
    enabled: z.boolean().default(true).describe("comment on each agenda item that has notes, linking its minutes, when they are merged"),
    privateRepositories: z
      .boolean()
      .default(false)
      .describe("also comment on items in private repositories (off: their notes stay in the minutes only)"),
  })
  .strict();

const quorumSchema = z
  .object({
    members: z
      .union([
        z.array(githubName).min(1).max(200),
        z.string().regex(/^@?[A-Za-z0-9-]+\/(?!\.+$)[A-Za-z0-9._-]+$/, "expected a team as org/team-slug"),
      ])
      .describe("who counts towards quorum: a list of GitHub logins, or a team as org/team-slug"),
    ratio: z.number().gt(0, "expected more than 0").lte(1, "expected at most 1").default(0.5).describe("share of the counted members who must be present"),
    window: z
      .number()
      .int()
      .min(0)
      .max(52)
      .default(3)
      .describe("members absent from all of the last `window` meetings do not count (0: everyone counts)"),
  })
  .strict();

const attendanceSchema = z
  .object({
    file: repoMarkdownPath
      .nullable()
      .default(null)
      .describe("file (e.g. ATTENDANCE.md) the minutes pull request keeps up to date with each member's attendance, replaced only when missing or written by the App (its marker line); a file of its own (not decisions.log, not a minutes file); null: none"),
    window: z.number().int().min(1).max(100).default(10).describe("how many recent meetings the attendance file and `wg-meetings attendance` count"),
  })
  .strict();

const chairsSchema = z
  .object({
    permission: z
      .enum(["write", "maintain", "admin"])
      .default("write")
      .describe("lowest repository permission that may run chair commands"),
    users: z.array(githubName).default([]).describe("users who may run chair commands (instead of the permission rule)"),
    teams: z
      .array(z.string().regex(/^[A-Za-z0-9-]+\/(?!\.+$)[A-Za-z0-9._-]+$/, "expected a team as org/team-slug"))
      .default([])
      .describe("org/team slugs whose members may run chair commands"),
  })
  .strict();

export const seriesSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "expected lowercase letters, digits and dashes")
      .describe("stable id of the series: names markers and branches, never change it"),
    name: z.string().min(1).describe("the group, e.g. 'Security team'"),
    host: z.string().default("").describe("who hosts it, e.g. 'Node.js'"),
    schedule: scheduleSchema,
    duration: isoDuration.default("PT1H").describe("how long a meeting lasts (ISO-8601 duration: PT1H, PT90M)"),
    createBefore: isoDuration.default("P3D").describe("how long before the meeting its issue opens (ISO-8601 duration: P3D, PT12H, P1W)"),
    agenda: agendaSchema.describe("which open issues and pull requests make the agenda"),
    timezones: z
      .union([z.enum(TIMEZONE_PRESETS), z.array(zoneRow).min(1)])
      .default("default")
      .describe("the time table: a preset name or a list of { label, zone }"),
    issue: issueSchema.prefault({}).describe("the meeting issue"),
    minutes: minutesSchema.prefault({}).describe("the minutes file and the doc they are drafted in"),
    chairs: chairsSchema.prefault({}).describe("who may run chair commands such as /minutes"),
    actionItems: actionItemsSchema.prefault({}).describe("action items in the minutes: the issues opened for them on merge (docs/follow-up.md)"),
    decisions: decisionsSchema.prefault({}).describe("decisions in the minutes: the log they are appended to"),
    itemComments: itemCommentsSchema.prefault({}).describe("the comment on each agenda item discussed, linking its minutes (docs/follow-up.md)"),
    quorum: quorumSchema.optional().describe("with it, the minutes pull request says whether the meeting was quorate and who counted (docs/attendance.md)"),
    attendance: attendanceSchema.prefault({}).describe("attendance counted from the merged minutes (docs/attendance.md)"),
    announce: announceSchema.optional().describe("chat announcements of the meetings: destinations named by the operator's WG_MEETINGS_CHAT, moments, reminders (docs/chat.md)"),
  })
  .strict()
  .superRefine(filesOfTheirOwn);

export const configSchema = z
  .object({
    meetings: z
      .array(seriesSchema)
      .min(1, "list at least one meeting series")
      .max(MAX_CONFIG_SERIES, `list at most ${MAX_CONFIG_SERIES} series`)
      .describe("the meeting series this repository runs"),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>();
    config.meetings.forEach((series, index) => {
      const first = seen.get(series.id);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["meetings", index, "id"],
          message: `duplicate series id "${series.id}" (also meetings[${first}])`,
        });
      } else {
        seen.set(series.id, index);
      }
    });
  });

export type MeetingsConfig = z.output<typeof configSchema>;
export type SeriesConfig = z.output<typeof seriesSchema>;
export type AgendaConfig = SeriesConfig["agenda"];

/**
 * The attendance file and the decisions log each need a file of their own: one would replace
 * the other, or a meeting's minutes file, and one minutes pull request cannot write a path twice.
 * Refused at the key that names the second use.
 */
function filesOfTheirOwn(
  series: { minutes: { path: string }; decisions: { log: string | null }; attendance: { file: string | null } },
  ctx: z.RefinementCtx,
): void {
  const { file } = series.attendance;
  const { log } = series.decisions;
  if (file !== null && file === log) {
    ctx.addIssue({ code: "custom", path: ["attendance", "file"], message: `"${file}" is also decisions.log: the attendance file needs a file of its own` });
  }
  const minutesDate = (path: string): string | null => {
    try {
      return minutesFileDate(series.minutes.path, path);
    } catch {
      return null; // minutes.path itself is reported where the minutes are written
    }
  };
  for (const [key, path] of [["decisions", log], ["attendance", file]] as const) {
    const date = path === null ? null : minutesDate(path);
    if (date === null) continue;
    ctx.addIssue({
      code: "custom",
      path: [key, key === "decisions" ? "log" : "file"],
      message: `"${path}" is where minutes.path puts the minutes of the ${date} meeting: the ${key === "decisions" ? "decisions log" : "attendance file"} needs a file of its own`,
    });
  }
}

/** `issue.title` is a Handlebars template: the renderer's rules (no partials, decorators or `log`; size limits) apply. */
function titleTemplate(title: string, ctx: z.RefinementCtx): void {
  for (const problem of checkTemplateSource(title, "string")) {
    ctx.addIssue({ code: "custom", message: `not a title template the App renders: ${formatTemplateProblem(problem)}` });
  }
}
