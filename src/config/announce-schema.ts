import { z } from "zod";
import { parseDuration, type IsoDuration } from "../schedule/duration.js";

/**
 * The `announce` block of a series: which chat destinations hear about its meetings, and when.
 *
 * `.github/meetings.yml` is public, so it names destinations only. What a name stands for (a
 * Slack or Discord webhook URL, a Zulip bot's key, a Matrix access token) is a secret the
 * operator keeps in `WG_MEETINGS_CHAT` (the workflow's secrets in Actions mode). A value that
 * looks like a URL or a credential is refused, and the message says where it belongs without
 * repeating it.
 */

/** The moments a meeting is announced at, in the order they happen. */
export const ANNOUNCE_MOMENTS = ["opened", "reminder", "moved", "cancelled", "merged"] as const;
export type AnnounceMoment = (typeof ANNOUNCE_MOMENTS)[number];

/** The most destinations one series announces to. */
export const MAX_ANNOUNCE_DESTINATIONS = 5;

/** The most reminders one meeting gets. */
export const MAX_REMINDERS = 3;

/** The longest reminder lead time: a week before the meeting. */
export const MAX_REMINDER_MS = 7 * 24 * 60 * 60 * 1000;

/** A destination name as `WG_MEETINGS_CHAT` keys it (src/chat/destinations.ts): lower-case letters, digits and inner `-`, at most 64. */
export const DESTINATION_NAME = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** Said instead of a value that looks like a secret (never the value itself). */
export const SECRET_IN_CONFIG =
  "looks like a URL or a secret, and .github/meetings.yml is public: name a destination here (e.g. nodejs-slack); " +
  "its URL or token belongs in the operator's WG_MEETINGS_CHAT (the workflow's secrets in Actions mode)";

/**
 * Whether a value looks like a URL, a webhook or a credential rather than a name: a scheme
 * or port (`:`), an `@` or `/` (an email, a Matrix id, a path), a query (`?`, `=`, `&`), a
 * known token prefix (`xoxb-`, `syt_`, …), or a run of 24 letters and digits mixed, such as an
 * API key.
 */
export function looksLikeSecret(value: string): boolean {
  return (
    /[:@/?#=&]/.test(value) ||
    /^(?:xox[abposr]|xapp|ghp|ghs|github_pat|syt|glpat|sk|whsec)[-_]/i.test(value) ||
    /(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{24,}/.test(value)
  );
}

const destinationName = z.string().superRefine((value, ctx) => {
  if (looksLikeSecret(value)) {
    ctx.addIssue({ code: "custom", message: SECRET_IN_CONFIG });
  } else if (!DESTINATION_NAME.test(value)) {
    ctx.addIssue({ code: "custom", message: "expected a destination name as WG_MEETINGS_CHAT names it: lower-case letters, digits and '-' (not first or last), at most 64" });
  }
});

/** A lead time's length in milliseconds, days counted as 24 hours (for the upper bound only). */
export function leadMs(duration: IsoDuration): number {
  return ((((duration.weeks * 7 + duration.days) * 24 + duration.hours) * 60 + duration.minutes) * 60 + duration.seconds) * 1000;
}

const reminderLead = z.string().superRefine((value, ctx) => {
  // The duration parser's message repeats the value: a pasted webhook or token must not be.
  if (looksLikeSecret(value)) {
    ctx.addIssue({ code: "custom", message: SECRET_IN_CONFIG });
    return;
  }
  let duration: IsoDuration;
  try {
    duration = parseDuration(value);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: (error as Error).message });
    return;
  }
  if (duration.years !== 0 || duration.months !== 0) {
    ctx.addIssue({ code: "custom", message: `reminder "${value}": use weeks, days, hours or minutes (at most P7D)` });
  } else if (leadMs(duration) > MAX_REMINDER_MS) {
    ctx.addIssue({ code: "custom", message: `reminder "${value}" is more than 7 days before the meeting (at most P7D)` });
  }
});

/** A repository template for one moment: a Handlebars file under `.github/`. */
const templatePath = z.string().superRefine((path, ctx) => {
  if (!/^\.github\/(?:[A-Za-z0-9._-]+\/)*[A-Za-z0-9._-]+\.hbs$/.test(path) || path.split("/").some((segment) => /^\.+$/.test(segment))) {
    ctx.addIssue({ code: "custom", message: "expected a path such as .github/announce/opened.md.hbs (under .github/, no . or .. segment)" });
  }
});

const templatesSchema = z
  .object({
    opened: templatePath.optional().describe("template of the message when the meeting issue opens (default templates/default/announce/opened.hbs)"),
    reminder: templatePath.optional().describe("template of each reminder"),
    moved: templatePath.optional().describe("template of the message after /move"),
    cancelled: templatePath.optional().describe("template of the message after /cancel"),
    merged: templatePath.optional().describe("template of the message when the minutes are merged"),
  })
  .strict();

export const announceSchema = z
  .object({
    to: z
      .array(destinationName)
      .min(1, "name at least one destination")
      .max(MAX_ANNOUNCE_DESTINATIONS, `name at most ${MAX_ANNOUNCE_DESTINATIONS} destinations`)
      .refine((names) => new Set(names).size === names.length, "a destination is named twice")
      .describe("names of the chat destinations, as the operator's WG_MEETINGS_CHAT defines them (never a URL or token: this file is public)"),
    moments: z
      .array(z.enum(ANNOUNCE_MOMENTS))
      .min(1, "list at least one moment")
      .refine((moments) => new Set(moments).size === moments.length, "a moment is listed twice")
      .default([...ANNOUNCE_MOMENTS])
      .describe("when to post: opened (the issue opens), reminder, moved (/move), cancelled (/cancel), merged (the minutes are merged)"),
    reminders: z
      .array(reminderLead)
      .min(1, "list at least one lead time")
      .max(MAX_REMINDERS, `list at most ${MAX_REMINDERS} reminders`)
      .refine((leads) => new Set(leads).size === leads.length, "a reminder is listed twice")
      .default(["PT1H"])
      .describe("how long before the start each reminder is posted (ISO-8601 durations, at most P7D); posted by the tick, never after the start"),
    templates: templatesSchema
      .prefault({})
      .describe("repository files (Handlebars, under .github/) replacing the default message of a moment"),
  })
  .strict();

export type AnnounceConfig = z.output<typeof announceSchema>;
