import { calendarIo } from "../schedule/calendar-io.js";
import type { calendar_v3 } from "@googleapis/calendar";
import type { Context } from "probot";
import { repoRef } from "../github/client.js";
import { pullRequestHasFile } from "../github/pull-request-files.js";
import { readGoogleAllowList, type GoogleAllowList } from "../google/allow-list.js";
import { readHackmdAllowList, type HackmdAllowList } from "../hackmd/allow-list.js";
import { withCalendarOwner } from "../google/calendar.js";
import type { OccurrenceSourceIo } from "../schedule/occurrence-source.js";
import { checkConfigChange } from "./check-config-change.js";
import { CONFIG_CHECK_PULL_REQUEST_EVENTS } from "./config-check-events.js";
import { pullFilesTouchConfig, pushTouchesConfig } from "./config-changed.js";

/** What the config check needs beyond the event: how calendar schedules are read. */
export interface ConfigCheckDeps {
  /** The Calendar client for `googleCalendar` schedules (null without Google credentials). */
  calendar?: () => Promise<calendar_v3.Calendar | null>;
  /** Reads an iCalendar feed (default: HTTPS with limits, see fetch-feed.ts). */
  fetchText?: (url: string) => Promise<string>;
  /**
   * The operator's Google allow-list (default: WG_MEETINGS_GOOGLE_ALLOW of `process.env`,
   * read when the handler is made, i.e. at start-up; a malformed value throws there, naming it).
   */
  googleAllow?: GoogleAllowList;
  /** The operator's HackMD allow-list (default: WG_MEETINGS_HACKMD_ALLOW of `process.env`, read at start-up like Google's). */
  hackmdAllow?: HackmdAllowList;
}

export { CONFIG_CHECK_PULL_REQUEST_EVENTS };

type PullRequestContext = Context<(typeof CONFIG_CHECK_PULL_REQUEST_EVENTS)[number]>;

/**
 * `push` handler: checks the pushed commit when the push, to any branch, touched the config.
 *
 * @example
 * app.on("push", checkConfigOnPush(deps));
 */
export function checkConfigOnPush(deps: ConfigCheckDeps = {}): (context: Context<"push">) => Promise<void> {
  const io = calendarIo(deps);
  const googleAllow = deps.googleAllow ?? readGoogleAllowList(process.env);
  const hackmdAllow = deps.hackmdAllow ?? readHackmdAllowList(process.env);
  return async (context) => {
    const { payload } = context;
    if (!payload.installation) return;
    const repo = repoRef(payload.repository.full_name);
    await checkConfigChange(
      context.octokit,
      {
        repo,
        headSha: payload.after,
        changed: async () => pushTouchesConfig(payload),
        googleAllow,
        hackmdAllow,
      },
      // Calendars are read for this repository's owner: the allow-list may scope them to it.
      withCalendarOwner(io, repo.owner),
      context.log,
    );
  };
}

/**
 * `pull_request` handler: checks the head commit when the pull request's diff touches the
 * config (one `pulls.listFiles` request per 100 files, stopping at the first match).
 *
 * @example
 * app.on([...CONFIG_CHECK_PULL_REQUEST_EVENTS], checkConfigOnPullRequest(deps));
 */
export function checkConfigOnPullRequest(deps: ConfigCheckDeps = {}): (context: PullRequestContext) => Promise<void> {
  const io = calendarIo(deps);
  const googleAllow = deps.googleAllow ?? readGoogleAllowList(process.env);
  const hackmdAllow = deps.hackmdAllow ?? readHackmdAllowList(process.env);
  return async (context) => {
    const { payload } = context;
    if (!payload.installation) return;
    const repo = { owner: payload.repository.owner.login, repo: payload.repository.name };
    // A pull request from another repository (a fork, or a deleted one) is anybody's config: it
    // is checked alone, and the App reads no calendar and fetches no URL for it with its own
    // credentials, nor works out its meetings.
    const fromFork = payload.pull_request.head.repo?.full_name !== payload.repository.full_name;
    await checkConfigChange(
      context.octokit,
      {
        repo,
        headSha: payload.pull_request.head.sha,
        changed: () => pullRequestHasFile(context.octokit, repo, payload.pull_request.number, pullFilesTouchConfig),
        googleAllow,
        hackmdAllow,
        fromFork,
      },
      fromFork ? NO_IO_FOR_FORKS : withCalendarOwner(io, repo.owner),
      context.log,
    );
  };
}

const forkRefusal = async (): Promise<never> => {
  throw new Error("calendars are not read for pull requests from forks; the schedule is checked once merged");
};

/** What a fork's pull request gets instead of calendar access. */
const NO_IO_FOR_FORKS: OccurrenceSourceIo = { fetchText: forkRefusal, calendar: forkRefusal };

