/** What started a tick: logged with its summary, so a log query can tell the triggers apart. */
export type TickTrigger = "interval" | "route" | "installation" | "config-push" | "agenda-event";

/**
 * The parts of a tick's report the summary counts (`TickReport` in tick.ts has them all; kept
 * structural so that this file does not import the tick it summarises).
 */
export interface CountableReport {
  dryRun: boolean;
  installations: number;
  suspendedInstallations: number;
  repositories: number;
  configured: number;
  invalidConfigs: unknown[];
  series: Array<{ outcome: { action: string; doc?: { status: string; created?: boolean }; agenda?: string } }>;
  alarms: Array<{ action: string }>;
  errors: unknown[];
}

/**
 * The one line a finished tick logs (`tick finished`): counts only. Titles, URLs and error texts
 * stay in the report and in the per-repository lines, so the summary can never carry a secret
 * and always has the same shape for a log query or an alert.
 */
export interface TickSummary {
  /** What started the run (absent for callers that do not say, such as the CLI). */
  trigger?: TickTrigger;
  dryRun: boolean;
  durationMs: number;
  installations: number;
  suspended: number;
  repositories: number;
  /** Repositories with a valid `.github/meetings.yml`. */
  configured: number;
  invalidConfigs: number;
  series: number;
  /** Meeting issues opened by this run. */
  created: number;
  /** Meetings already open (the usual answer between two openings). */
  exists: number;
  /** Another run (a replica, a webhook) held the occurrence's claim. */
  claimedElsewhere: number;
  notDue: number;
  /** Dry runs: meetings that would have opened. */
  wouldCreate: number;
  failed: number;
  /** Minutes docs created by this run, and links that could not be made. */
  docsCreated: number;
  docsFailed: number;
  /** Open meetings whose agenda this run rewrote. */
  agendasUpdated: number;
  /** Missing-meeting alarm issues opened or reopened, updated, closed, and failed to sync. */
  alarmsRaised: number;
  alarmsUpdated: number;
  alarmsClosed: number;
  alarmsFailed: number;
  /** Installations or repositories that failed as a whole. */
  errors: number;
}

/** Counts a tick's report into its summary line. */
export function summarizeTick(report: CountableReport, durationMs: number, trigger?: TickTrigger): TickSummary {
  const outcomes = report.series.map((s) => s.outcome);
  const count = (action: string) => outcomes.filter((outcome) => outcome.action === action).length;
  const docs = outcomes.flatMap((outcome) => (outcome.doc ? [outcome.doc] : []));
  const alarms = (...actions: string[]) => report.alarms.filter((alarm) => actions.includes(alarm.action)).length;
  return {
    ...(trigger ? { trigger } : {}),
    dryRun: report.dryRun,
    durationMs: Math.round(durationMs),
    installations: report.installations,
    suspended: report.suspendedInstallations,
    repositories: report.repositories,
    configured: report.configured,
    invalidConfigs: report.invalidConfigs.length,
    series: outcomes.length,
    created: count("created"),
    exists: count("exists"),
    claimedElsewhere: count("claimed-elsewhere"),
    notDue: count("not-due"),
    wouldCreate: count("dry-run"),
    failed: count("failed"),
    docsCreated: docs.filter((doc) => doc.status === "linked" && doc.created).length,
    docsFailed: docs.filter((doc) => doc.status === "failed").length,
    agendasUpdated: outcomes.filter((outcome) => outcome.action === "exists" && outcome.agenda === "updated").length,
    alarmsRaised: alarms("opened", "reopened"),
    alarmsUpdated: alarms("updated"),
    alarmsClosed: alarms("closed"),
    alarmsFailed: alarms("failed"),
    errors: report.errors.length,
  };
}
