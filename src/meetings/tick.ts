import { calendarIo } from "../schedule/calendar-io.js";
import type { SeriesConfig } from "../config/schema.js";
import type { ConfigError } from "../config/load-config.js";
import { repoRef, type GitHub, type Log } from "../github/client.js";
import { withCalendarOwner } from "../google/calendar.js";
import { describeError } from "../github/errors.js";
import { withDeadline } from "../github/request-deadline.js";
import { getBotLogin, getInstalledRepo, listActiveInstallations, listConfiguredRepos } from "../github/installations.js";
import { GITHUB_COM_WEB_URL } from "../github/web-host.js";
import { syncAlarms, type AlarmOutcome, type SeriesFailure } from "../alarms/sync.js";
import { appIssues, type AppIssues } from "../github/alarm-issues.js";
import type { AppIssue, MeetingIssue } from "../github/meeting-issues.js";
import { loadRepoConfig, type InstalledRepo } from "../github/repo-config.js";
import type { calendar_v3 } from "@googleapis/calendar";
import { explainDueFrom } from "../schedule/due.js";
import { occurrenceSource, type OccurrenceSourceIo } from "../schedule/occurrence-source.js";
import { parseDuration } from "../schedule/duration.js";
import { scheduleFromConfig } from "../schedule/occurrences.js";
import type { GoogleDocs } from "../google/types.js";
import type { HackmdClient } from "../hackmd/client.js";
import type { AnnounceInput, ChatLoader } from "../announce/announce-meeting.js";
import { openMeeting, type OpenMeetingResult } from "./open-meeting.js";
import { DEFAULT_RUN_LIMITS, type RunLimits } from "./run-limits.js";
import { sendInstallationJob } from "./fan-out.js";
import { summarizeTick, type TickTrigger } from "./tick-summary.js";

/** How the tick reaches GitHub: `auth()` is the App (JWT), `auth(id)` an installation. */
export interface TickDeps {
  auth(installationId?: number): Promise<GitHub>;
  log: Log;
  /** The Google gateway, loaded on first use only (null when the App has no Google credentials). */
  google?: () => Promise<GoogleDocs | null>;
  /** The HackMD gateway, loaded on first use only (null when the App has no HackMD token). */
  hackmd?: () => Promise<HackmdClient | null>;
  /**
   * The chat gateway, loaded on first use only, by series with an `announce` block (null when
   * the operator configured no chat destination: their announcements fail and are reported).
   */
  chat?: ChatLoader;
  /** The Calendar client for `googleCalendar` schedules (null without Google credentials). */
  calendar?: () => Promise<calendar_v3.Calendar | null>;
  /** Reads an iCalendar feed (default: HTTPS with limits, see fetch-feed.ts). */
  fetchText?: (url: string) => Promise<string>;
  /**
   * The login the App's writes appear as. Default: `GET /app` with the App's JWT. A run with a
   * plain token (GitHub Actions) has no JWT and says who it is instead (`github-actions[bot]`).
   */
  botLogin?: () => Promise<string>;
  /** The App's public URL, for the series' calendar feed links in meeting issues. */
  publicUrl?: URL | null;
  /** The GitHub web host links start with (`gitHubWebUrl`); default `https://github.com`. */
  webUrl?: string;
  /**
   * Each installation's deadline, how many run at once (default DEFAULT_RUN_LIMITS), and the
   * fan-out, if any: where a full tick sends one job per installation instead.
   */
  limits?: Pick<RunLimits, "installationDeadlineMs" | "tickConcurrency" | "fanOut">;
  /** Sends one installation's job to the fan-out (default: sendInstallationJob over HTTP). */
  sendJob?: typeof sendInstallationJob;
  /** The timers deadlines are armed with (default: the global ones, when the tick starts). */
  timers?: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout };
}

export interface TickOptions {
  now: Date;
  /** Only this installation (an `installation` or `push` event). */
  installationId?: number;
  /** Only this repository, `owner/name` (needs `installationId`). */
  repository?: string;
  dryRun?: boolean;
  /**
   * The clock claims are stamped and aged with. Not `now`: a tick that started minutes ago
   * must not stamp its claim in the past, or another replica would take it over as stale.
   */
  clock?: () => Date;
  /** What started the run, for its summary line (the App's own triggers say; the CLI need not). */
  trigger?: TickTrigger;
}

/** One line of the tick's report per series it looked at. */
export interface SeriesOutcome {
  repository: string;
  series: string;
  /** `not-due` carries when the next meeting opens; the others what openMeeting did. */
  outcome: OpenMeetingResult | { action: "not-due"; next: string | null; opensAt: string | null } | { action: "failed"; error: string };
}

export interface TickReport {
  now: string;
  dryRun: boolean;
  installations: number;
  suspendedInstallations: number;
  repositories: number;
  configured: number;
  series: SeriesOutcome[];
  /** Each invalid config's first errors (at most 50) and how many more it had (`omitted`). */
  invalidConfigs: Array<{ repository: string; errors: ConfigError[]; omitted?: number }>;
  /** Missing-meeting alarm issues opened, updated or closed. */
  alarms: AlarmOutcome[];
  errors: Array<{ scope: string; error: string }>;
}

/**
 * The scheduled job: for every installation, every repository with `.github/meetings.yml`,
 * every series, open the meeting issue when its lead time has started. A pure function of
 * GitHub's state and `now`, so running it twice, or on two replicas at once, is harmless.
 *
 * One repository's failure (bad config, missing permission, GitHub error) is reported and
 * never stops the others. Installations run a few at a time (`limits.tickConcurrency`), each
 * within its deadline (`limits.installationDeadlineMs`): one that does not finish in time is
 * reported as an error, its requests are aborted, and the others go on.
 *
 * With a fan-out (`limits.fanOut`), a full writing tick visits no installation itself: it sends
 * one job per installation to the replicas (fan-out.ts), a few at a time, and its report is
 * their answers put together. A job, a dry run and a scoped tick always run here.
 */
export async function runTick(deps: TickDeps, options: TickOptions): Promise<TickReport> {
  const { log } = deps;
  const startedAt = performance.now();
  const report: TickReport = {
    now: options.now.toISOString(),
    dryRun: options.dryRun ?? false,
    installations: 0,
    suspendedInstallations: 0,
    repositories: 0,
    configured: 0,
    series: [],
    invalidConfigs: [],
    alarms: [],
    errors: [],
  };

  // The App's own client (JWT) is made only when needed: a job for one installation whose
  // caller knows the App's login (the server caches it) never uses it.
  const appGh = once(() => deps.auth());
  const run: TickRun = {
    botLogin: deps.botLogin ? await deps.botLogin() : await getBotLogin(await appGh()),
    options,
    report,
    log,
    google: deps.google ? once(deps.google) : undefined,
    hackmd: deps.hackmd ? once(deps.hackmd) : undefined,
    chat: deps.chat ? once(async () => deps.chat!()) : undefined,
    schedules: calendarIo(deps),
    publicUrl: deps.publicUrl ?? null,
    webUrl: deps.webUrl ?? GITHUB_COM_WEB_URL,
  };

  let installations: number[];
  if (options.installationId !== undefined) {
    installations = [options.installationId];
  } else {
    const listed = await listActiveInstallations(await appGh());
    installations = listed.active.map((installation) => installation.id);
    report.suspendedInstallations = listed.suspended;
  }
  report.installations = installations.length;
  log.info(
    { ...(options.trigger ? { trigger: options.trigger } : {}), installations: installations.length, suspended: report.suspendedInstallations },
    "tick started",
  );

  const limits = deps.limits ?? DEFAULT_RUN_LIMITS;
  const fanOut = options.installationId === undefined && !options.dryRun ? limits.fanOut : undefined;
  if (fanOut) {
    // One job per installation, a few in flight; each job has its installation's deadline, and
    // an answer late by more than a minute beyond it is given up on (the next tick carries on).
    const sendJob = deps.sendJob ?? sendInstallationJob;
    await eachAtMost(fanOut.concurrency, installations, async (installationId) => {
      const outcome = await sendJob(fanOut, installationId, { timeoutMs: limits.installationDeadlineMs + 60_000, log });
      if (outcome.status === "done") {
        mergePart(report, outcome.report);
      } else {
        report.errors.push({ scope: `installation ${installationId}`, error: `fan-out: ${outcome.error}` });
        log.error({ installation: installationId, attempts: outcome.attempts, err: outcome.error }, "installation job failed");
      }
    });
    log.info(summarizeTick(report, performance.now() - startedAt, options.trigger), "tick finished");
    return report;
  }

  // A few installations at a time, each within its deadline: a stuck or failing installation
  // holds up no other, and the run always ends.
  const timers = deps.timers ?? { setTimeout, clearTimeout };
  await eachAtMost(limits.tickConcurrency, installations, async (installationId) => {
    const part = emptyPart();
    const outcome = await withinDeadline(limits.installationDeadlineMs, timers, () =>
      deps.auth(installationId).then((gh) => tickInstallation({ ...run, report: part }, gh, installationId)),
    );
    // Only what finished in time counts; a late installation's part is dropped, its work aborted.
    if (outcome.status !== "timed-out") mergePart(report, part);
    if (outcome.status === "failed") {
      report.errors.push({ scope: `installation ${installationId}`, error: describeError(outcome.error) });
      log.error({ installation: installationId, err: describeError(outcome.error) }, "installation failed");
    } else if (outcome.status === "timed-out") {
      const error = `did not finish within its deadline of ${limits.installationDeadlineMs / 1000} s; the next tick carries on`;
      report.errors.push({ scope: `installation ${installationId}`, error });
      log.error({ installation: installationId, deadlineMs: limits.installationDeadlineMs }, "installation timed out");
    }
  });

  // The run's one summary line, whatever started it: counts only (see tick-summary.ts).
  log.info(summarizeTick(report, performance.now() - startedAt, options.trigger), "tick finished");
  return report;
}

/** What every step of one tick shares. */
interface TickRun {
  botLogin: string;
  options: TickOptions;
  report: TickReport;
  log: Log;
  google: (() => Promise<GoogleDocs | null>) | undefined;
  hackmd: (() => Promise<HackmdClient | null>) | undefined;
  chat: ChatLoader | undefined;
  schedules: OccurrenceSourceIo;
  publicUrl: URL | null;
  webUrl: string;
}

async function tickInstallation(run: TickRun, gh: GitHub, installationId: number): Promise<void> {
  const { options, report, log } = run;
  let repos: InstalledRepo[];
  let texts: Map<string, string> | undefined;
  if (options.repository) {
    const { owner, repo } = repoRef(options.repository);
    repos = [await getInstalledRepo(gh, owner, repo)];
    report.repositories += 1;
  } else {
    // Listed and discovered page by page (archived repositories, read-only, left out).
    const listed = await listConfiguredRepos(gh);
    report.repositories += listed.listed;
    texts = listed.texts;
    repos = listed.repos;
  }
  log.debug({ installation: installationId, repositories: repos.length }, "repositories with config");

  for (const repo of repos) {
    try {
      await tickRepository(run, gh, repo, texts?.get(repo.fullName));
    } catch (error) {
      report.errors.push({ scope: repo.fullName, error: describeError(error) });
      log.error({ repo: repo.fullName, err: describeError(error) }, "repository failed");
    }
  }
}

async function tickRepository(run: TickRun, gh: GitHub, repo: InstalledRepo, text: string | undefined): Promise<void> {
  const { report, log } = run;
  const ref = repoRef(repo.fullName);
  const loaded = await loadRepoConfig(gh, ref, text);
  if (loaded.status === "none") {
    log.debug({ repo: repo.fullName }, "skipped: no .github/meetings.yml");
    return;
  }
  // The App's issues, listed at most once per repository and only when needed: meetings
  // (some series is due) and alarms (something failed, or may have been fixed).
  const issues = appIssues(gh, ref, run.botLogin);
  const alarms = {
    gh,
    repository: repo.fullName,
    defaultBranch: repo.defaultBranch,
    webUrl: run.webUrl,
    botLogin: run.botLogin,
    now: run.options.now,
    log,
    dryRun: run.options.dryRun,
    issues,
    thorough: run.options.repository !== undefined,
  };
  if (loaded.status === "invalid") {
    report.invalidConfigs.push({ repository: repo.fullName, errors: loaded.errors, omitted: loaded.omitted });
    log.warn({ repo: repo.fullName, errors: loaded.errors, omitted: loaded.omitted }, "skipped: invalid .github/meetings.yml");
    report.alarms.push(...(await syncAlarms({ ...alarms, config: loaded })));
    return;
  }
  report.configured++;

  const failures = new Map<string, SeriesFailure>();
  const outcomes: SeriesOutcome[] = [];
  for (const series of loaded.config.meetings) {
    const outcome = await tickSeries(run, gh, repo, series, issues, failures);
    outcomes.push({ repository: repo.fullName, series: series.id, outcome });
  }
  report.series.push(...outcomes);
  report.alarms.push(...(await syncAlarms({ ...alarms, config: loaded, outcomes, failures })));
}

async function tickSeries(
  run: TickRun,
  gh: GitHub,
  repo: InstalledRepo,
  series: SeriesConfig,
  issues: AppIssues,
  failures: Map<string, SeriesFailure>,
): Promise<SeriesOutcome["outcome"]> {
  const { options, log } = run;
  const ctx = { repo: repo.fullName, series: series.id };
  let meetingStart: Date | undefined;
  let opened: OpenMeetingResult | null = null;
  let outcome: SeriesOutcome["outcome"];
  try {
    // Calendars are read as this repository's owner: an allow-list entry scoped to another owner
    // does not open them.
    const source = occurrenceSource(scheduleFromConfig(series.schedule), withCalendarOwner(run.schedules, repoRef(repo.fullName).owner));
    const due = await explainDueFrom(source, parseDuration(series.createBefore), options.now);
    const next = due.next?.start.toISOString() ?? null;
    const opensAt = due.opensAt?.toISOString() ?? null;
    if (!due.due || !due.next) {
      log.debug({ ...ctx, next, opensAt }, due.next ? "not due: the lead time has not started" : "not due: the series has ended");
      outcome = { action: "not-due", next, opensAt };
    } else {
      meetingStart = due.next.start;
      log.info({ ...ctx, at: next, opensAt }, "meeting due");
      opened = await openMeeting({
        gh,
        repo: repoRef(repo.fullName),
        defaultBranch: repo.defaultBranch,
        series,
        occurrence: due.next,
        now: options.now,
        ...(options.clock ? { clock: options.clock } : {}),
        botLogin: run.botLogin,
        dryRun: options.dryRun ?? false,
        log,
        known: await issues.meetings(),
        // The same listing (no extra request): the open action items of earlier meetings.
        appIssues: await issues.all(),
        ...(run.google ? { google: run.google } : {}),
        ...(run.hackmd ? { hackmd: run.hackmd } : {}),
        publicUrl: run.publicUrl,
        webUrl: run.webUrl,
      });
      outcome = opened;
    }
  } catch (error) {
    failures.set(series.id, { error, meetingStart });
    log.error({ ...ctx, err: describeError(error) }, "series failed");
    outcome = { action: "failed", error: describeError(error) };
  }
  // Whatever this run did: the meeting it just opened, a meeting moved past the series' next
  // slot, and the meetings already open when a calendar or GitHub outage failed this run's step
  // all get what they owe. Chat never holds up the meeting: announceMeetings never throws.
  if (series.announce) await announceMeetings(run, gh, repo, series, issues, opened);
  return outcome;
}

/**
 * The chat announcements a series' meetings owe now (src/announce/): the meeting just opened,
 * then every meeting of the series the App's issues show whose start is still ahead (open, or
 * cancelled: a failed post is retried), whether or not the series' next slot is due (a meeting
 * moved past it still gets its reminder). The App's issues are the repository's one shared
 * listing; a meeting with nothing due costs no further request. The announce code is loaded
 * only for a series with an `announce` block. Never throws: announcements never fail a series.
 */
async function announceMeetings(
  run: TickRun,
  gh: GitHub,
  repo: InstalledRepo,
  series: SeriesConfig,
  issues: AppIssues,
  opened: OpenMeetingResult | null,
): Promise<void> {
  let meetings: MeetingIssue[];
  let listed: AppIssue[];
  try {
    listed = await issues.all();
    meetings = await issues.meetings();
  } catch (error) {
    run.log.warn({ repo: repo.fullName, series: series.id, err: describeError(error) }, "announcements skipped: the App's issues could not be listed");
    return;
  }
  let announceMeeting: typeof import("../announce/announce-meeting.js").announceMeeting;
  try {
    ({ announceMeeting } = await import("../announce/announce-meeting.js"));
  } catch (error) {
    run.log.error({ repo: repo.fullName, series: series.id, err: describeError(error) }, "announcements skipped: the announce code could not be loaded");
    return;
  }
  const { options } = run;
  const base: Omit<AnnounceInput, "issue"> = {
    gh,
    repo: repoRef(repo.fullName),
    defaultBranch: repo.defaultBranch,
    series,
    chat: run.chat,
    botLogin: run.botLogin,
    now: options.now,
    clock: options.clock,
    log: run.log,
    dryRun: options.dryRun ?? false,
    // The shared listing: a post that succeeds closes its destination's chat alarm, if open.
    issues: listed,
  };
  // Just created: not in the listing, read fresh (the doc may be linked by now).
  if (opened?.action === "created") await announceMeeting({ ...base, issue: { number: opened.number } });
  const now = options.now.getTime();
  for (const meeting of meetings) {
    if (meeting.marker.series !== series.id || Date.parse(meeting.marker.at) <= now) continue;
    if (meeting.state !== "open" && !meeting.marker.cancelled) continue;
    await announceMeeting({ ...base, issue: { number: meeting.number, url: meeting.url, title: meeting.title, body: meeting.body, state: meeting.state } });
  }
}

/** A report's per-installation parts, filled by one installation and merged once it finished. */
type ReportPart = Pick<TickReport, "repositories" | "configured" | "series" | "invalidConfigs" | "alarms" | "errors">;

function emptyPart(): TickReport {
  return {
    now: "",
    dryRun: false,
    installations: 0,
    suspendedInstallations: 0,
    repositories: 0,
    configured: 0,
    series: [],
    invalidConfigs: [],
    alarms: [],
    errors: [],
  };
}

function mergePart(report: TickReport, part: ReportPart): void {
  report.repositories += part.repositories;
  report.configured += part.configured;
  report.series.push(...part.series);
  report.invalidConfigs.push(...part.invalidConfigs);
  report.alarms.push(...part.alarms);
  report.errors.push(...part.errors);
}

/** Runs `work` for every item, at most `limit` at a time; `work` must not throw. */
async function eachAtMost<T>(limit: number, items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

type DeadlineOutcome = { status: "done" } | { status: "failed"; error: unknown } | { status: "timed-out" };

/**
 * Runs `work` until it settles or `ms` pass, whichever is first. At the deadline every GitHub
 * request `work` has in flight or still sends fails at once (request-deadline.ts), so a stuck
 * request stops instead of lingering; Google requests end by their own timeout.
 */
async function withinDeadline(
  ms: number,
  timers: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout },
  work: () => Promise<unknown>,
): Promise<DeadlineOutcome> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<DeadlineOutcome>((resolve) => {
    timer = timers.setTimeout(() => {
      controller.abort(new DOMException(`the installation's deadline of ${ms} ms passed`, "AbortError"));
      resolve({ status: "timed-out" });
    }, ms);
  });
  const finished = withDeadline(controller.signal, work).then(
    (): DeadlineOutcome => ({ status: "done" }),
    (error: unknown): DeadlineOutcome => ({ status: "failed", error }),
  );
  try {
    return await Promise.race([finished, deadline]);
  } finally {
    timers.clearTimeout(timer);
  }
}

/** Memoises an async factory: the Google and HackMD clients are built at most once per tick, and only if used. */
function once<T>(factory: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= factory());
}
