import type { ConfigError } from "../config/load-config.js";
import type { MeetingsConfig } from "../config/schema.js";
import { repoRef, type GitHub, type Log } from "../github/client.js";
import { alarmIssuesOf, type AppIssues } from "../github/alarm-issues.js";
import { describeError } from "../github/errors.js";
import { GITHUB_COM_WEB_URL } from "../github/web-host.js";
import type { AppIssue } from "../github/meeting-issues.js";
import { clearAlarm, raiseAlarm } from "./alarms.js";
import type { AlarmResolution } from "./alarm-text.js";
import { configAlarm, seriesFailureAlarm } from "./causes.js";

/** A series whose due meeting could not be opened, as the tick caught it. */
export interface SeriesFailure {
  error: unknown;
  /** The due meeting's start; unset when the series failed before it was known (its schedule). */
  meetingStart?: Date | undefined;
}

export interface SyncAlarmsInput {
  gh: GitHub;
  /** `owner/name`. */
  repository: string;
  defaultBranch: string;
  /**
   * The GitHub web host the alarms' links start with (`gitHubWebUrl`, read once at start-up).
   * Default `https://github.com`; a GitHub Enterprise Server passes its own.
   */
  webUrl?: string | undefined;
  botLogin: string;
  now: Date;
  log: Log;
  /** A dry run writes nothing, alarms included. */
  dryRun?: boolean | undefined;
  /** The App's issues of the repository, shared with the meeting look-up (one listing). */
  issues: AppIssues;
  /**
   * Look for alarms to close even when nothing else listed the App's issues (one request). Set
   * it for runs of one repository, e.g. after a push of its config: that is when a config
   * alarm is fixed. Otherwise config and removed-series alarms are closed on the next tick that
   * lists the App's issues anyway (some meeting is due).
   */
  thorough?: boolean | undefined;
  /** `omitted`: how many errors the config had beyond `errors` (the first 50). */
  config: { status: "invalid"; errors: ConfigError[]; omitted?: number } | { status: "ok"; config: MeetingsConfig };
  /** What each series did this tick (`report.series` of this repository fits). */
  outcomes?: ReadonlyArray<{ series: string; outcome: { action: string; number?: number; url?: string } }>;
  /** The failures behind the `failed` outcomes, by series id. */
  failures?: ReadonlyMap<string, SeriesFailure>;
}

/** One alarm the tick raised or cleared, for its report and logs. */
export interface AlarmOutcome {
  repository: string;
  scope: "config" | "series";
  series?: string;
  action: "opened" | "updated" | "reopened" | "unchanged" | "closed" | "failed";
  number?: number;
  error?: string;
}

/**
 * Brings one repository's alarms in line with what its tick found: an invalid config raises
 * the `config` alarm; a series that failed for a lasting reason raises its own; a series whose
 * meeting issue is open (created or found) closes its alarm, a valid config closes the config
 * alarm, and a series gone from the config has its alarm closed.
 *
 * Requests: none when nothing failed and the App's issues were not listed; otherwise the one
 * shared listing plus only the writes that change something. Never throws: an alarm that
 * cannot be written (the App may lack the very permission it would ask for) is logged and
 * reported as `failed`.
 */
export async function syncAlarms(input: SyncAlarmsInput): Promise<AlarmOutcome[]> {
  const { gh, repository, log, config } = input;
  if (input.dryRun) return [];
  const repo = repoRef(repository);
  const results: AlarmOutcome[] = [];
  const base = { botLogin: input.botLogin };
  const webUrl = input.webUrl ?? GITHUB_COM_WEB_URL;

  async function attempt(
    scope: { scope: "config" } | { scope: "series"; series: string },
    action: () => Promise<{ action: AlarmOutcome["action"] | "none"; number?: number }>,
  ): Promise<void> {
    const where = { repository, scope: scope.scope, ...(scope.scope === "series" ? { series: scope.series } : {}) };
    try {
      const done = await action();
      if (done.action === "none") return;
      results.push({ ...where, action: done.action, ...(done.number !== undefined ? { number: done.number } : {}) });
      const line = { repo: repository, scope: scope.scope, series: where.series, issue: done.number };
      if (done.action === "unchanged") log.debug(line, "alarm unchanged");
      else log.info(line, `alarm ${done.action}`);
    } catch (error) {
      results.push({ ...where, action: "failed", error: describeError(error) });
      log.warn({ repo: repository, scope: scope.scope, series: where.series, err: describeError(error) }, "alarm could not be written");
    }
  }

  if (config.status === "invalid") {
    const content = configAlarm({ webUrl, repository, defaultBranch: input.defaultBranch, errors: config.errors, omitted: config.omitted ?? 0 });
    const issues = await listed(input);
    if (!issues.ok) return [{ repository, scope: "config", action: "failed", error: issues.error }];
    await attempt({ scope: "config" }, () => raiseAlarm(gh, repo, { ...content, ...base, now: input.now, issues: issues.list }));
    return results;
  }

  const seriesById = new Map(config.config.meetings.map((series) => [series.id, series]));
  const raises = [...(input.failures ?? new Map<string, SeriesFailure>())].flatMap(([id, failure]) => {
    const series = seriesById.get(id);
    if (!series) return [];
    const content = seriesFailureAlarm(failure.error, {
      webUrl,
      repository,
      defaultBranch: input.defaultBranch,
      series,
      now: input.now,
      meetingStart: failure.meetingStart,
    });
    return content ? [content] : [];
  });
  const opened = (input.outcomes ?? []).flatMap(({ series, outcome }) =>
    (outcome.action === "created" || outcome.action === "exists") && outcome.number !== undefined && outcome.url !== undefined
      ? [{ series, resolvedBy: { number: outcome.number, url: outcome.url } }]
      : [],
  );
  if (raises.length === 0 && !input.issues.fetched && !input.thorough) return results;

  const issues = await listed(input);
  if (!issues.ok) {
    return raises.map((content) => ({ repository, scope: "series", series: content.scope === "series" ? content.series : "", action: "failed", error: issues.error }));
  }
  const list = issues.list;

  for (const content of raises) {
    if (content.scope !== "series") continue;
    await attempt({ scope: "series", series: content.series }, () => raiseAlarm(gh, repo, { ...content, ...base, now: input.now, issues: list }));
  }
  for (const { series, resolvedBy } of opened) {
    await attempt({ scope: "series", series }, () => clearAlarm(gh, repo, { scope: "series", series, resolvedBy, ...base, issues: list }));
  }
  // Alarms whose problem is gone though no series speaks for them: the config, and removed series.
  const stale = new Map<string, { scope: "config" } | { scope: "series"; series: string }>();
  for (const alarm of alarmIssuesOf(list, input.botLogin)) {
    if (alarm.marker.resolved) continue;
    if (alarm.marker.scope === "config") stale.set("config", { scope: "config" });
    else if (!seriesById.has(alarm.marker.series)) stale.set(`series:${alarm.marker.series}`, { scope: "series", series: alarm.marker.series });
  }
  for (const scope of stale.values()) {
    const resolvedBy: AlarmResolution = scope.scope === "config" ? "config-valid" : "series-removed";
    await attempt(scope, () => clearAlarm(gh, repo, { ...scope, resolvedBy, ...base, issues: list }));
  }
  return results;
}

async function listed(input: SyncAlarmsInput): Promise<{ ok: true; list: AppIssue[] } | { ok: false; error: string }> {
  try {
    return { ok: true, list: await input.issues.all() };
  } catch (error) {
    input.log.warn({ repo: input.repository, err: describeError(error) }, "alarms skipped: the App's issues could not be listed");
    return { ok: false, error: describeError(error) };
  }
}
