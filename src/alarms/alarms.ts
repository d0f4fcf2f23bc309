import type { GitHub, RepoRef } from "../github/client.js";
import { alarmIssuesOf, commentOnIssue, createAlarmIssue, editAlarmIssue, type AlarmIssue } from "../github/alarm-issues.js";
import { listAppIssues, type AppIssue } from "../github/meeting-issues.js";
import {
  alarmCauseOf,
  alarmText,
  causeChangedComment,
  duplicateComment,
  normalizeBody,
  reopenedComment,
  resolvedComment,
  type AlarmContent,
  type AlarmResolution,
} from "./alarm-text.js";
import { scopeKey, withAlarmMarker, type AlarmScope } from "../state/alarm-marker.js";

/** What the caller already knows; `issues` saves the listing request when the tick has it. */
interface Known {
  /** The App's own login (`slug[bot]`): only its issues are alarms. */
  botLogin: string;
  /** The App's issues of the repository (`listAppIssues`), if already listed. */
  issues?: readonly AppIssue[] | undefined;
}

export type RaiseAlarmInput = AlarmContent & Known & { now: Date };

export interface RaiseAlarmResult {
  /**
   * `opened` a new alarm; `updated` the open one (its text changed); `reopened` one a person
   * had closed, because the problem is different now; `unchanged`: the open alarm already
   * says this, or a person closed it while it said exactly this (the App does not nag).
   */
  action: "opened" | "updated" | "reopened" | "unchanged";
  number: number;
  url: string;
}

/**
 * Opens the alarm for a scope, or brings the existing one up to date: never a second one.
 *
 * - An open alarm is edited only when its text changed (no edit, no notification otherwise),
 *   with one comment when the *cause* changed. Two open alarms of one scope (two runs raced)
 *   are folded into the older one.
 * - An alarm a person closed while the problem lasted is respected while the text is the
 *   same, and reopened (with a comment) when the problem changes. One the App closed itself
 *   (the problem went away; the marker says `resolved`) is history: a new problem opens a new
 *   alarm.
 *
 * Requests: the listing (unless `issues` is given), then at most two writes.
 */
export async function raiseAlarm(gh: GitHub, repo: RepoRef, input: RaiseAlarmInput): Promise<RaiseAlarmResult> {
  const alarms = await alarmsOfScope(gh, repo, input, input);
  const text = alarmText(input);
  const cause = alarmCauseOf(text.body) ?? input.cause;

  const [keep, ...duplicates] = alarms.filter((alarm) => alarm.state === "open");
  if (keep) {
    for (const duplicate of duplicates) await resolve(gh, repo, duplicate, duplicateComment(keep.number));
    if (sameText(keep, text)) return { action: "unchanged", number: keep.number, url: keep.url };
    await editAlarmIssue(gh, repo, keep.number, { title: text.title, body: text.body });
    if (alarmCauseOf(keep.body) !== cause) await commentOnIssue(gh, repo, keep.number, causeChangedComment(cause, input.now));
    return { action: "updated", number: keep.number, url: keep.url };
  }

  const latest = alarms.at(-1);
  if (latest && !latest.marker.resolved) {
    if (sameText(latest, text)) return { action: "unchanged", number: latest.number, url: latest.url };
    await editAlarmIssue(gh, repo, latest.number, { title: text.title, body: text.body, state: "open" });
    await commentOnIssue(gh, repo, latest.number, reopenedComment(cause, input.now));
    return { action: "reopened", number: latest.number, url: latest.url };
  }

  const created = await createAlarmIssue(gh, repo, text);
  return { action: "opened", number: created.number, url: created.url };
}

export type ClearAlarmInput = AlarmScope & Known & { resolvedBy: AlarmResolution };

export type ClearAlarmResult = { action: "closed"; number: number; url: string } | { action: "none" };

/**
 * Closes the scope's open alarm with a comment saying what resolved it (the meeting issue's
 * link, or that the config is valid again), and marks it `resolved`. An alarm a person closed
 * while the problem lasted is marked resolved too (silently), so that the same problem coming
 * back later raises a new alarm instead of being taken as muted.
 *
 * Requests: the listing (unless `issues` is given); nothing else when there is no alarm.
 */
export async function clearAlarm(gh: GitHub, repo: RepoRef, input: ClearAlarmInput): Promise<ClearAlarmResult> {
  const alarms = await alarmsOfScope(gh, repo, input, input);
  let closed: AlarmIssue | undefined;
  for (const alarm of alarms) {
    if (alarm.state === "open") {
      await resolve(gh, repo, alarm, resolvedComment(input, input.resolvedBy));
      closed ??= alarm;
    } else if (!alarm.marker.resolved) {
      await editAlarmIssue(gh, repo, alarm.number, { body: withAlarmMarker(alarm.body, { ...alarm.marker, resolved: true }) });
    }
  }
  return closed ? { action: "closed", number: closed.number, url: closed.url } : { action: "none" };
}

/** The App's alarms of one scope, oldest first. */
async function alarmsOfScope(gh: GitHub, repo: RepoRef, scope: AlarmScope, known: Known): Promise<AlarmIssue[]> {
  const issues = known.issues ?? (await listAppIssues(gh, repo, known.botLogin));
  const key = scopeKey(scope);
  return alarmIssuesOf(issues, known.botLogin)
    .filter((alarm) => scopeKey(alarm.marker) === key)
    .sort((a, b) => a.number - b.number);
}

/** Comment first (so the reason is visible), then close and mark resolved in one edit. */
async function resolve(gh: GitHub, repo: RepoRef, alarm: AlarmIssue, comment: string): Promise<void> {
  await commentOnIssue(gh, repo, alarm.number, comment);
  await editAlarmIssue(gh, repo, alarm.number, {
    state: "closed",
    body: withAlarmMarker(alarm.body, { ...alarm.marker, resolved: true }),
  });
}

function sameText(issue: AlarmIssue, text: { title: string; body: string }): boolean {
  return issue.title === text.title && normalizeBody(issue.body) === normalizeBody(text.body);
}
