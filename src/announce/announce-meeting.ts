import type { AnnounceConfig, AnnounceMoment } from "../config/announce-schema.js";
import type { SeriesConfig } from "../config/schema.js";
import { CHAT_ENV } from "../chat/destinations.js";
import { ChatError, type ChatGateway, type ChatMessage } from "../chat/types.js";
import { claimRef } from "../github/claims.js";
import type { GitHub, Log, RepoRef } from "../github/client.js";
import { describeError, isAlreadyExists, isNotFound } from "../github/errors.js";
import type { AppIssue } from "../github/meeting-issues.js";
import { fetchTextFile } from "../github/repo-files.js";
import { raiseChatAlarm, clearChatAlarm, hasOpenChatAlarm } from "../alarms/chat-alarm.js";
import { redactSecrets } from "../alarms/markdown.js";
import { markerOccurrence } from "../meetings/refresh-agenda.js";
import { readDocSection } from "../render/doc-section.js";
import { TemplateError } from "../render/template-error.js";
import { MAX_ANNOUNCE_FAILURES, MAX_ANNOUNCED, parseMarker, withMarker, type AnnounceFailure, type MeetingMarker } from "../state/meeting-marker.js";
import { ANNOUNCE_LEASE_MS, announceRefs } from "./announce-refs.js";
import { ALARM_AFTER_FAILURES, dueAnnouncements, type DueAnnouncement } from "./due.js";
import { renderAnnouncement, type AnnouncementFacts } from "./render-announcement.js";

/**
 * Posts the chat announcements a meeting owes now (due.ts), each exactly once per meeting,
 * moment and destination, across re-runs, concurrent runs and redelivered events:
 *
 * 1. The marker's `announced` keys are skipped without a request.
 * 2. Per key: its `sent` ref (announce-refs.ts) says whether an earlier run posted it but its
 *    record was lost; then a claim ref (claims.ts, lease 10 minutes) so that of two runs only
 *    one posts; a run taking over a stale claim looks at the `sent` ref again first, and counts
 *    a claim its holder left without a record or a failure as posted (except on Matrix).
 * 3. The post; on success its `sent` ref.
 * 4. Once for the meeting: the issue is read again and the keys sent (and those a message stood
 *    for) are added to its marker, failures counted (`announceFailures`), in one edit.
 * 5. A key that failed {@link ALARM_AFTER_FAILURES} times raises the chat alarm of its
 *    destination (src/alarms/chat-alarm.ts); a post that succeeds after failures closes it.
 *
 * Never throws: a failing destination, template or GitHub request is logged and counted, and
 * the meeting's other steps go on. With no key due it makes no request at all.
 */

/** A series that may announce (the `announce` block is optional). */
export type AnnouncingSeries = SeriesConfig & { announce?: AnnounceConfig | undefined };

/** Loads the chat gateway on first use; null when the operator configured no destination. */
export type ChatLoader = () => ChatGateway | null | Promise<ChatGateway | null>;

export interface AnnounceInput {
  gh: GitHub;
  repo: RepoRef;
  /** Claims point into the repository's history: they need a commit of its default branch. */
  defaultBranch: string;
  series: AnnouncingSeries;
  /**
   * The meeting issue. With `body` (a listing's), due keys are worked out from it first, and
   * the issue is read again only when some are due.
   */
  issue: { number: number; url?: string; title?: string; body?: string; state?: "open" | "closed" };
  chat: ChatLoader | undefined;
  botLogin: string;
  now: Date;
  /** The wall clock claims are stamped with (default: the real one). */
  clock?: (() => Date) | undefined;
  log: Log;
  /** What asks (see DueInput.event); undefined for the tick. */
  event?: "moved" | "cancelled" | "merged";
  /** For `merged`: the minutes file and the action items not done (with their issues, when opened). */
  merged?: { minutes: { path: string; url: string }; actionItems: ReadonlyArray<{ text: string; owners: readonly string[]; url?: string | null }> };
  /**
   * The App's issues, if the caller listed them (the tick): a post that succeeds closes its
   * destination's open chat alarm when the listing shows one. Without it, only a meeting whose
   * own marker counted failures of the destination looks for its alarm (one listing). An alarm
   * is always raised from a fresh listing (one raised earlier in the same run is not missed).
   */
  issues?: readonly AppIssue[] | undefined;
  dryRun?: boolean;
}

export interface AnnounceResult {
  /** Keys posted (and those they stood for) or found posted, now in the marker. */
  sent: string[];
  /** Keys whose post failed, with public-safe reasons. */
  failed: Array<{ key: string; reason: string }>;
  /** Keys left to another run (claimed), or not posted for another reason. */
  skipped: Array<{ key: string; why: string }>;
}

interface IssueNow {
  number: number;
  url: string;
  title: string;
  body: string;
  state: "open" | "closed";
  marker: MeetingMarker;
}

/** Posts what a meeting owes now; see the module comment. */
export async function announceMeeting(input: AnnounceInput): Promise<AnnounceResult> {
  const result: AnnounceResult = { sent: [], failed: [], skipped: [] };
  const { series, log } = input;
  const announce = series.announce;
  if (!announce) return result;
  const ctx = { repo: `${input.repo.owner}/${input.repo.repo}`, series: series.id, issue: input.issue.number };
  try {
    // A listing's body says cheaply whether anything is due; only then is the issue read fresh.
    if (input.issue.body !== undefined && input.issue.state !== undefined) {
      const listed = parseMarker(input.issue.body);
      if (!listed || owed(input, announce, listed, input.issue.state === "open").length === 0) return result;
    }
    const issue = await readIssue(input.gh, input.repo, input.issue.number, input.botLogin);
    if (!issue || issue.marker.series !== series.id) return result;
    const due = owed(input, announce, issue.marker, issue.state === "open");
    if (due.length === 0) return result;
    if (input.dryRun) {
      log.info({ ...ctx, keys: due.map((announcement) => announcement.key) }, "dry run: would announce in chat");
      result.skipped.push(...due.map((announcement) => ({ key: announcement.key, why: "dry run" })));
      return result;
    }
    await post(input, announce, issue, due, result);
  } catch (error) {
    // GitHub failed (reading the issue, a claim, the record): the next run tries again.
    log.error({ ...ctx, err: describeError(error) }, "announcements failed: the meeting goes on");
  }
  return result;
}

function owed(input: AnnounceInput, announce: AnnounceConfig, marker: MeetingMarker, open: boolean): DueAnnouncement[] {
  const zone = markerOccurrence(input.series, marker).zone;
  return dueAnnouncements({ announce, marker, open, zone, now: input.now, ...(input.event ? { event: input.event } : {}) });
}

/** The meeting issue as it is now; null unless the App opened it and it has its marker (a pasted marker is never trusted). */
async function readIssue(gh: GitHub, repo: RepoRef, number: number, botLogin: string): Promise<IssueNow | null> {
  const { data } = await gh.rest.issues.get({ ...repo, issue_number: number });
  if (data.user?.login?.toLowerCase() !== botLogin.toLowerCase()) return null;
  const marker = parseMarker(data.body);
  if (!marker) return null;
  return { number, url: data.html_url, title: data.title, body: data.body ?? "", state: data.state === "closed" ? "closed" : "open", marker };
}

async function post(input: AnnounceInput, announce: AnnounceConfig, issue: IssueNow, due: DueAnnouncement[], result: AnnounceResult): Promise<void> {
  const { gh, repo, series, log } = input;
  const ctx = { repo: `${repo.owner}/${repo.repo}`, series: series.id, issue: issue.number };
  // A gateway that cannot be loaded (the operator's WG_MEETINGS_CHAT is malformed) fails each
  // due key like a failing destination: counted, retried, and reported by the chat alarm after
  // repeated failures, instead of ending the announcements with one log line every tick.
  let chat: ChatGateway | null = null;
  let unusable: ChatError | null = null;
  try {
    chat = input.chat ? await input.chat() : null;
  } catch (error) {
    log.error({ ...ctx, err: safeError(error) }, "the chat gateway could not be loaded");
    unusable = new ChatError(
      "failed",
      `the App's chat settings (${CHAT_ENV}) could not be read, so the App posts no announcement: the App's operator must fix them (the details are in the App's logs)`,
    );
  }
  const scheduled = new Date(issue.marker.movedFrom ?? issue.marker.at);
  const clock = input.clock ?? (() => new Date());
  const messages = new Map<AnnounceMoment, ChatMessage | AnnounceTemplateError>();
  let head: { tree: string; sha: string } | undefined;
  const errors = new Map<string, unknown>();

  for (const announcement of due) {
    const where = { ...ctx, key: announcement.key, destination: announcement.destination };
    const refs = announceRefs(series.id, scheduled, announcement.key);
    // Only the destination's failures count towards its alarm; GitHub's (a claim, a ref) do not.
    let posting = false;
    try {
      if (unusable) throw unusable;
      if (!chat || !isUsable(chat, announcement.destination, repo.owner, log, where)) {
        throw new ChatError("not-configured", `no chat destination named "${announcement.destination}" is open to ${repo.owner}: the App's operator defines them in ${CHAT_ENV}, with the owners that may use each`);
      }
      // Posted by an earlier run whose record was lost: record it, post nothing.
      if (await refExists(gh, repo, refs.sent)) {
        result.sent.push(announcement.key, ...announcement.covers);
        continue;
      }
      const message = await messageOf(input, announce, issue, announcement, messages);
      if (message instanceof AnnounceTemplateError) throw message;
      head ??= await branchHead(gh, repo, input.defaultBranch);
      const claim = await claimRef(gh, repo, { ref: refs.claim, label: `announce ${announcement.key}`, tree: head.tree, now: clock(), leaseMs: ANNOUNCE_LEASE_MS });
      if (!claim.acquired) {
        log.info({ ...where, reason: claim.reason }, "announcement left to another run, which is posting it");
        result.skipped.push({ key: announcement.key, why: "claimed by another run" });
        continue;
      }
      if (claim.tookOver && (await refExists(gh, repo, refs.sent))) {
        result.sent.push(announcement.key, ...announcement.covers);
        continue;
      }
      // A stale claim with no sent ref and no failure recorded: the run that took it stopped
      // around its post and recorded nothing (the run's deadline ended it mid-request, which also
      // ends every GitHub request after it; or a crash). Most likely the request went out: as for
      // a post that got no answer, it counts as sent rather than showing twice, except where the
      // service drops repeats (Matrix). A post that failed for sure recorded its failure, and is tried again.
      if (claim.tookOver && !Object.hasOwn(issue.marker.announceFailures ?? {}, announcement.key) && chat.destination(announcement.destination, repo.owner)?.service !== "matrix") {
        log.warn({ ...where, reason: claim.ref }, "announcement may have been posted by a run that stopped before recording it: not posted again, so that it does not show twice");
        result.sent.push(announcement.key, ...announcement.covers);
        await markSent(gh, repo, refs.sent, head.sha, log, where);
        continue;
      }
      // The key lets a service that recognises a repeated post (Matrix) drop a retried one.
      const key = `${repo.owner}/${repo.repo}#${issue.number} ${announcement.key}`;
      posting = true;
      try {
        await chat.send(announcement.destination, repo.owner, { ...message, key });
      } catch (error) {
        // No answer after the request went out (a timeout, a lost connection): the post most
        // likely went through, and posting again could show it twice, so it counts as sent,
        // except where the service drops repeats (Matrix). A service that answered with an
        // error (a 5xx) most likely posted nothing: that is a failure, tried again later.
        const idempotent = chat.destination(announcement.destination, repo.owner)?.service === "matrix";
        if (!(error instanceof ChatError && error.mayHavePosted && error.status === undefined && !idempotent)) throw error;
        log.warn({ ...where, kind: error.kind, err: error.message }, "announcement may have been posted: not posted again, so that it does not show twice");
      }
      log.info(where, "announced in chat");
      result.sent.push(announcement.key, ...announcement.covers);
      await markSent(gh, repo, refs.sent, head.sha, log, where);
    } catch (error) {
      if (!(error instanceof ChatError) && !(error instanceof AnnounceTemplateError) && !posting) {
        // GitHub failed before the post (the sent ref, the claim): nothing was posted, and the
        // destination is not to blame; the next run tries again.
        log.error({ ...where, err: describeError(error) }, "announcement not posted: GitHub failed before it");
        result.skipped.push({ key: announcement.key, why: "GitHub failed before the post" });
        continue;
      }
      if (error instanceof AnnounceTemplateError) log.warn({ ...where, err: error.message }, "announcement failed: its template cannot be used");
      else if (!(error instanceof ChatError)) log.error({ ...where, err: safeError(error) }, "announcement failed");
      else log.warn({ ...where, kind: error.kind, status: error.status, err: error.message }, "announcement failed: the destination did not take it");
      errors.set(announcement.key, error);
      result.failed.push({ key: announcement.key, reason: publicReason(error) });
    }
  }
  if (result.sent.length === 0 && result.failed.length === 0) return;
  const failures = await record(input, issue.number, result);
  await alarms(input, issue, due, errors, failures, chat);
}

/**
 * Whether `owner` may post to the destination. One that exists but is not open to `owner` reads,
 * in everything public (the marker, the alarm in `owner`'s repository), like one that does not
 * exist: otherwise any installation of a hosted App could list the destination names the
 * operator serves to others by naming them. The App's log says which it was.
 */
function isUsable(chat: ChatGateway, name: string, owner: string, log: Log, where: Record<string, unknown>): boolean {
  try {
    return chat.destination(name, owner) !== null;
  } catch (error) {
    if (!(error instanceof ChatError && error.kind === "not-allowed")) throw error;
    log.warn({ ...where, owner }, "chat destination exists but is not open to this owner (said in public as not configured)");
    return false;
  }
}

/**
 * A repository's announcement template that cannot be used (missing, refused by the renderer, or
 * failing to render). It fails each key it renders like a failing destination, so it is counted,
 * backed off and reported by the chat alarm; its message is the renderer's, public-safe, and
 * names the template.
 */
export class AnnounceTemplateError extends Error {
  override readonly name = "AnnounceTemplateError";
}

/**
 * The rendered message of a moment, once per run. A template that cannot be used gives an
 * {@link AnnounceTemplateError} (logged); GitHub failing to serve the file throws, which counts
 * against nobody.
 */
async function messageOf(
  input: AnnounceInput,
  announce: AnnounceConfig,
  issue: IssueNow,
  announcement: DueAnnouncement,
  cache: Map<AnnounceMoment, ChatMessage | AnnounceTemplateError>,
): Promise<ChatMessage | AnnounceTemplateError> {
  const key = announcement.moment;
  const cached = key !== "reminder" ? cache.get(key) : undefined;
  if (cached) return cached;
  const { series } = input;
  const occurrence = markerOccurrence(series, issue.marker);
  const facts: AnnouncementFacts = {
    moment: announcement.moment,
    title: issue.title,
    series: { id: series.id, name: series.name, host: series.host },
    start: occurrence.start,
    zone: occurrence.zone,
    lead: announcement.lead,
    movedFrom: issue.marker.movedFrom,
    issueUrl: issue.url,
    docUrl: docUrlOf(issue.body),
    ...(input.merged ? { minutes: input.merged.minutes, actionItems: input.merged.actionItems } : {}),
  };
  const path = announce.templates[announcement.moment];
  let template: { source: string; name: string } | undefined;
  let message: ChatMessage | AnnounceTemplateError;
  // Fetched outside the try below: a GitHub failure is not the template's.
  const source = path ? await fetchTextFile(input.gh, input.repo, path) : undefined;
  if (path && source === null) {
    message = new AnnounceTemplateError(`announce.templates.${announcement.moment}: ${path} does not exist`);
  } else {
    if (path && source) template = { source, name: path };
    try {
      message = renderAnnouncement(facts, template);
    } catch (error) {
      const words = error instanceof TemplateError ? error.message : `${path ?? `templates/default/announce/${key}.hbs`} could not be rendered (the details are in the App's logs)`;
      message = new AnnounceTemplateError(words);
    }
  }
  if (message instanceof AnnounceTemplateError) {
    input.log.error({ repo: `${input.repo.owner}/${input.repo.repo}`, series: series.id, moment: key, err: message.message }, "announcement not rendered");
  }
  if (key !== "reminder") cache.set(key, message);
  return message;
}

/** The minutes doc's link as the issue shows it (whatever the backend), or null. */
function docUrlOf(body: string): string | null {
  const section = readDocSection(body);
  const match = section ? /<(https:\/\/[^\s<>]+)>/.exec(section) : null;
  return match?.[1] ?? null;
}

/**
 * Adds what was sent to the marker and counts what failed, on the issue as it is now: one
 * read, and one edit when the marker changes. Returns each failed key's count.
 */
async function record(input: AnnounceInput, number: number, result: AnnounceResult): Promise<Map<string, number>> {
  const { gh, repo, log } = input;
  const counts = new Map<string, number>();
  const issue = await readIssue(gh, repo, number, input.botLogin);
  if (!issue || issue.marker.series !== input.series.id) {
    log.warn({ repo: `${repo.owner}/${repo.repo}`, issue: number }, "announcements not recorded: the issue no longer has its meeting marker");
    return counts;
  }
  const marker = issue.marker;
  const sent = new Set(result.sent);
  const announced = trimAnnounced([...new Set([...(marker.announced ?? []), ...result.sent])], marker.at);
  const failures = new Map<string, AnnounceFailure>(Object.entries(marker.announceFailures ?? {}).filter(([key]) => !sent.has(key)));
  for (const { key } of result.failed) {
    const n = (failures.get(key)?.n ?? 0) + 1;
    failures.delete(key);
    failures.set(key, { n, at: input.now.toISOString() });
    counts.set(key, n);
  }
  const kept = [...failures].slice(-MAX_ANNOUNCE_FAILURES);
  const next: MeetingMarker = { ...marker };
  delete next.announced;
  delete next.announceFailures;
  if (announced.length > 0) next.announced = announced;
  if (kept.length > 0) next.announceFailures = Object.fromEntries(kept);
  const body = withMarker(issue.body, next);
  if (body !== issue.body) await gh.rest.issues.update({ ...repo, issue_number: number, body });
  return counts;
}

/**
 * At most {@link MAX_ANNOUNCED} keys: those of other times (an earlier move, its reminders),
 * never due again, go first, then the oldest.
 */
function trimAnnounced(keys: string[], at: string): string[] {
  let kept = keys;
  while (kept.length > MAX_ANNOUNCED) {
    const stale = kept.findIndex((key) => key.includes("@") && !key.includes(`@${at}:`));
    kept = kept.filter((_, index) => index !== (stale >= 0 ? stale : 0));
  }
  return kept;
}

/** Raises the chat alarm of each destination whose key failed often enough; closes it once one posts again. */
async function alarms(
  input: AnnounceInput,
  issue: IssueNow,
  due: DueAnnouncement[],
  errors: Map<string, unknown>,
  counts: Map<string, number>,
  chat: ChatGateway | null,
): Promise<void> {
  const { gh, repo, log } = input;
  const known = { botLogin: input.botLogin };
  const before = issue.marker.announceFailures ?? {};
  const done = new Set<string>();
  for (const announcement of due) {
    const { destination, key } = announcement;
    if (done.has(destination)) continue;
    const where = { repo: `${repo.owner}/${repo.repo}`, destination };
    try {
      const n = counts.get(key) ?? 0;
      if (n >= ALARM_AFTER_FAILURES) {
        done.add(destination);
        const error = errors.get(key);
        let service: string | undefined;
        try {
          service = chat?.destination(destination, repo.owner)?.service;
        } catch {
          service = undefined;
        }
        const raised = await raiseChatAlarm(
          gh,
          repo,
          {
            destination,
            service,
            reason: publicReason(error),
            kind: error instanceof ChatError ? error.kind : error instanceof AnnounceTemplateError ? "template" : "failed",
            meeting: { title: issue.title, url: issue.url },
            failures: n,
            now: input.now,
          },
          known,
        );
        log.warn({ ...where, issue: raised.number, action: raised.action }, "chat alarm raised");
      } else if (!errors.has(key) && (input.issues ? hasOpenChatAlarm(input.issues, input.botLogin, destination) : hadFailed(before, destination))) {
        done.add(destination);
        const cleared = await clearChatAlarm(gh, repo, destination, { ...known, ...(input.issues ? { issues: input.issues } : {}) });
        if (cleared.action === "closed") log.info({ ...where, issue: cleared.number }, "chat alarm closed: the destination takes posts again");
      }
    } catch (error) {
      log.warn({ ...where, err: describeError(error) }, "chat alarm could not be written");
    }
  }
}

function hadFailed(failures: Record<string, AnnounceFailure>, destination: string): boolean {
  return Object.entries(failures).some(([key, failure]) => key.endsWith(`:${destination}`) && failure.n >= ALARM_AFTER_FAILURES);
}

/** The failure in words fit for the alarm issue: a ChatError's own (public-safe) message, else a generic one. */
function publicReason(error: unknown): string {
  if (error instanceof ChatError || error instanceof AnnounceTemplateError) return error.message;
  return "the announcement could not be posted (the details are in the App's logs)";
}

/** An unexpected error for the log: its name and message with anything secret-shaped removed, never its cause. */
function safeError(error: unknown): string {
  return redactSecrets(describeError(error));
}

async function refExists(gh: GitHub, repo: RepoRef, ref: string): Promise<boolean> {
  try {
    await gh.rest.git.getRef({ ...repo, ref });
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/** The default branch's head: its tree for claim commits, its sha for `sent` refs. */
async function branchHead(gh: GitHub, repo: RepoRef, branch: string): Promise<{ tree: string; sha: string }> {
  const { data } = await gh.rest.repos.getBranch({ ...repo, branch });
  return { tree: data.commit.commit.tree.sha, sha: data.commit.sha };
}

/** Records the post durably; a failure here is only logged (the marker records it too). */
async function markSent(gh: GitHub, repo: RepoRef, ref: string, sha: string, log: Log, where: Record<string, unknown>): Promise<void> {
  try {
    await gh.rest.git.createRef({ ...repo, ref: `refs/${ref}`, sha });
  } catch (error) {
    if (!isAlreadyExists(error)) log.warn({ ...where, err: describeError(error) }, "the post's sent ref could not be created");
  }
}
