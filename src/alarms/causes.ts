import { buildSearchQueries } from "../agenda/search-query.js";
import { capErrors, errorCountText, omittedErrorsText } from "../config/error-cap.js";
import { errorDetail, type ConfigError } from "../config/load-config.js";
import type { SeriesConfig } from "../config/schema.js";
import { describeError, statusOf } from "../github/errors.js";
import { isGitHubCom } from "../github/web-host.js";
import { GoogleDocsError } from "../google/errors.js";
import type { AlarmContent } from "./alarm-text.js";
import { codeSpan, inlineText, utcText } from "./markdown.js";

/** The config file every alarm about the config points to. */
const CONFIG_FILE = ".github/meetings.yml";

/** A temporary failure (GitHub 5xx, rate limit, network) raises an alarm only this close to the meeting. */
export const URGENT_WITHIN_MS = 24 * 60 * 60 * 1000;

/**
 * `<webUrl>/o/r/blob/<branch>/<path>`, e.g. `https://github.com/o/r/blob/main/.github/meetings.yml`.
 * `webUrl` is the GitHub web host (`gitHubWebUrl`), so the link works on GitHub Enterprise Server too.
 */
export function blobUrl(webUrl: string, repository: string, branch: string, path: string): string {
  const encode = (text: string) => text.split("/").map(encodeURIComponent).join("/");
  return `${webUrl.replace(/\/+$/, "")}/${repository}/blob/${encode(branch)}/${encode(path)}`;
}

/**
 * The alarm for an invalid `.github/meetings.yml`: its first errors (at most 50, as every report
 * lists them) with their lines, each linked to that line of the file on the default branch of
 * the GitHub at `webUrl`, and the count of the rest (`omitted`, from the config's reading).
 */
export function configAlarm(input: {
  webUrl: string;
  repository: string;
  defaultBranch: string;
  errors: readonly ConfigError[];
  /** How many errors the config had beyond `errors`. */
  omitted?: number | undefined;
}): AlarmContent {
  const { repository, defaultBranch } = input;
  const file = blobUrl(input.webUrl, repository, defaultBranch, CONFIG_FILE);
  const capped = capErrors(input.errors);
  const omitted = (input.omitted ?? 0) + capped.omitted;
  const total = input.errors.length + (input.omitted ?? 0);
  const listed = capped.listed.map((error) => {
    const where = error.line !== null ? `[Line ${error.line}](${file}#L${error.line})` : null;
    const path = error.path ? codeSpan(error.path, 200) : null;
    const head = [where, path].filter(Boolean).join(", ");
    const detail = inlineText(errorDetail(error));
    return head ? `${head}: ${detail}` : detail;
  });
  const more = omittedErrorsText(omitted);
  if (more) listed.push(more);
  return {
    scope: "config",
    cause: `[\`${CONFIG_FILE}\`](${file}) on ${codeSpan(defaultBranch, 200)} is not valid, so the App cannot tell which meetings to open.`,
    fix: [
      `The file has ${errorCountText(total)}:\n${listed.map((line) => `- ${line}`).join("\n")}`,
      `Fix ${total === 1 ? "it" : "them"} in [\`${CONFIG_FILE}\`](${file}) on ${codeSpan(defaultBranch, 200)}. ` +
        `\`npx wg-meetings validate ${CONFIG_FILE}\` prints the same list locally, before you push.`,
    ],
  };
}

/** Where a failed series was when it failed, as the tick knows it. */
export interface SeriesFailureContext {
  /** The GitHub web host the links start with (`gitHubWebUrl`): `https://github.com` or a GitHub Enterprise Server. */
  webUrl: string;
  repository: string;
  defaultBranch: string;
  series: SeriesConfig;
  now: Date;
  /**
   * The start of the meeting that was due. Unset when the series failed before that was known,
   * i.e. while reading its schedule.
   */
  meetingStart?: Date | undefined;
}

/** What kind of problem a failure is; decides the words of the alarm. */
export type FailureKind = "permission" | "issues-disabled" | "search" | "template" | "schedule" | "google-not-allowed" | "temporary" | "error";

interface RequestInfo {
  method: string;
  url: string;
}

/**
 * The alarm for a series whose due meeting could not be opened, or null when the failure is
 * temporary (GitHub 5xx, rate limit, network) and the meeting is more than a day away: the
 * next tick retries, and an alarm that closes an hour later is only noise. Words are
 * public-safe: the error as `describeError` puts it (the App's own wording, GitHub's short
 * message and the documentation link), never a token or a response body.
 */
export function seriesFailureAlarm(error: unknown, context: SeriesFailureContext): AlarmContent | null {
  const kind = failureKind(error, context);
  const { series } = context;
  const base = { scope: "series" as const, series: series.id, seriesName: series.name };
  const described = codeSpan(describeError(error));
  const configFile = blobUrl(context.webUrl, context.repository, context.defaultBranch, CONFIG_FILE);
  const preview = `\`npx wg-meetings preview --config ${CONFIG_FILE} --meeting ${series.id}\` shows the issue (or this error) locally.`;

  switch (kind) {
    case "temporary": {
      const start = context.meetingStart;
      if (!start || start.getTime() - context.now.getTime() > URGENT_WITHIN_MS) return null;
      return {
        ...base,
        cause: `GitHub keeps failing while the App opens the meeting of ${utcText(start)}: ${described}.`,
        fix: [
          // githubstatus.com reports github.com only; a GitHub Enterprise Server has its own administrators.
          isGitHubCom(context.webUrl)
            ? "Nothing to change in this repository if GitHub recovers: the App tries again on every tick (GitHub's status: https://www.githubstatus.com)."
            : "Nothing to change in this repository if GitHub recovers: the App tries again on every tick. If it does not, tell the administrators of your GitHub Enterprise Server.",
          "If it lasts until the meeting, tell the group where the meeting is announced instead.",
        ],
      };
    }
    case "permission": {
      const request = requestOf(error);
      const need = neededPermission(request);
      const owner = context.repository.split("/")[0] ?? "";
      const web = context.webUrl.replace(/\/+$/, "");
      return {
        ...base,
        cause: `GitHub refused the App while ${need.step}: ${described}.`,
        fix: [
          `The App needs the repository permission **${need.permission}** on \`${context.repository}\`. ` +
            `An owner of \`${owner}\` opens **Settings → GitHub Apps → wg-meetings → Configure** ` +
            `(${web}/organizations/${owner}/settings/installations, or ${web}/settings/installations for a personal account) ` +
            "and accepts the App's requested permissions if GitHub asks there.",
          ...(statusOf(error) === 404
            ? ["On the same page, check that this repository is selected under **Repository access**: a 404 also means the App cannot see it."]
            : []),
          "If the App does not request that permission at all, its owner adds it in the App's settings under **Permissions & events** (wg-meetings' `app.yml` lists every permission it needs).",
        ],
      };
    }
    case "issues-disabled":
      return {
        ...base,
        cause: `GitHub answered that issues are turned off in this repository: ${described}.`,
        fix: ["Turn issues on under **Settings → General → Features → Issues**: meeting issues open in this repository."],
      };
    case "search": {
      const label = series.agenda.label;
      const scopes = [...series.agenda.orgs.map((org) => `org \`${org}\``), ...series.agenda.repos.map((repo) => `repository \`${repo}\``)];
      return {
        ...base,
        cause: `The agenda search for the label ${codeSpan(label, 200)} failed: ${described}.`,
        fix: [
          `Check \`agenda\` in [\`${CONFIG_FILE}\`](${configFile}): every organization and repository searched must exist and be visible to the App` +
            (scopes.length > 0 ? ` (searched: ${scopes.join(", ")}).` : "."),
          `The App searched GitHub for ${searchQueries(series).map((q) => codeSpan(q, 300)).join(" and ")}; pasting that into GitHub's search shows what GitHub makes of it.`,
        ],
      };
    }
    case "template": {
      const template = series.issue.template;
      const own = template.startsWith(".github/");
      return {
        ...base,
        cause: `The meeting issue template ${codeSpan(template, 200)} could not be rendered: ${described}.`,
        fix: [
          own
            ? `Fix [\`${template}\`](${blobUrl(context.webUrl, context.repository, context.defaultBranch, template)}) (or add it, if it is missing), or set \`issue.template\` in [\`${CONFIG_FILE}\`](${configFile}) to a preset: \`default\` or \`nodejs\`.`
            : `Check \`issue.template\` and \`issue.title\` in [\`${CONFIG_FILE}\`](${configFile}): a preset is \`default\` or \`nodejs\`, a file of this repository is a path such as \`.github/meeting-issue.md.hbs\`.`,
          preview,
        ],
      };
    }
    case "google-not-allowed":
      return {
        ...base,
        cause: `The App's operator does not allow this repository to use what its config names in Google: ${described}.`,
        fix: [
          "Whoever runs this wg-meetings App decides which Google folders, template docs and calendars each owner's configs may use (`WG_MEETINGS_GOOGLE_ALLOW`): ask them to allow it, as the message says.",
          `Or change [\`${CONFIG_FILE}\`](${configFile}) to name one they allow${"googleCalendar" in (series.schedule as Record<string, unknown>) ? ", or read the meetings from an `ical` feed or a rule instead" : ""}.`,
        ],
      };
    case "schedule":
      return {
        ...base,
        cause: `The schedule of this series could not be read: ${described}.`,
        fix: [scheduleFix(series, configFile), preview],
      };
    case "error":
      return {
        ...base,
        cause: `Opening the meeting failed: ${described}.`,
        fix: [
          `If the message names a setting, fix it in [\`${CONFIG_FILE}\`](${configFile}); ${preview}`,
          `Otherwise the App's logs have the details (series \`${series.id}\`): please report the problem with this issue's text.`,
        ],
      };
  }
}

/** Classifies a failure of one series (exported for tests and logs). */
export function failureKind(error: unknown, context: Pick<SeriesFailureContext, "meetingStart">): FailureKind {
  const status = statusOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : "";
  const request = requestOf(error);
  const graphql = name === "GraphqlResponseError" || (request?.url.endsWith("/graphql") ?? false);

  // The operator's allow-list refused, before any request: nothing temporary about it.
  if (error instanceof GoogleDocsError && error.kind === "not-allowed") return "google-not-allowed";
  if (isTemporary(error, status, message)) return "temporary";
  // Before the meeting was known, the series failed in its schedule (a rule, a calendar, a feed).
  if (context.meetingStart === undefined) return "schedule";
  if (name === "TemplateError" || message.startsWith("issue.template:")) return "template";
  if (graphql) return "search";
  if (status === 410 && /\/issues/.test(request?.url ?? "")) return "issues-disabled";
  if (status === 403 || status === 404) return "permission";
  return "error";
}

function isTemporary(error: unknown, status: number | undefined, message: string): boolean {
  if (status === 429 || (status !== undefined && status >= 500)) return true;
  if (status === 403 && /rate limit/i.test(message)) return true;
  const errors = (error as { errors?: Array<{ type?: string }> } | null)?.errors;
  if (Array.isArray(errors) && errors.some((e) => e?.type === "RATE_LIMITED")) return true;
  if (status !== undefined) return false;
  // No HTTP answer: the network, or a feed or Google having a bad day (their messages say so).
  const code = (error as { code?: unknown; cause?: { code?: unknown } } | null)?.code ?? (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  if (typeof code === "string" && /^(ECONN|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|UND_ERR)/.test(code)) return true;
  return /could not be reached|did not answer within|answered HTTP 5\d\d|Google answered (5\d\d|nothing)|fetch failed|socket hang up/i.test(message);
}

function requestOf(error: unknown): RequestInfo | undefined {
  const request = (error as { request?: { method?: unknown; url?: unknown } } | null)?.request;
  if (!request || typeof request.url !== "string") return undefined;
  return { method: typeof request.method === "string" ? request.method.toUpperCase() : "GET", url: request.url.split("?")[0]! };
}

/** What the App was doing when GitHub said 403/404, and the permission that takes. */
function neededPermission(request: RequestInfo | undefined): { step: string; permission: string } {
  const url = request?.url ?? "";
  const method = request?.method ?? "";
  if (/\/issues\/\d+\/comments$/.test(url)) return { step: "commenting on a meeting issue", permission: "Issues: Read and write" };
  if (/\/issues\/\d+$/.test(url)) return { step: "editing or closing a meeting issue", permission: "Issues: Read and write" };
  if (/\/issues$/.test(url)) {
    return method === "POST"
      ? { step: "creating the meeting issue", permission: "Issues: Read and write" }
      : { step: "listing the App's issues", permission: "Issues: Read and write" };
  }
  if (/\/(git|branches)\//.test(url)) {
    return { step: "claiming the meeting (a git ref under `refs/wg-meetings/claims/`)", permission: "Contents: Read and write" };
  }
  if (/\/contents\//.test(url)) return { step: "reading the issue template", permission: "Contents: Read and write" };
  return { step: "opening the meeting", permission: "Issues: Read and write** and **Contents: Read and write" };
}

function searchQueries(series: SeriesConfig): string[] {
  try {
    return buildSearchQueries(series.agenda);
  } catch {
    return [`label:"${series.agenda.label}"`];
  }
}

function scheduleFix(series: SeriesConfig, configFile: string): string {
  const schedule = series.schedule as Record<string, unknown>;
  if ("googleCalendar" in schedule) {
    return (
      `Check \`schedule.googleCalendar\` in [\`${CONFIG_FILE}\`](${configFile}), and share the calendar with the App's Google account ` +
      '("See all event details"); the App needs Google credentials to read it (see "Google set-up" in the wg-meetings README).'
    );
  }
  if ("ical" in schedule) {
    return `Check that the feed of \`schedule.ical.url\` in [\`${CONFIG_FILE}\`](${configFile}) is public and answers with an iCalendar (.ics) file.`;
  }
  return `Check \`schedule\` in [\`${CONFIG_FILE}\`](${configFile}); \`npx wg-meetings validate ${CONFIG_FILE}\` checks it.`;
}
