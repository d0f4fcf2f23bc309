import type { SeriesConfig } from "../config/schema.js";
import { actionItemIssue, isAssignable, listActionItemIssues, openActionItemIssue, type ActionItemListing } from "../github/action-item-issues.js";
import type { GitHub, Log, RepoRef } from "../github/client.js";
import { describeError, isNotFound } from "../github/errors.js";
import { claimFollowUp, endFollowUpClaim, type FollowUpClaim, type HeldFollowUpClaim } from "../github/follow-up-claims.js";
import { findItemComment, itemCommentBody, repositoryFacts, writeItemComment, type RepositoryFacts } from "../github/item-comments.js";
import { fetchTextFile } from "../github/repo-files.js";
import type { ActionItem } from "../minutes/action-items.js";
import { type ItemNotes, parseItemNotes } from "../minutes/item-notes.js";
import { MAX_MINUTES_CHARS } from "../minutes/minutes-lines.js";
import { actionItemMeetingId, sameActionItem, type ActionItemMarker } from "../state/action-item-marker.js";
import { isItemNotesOf, type ItemNotesMarker } from "../state/item-notes-marker.js";
import type { ChatLoader } from "../announce/announce-meeting.js";

/**
 * What happens after the App's minutes PR is merged and the meeting is closed (close-meeting.ts):
 *
 * 1. **Action items become issues.** The minutes file is read as merged (at the merge commit:
 *    reviewers may have edited it in the PR) and each action item not ticked done gets one
 *    issue, in the meeting's repository or the series' `actionItems.repository` (same owner).
 * 2. **Every agenda item discussed links its minutes.** Each agenda item with notes, in a
 *    repository of the meeting repository's owner, gets one comment: a link to its section of
 *    the minutes, its decisions, and the issues opened for its action items.
 *
 * Exactly once, with no state but GitHub's: each issue and comment carries a marker
 * (src/state/action-item-marker.ts, item-notes-marker.ts) naming the meeting, and before
 * writing, the App lists its own issues and comments written since the meeting issue was
 * opened (nothing of this meeting can be older) and finds them by it. A redelivered merge, a
 * second minutes PR for the same meeting, or an edited file therefore opens only the items
 * that have no issue yet (an item whose words or owners changed is a new item), and edits the
 * item comments in place. When a listing is cut short by its page bound, the App writes
 * nothing it might duplicate and logs why.
 *
 * One delivery at a time: the merge step runs under one claim on the merge
 * (src/github/follow-up-claims.ts), so two deliveries running at once (a redelivery while the
 * first runs, two replicas) cannot both open the same item. The close step takes it when it has
 * something to write and hands it over (`claim`); otherwise the follow-up takes it before its
 * first write. The other delivery stands down; the claim is deleted when the run ends, so a
 * later redelivery runs (and finds everything done).
 *
 * A failure on one item is logged and the others go on; nothing here undoes the close. All
 * of it is bounded: the file (the parsers' 1,000,000 characters), 50 action items (the
 * parser's MAX_ACTION_ITEMS), {@link MAX_ITEM_COMMENTS} comments, and every listing's pages.
 */

/** The most agenda items commented on for one meeting; the rest are logged. */
export const MAX_ITEM_COMMENTS = 50;

/** What the follow-up needs to know about the merged meeting. */
export interface FollowUpInput {
  /** The meeting's repository: where the minutes were merged. */
  repo: RepoRef;
  /** Whether that repository is private (the webhook's repository `private` flag). */
  repoPrivate: boolean;
  series: SeriesConfig;
  /** The meeting issue. */
  meeting: { number: number; url: string; title: string; date: string };
  /** The minutes file as merged. */
  file: { path: string; sha: string; url: string };
  botLogin: string;
  /**
   * The merge's claim, when the close step took it (close-meeting.ts): the follow-up runs under
   * it, takes none of its own, and deletes it when it ends, whatever it did.
   */
  claim?: HeldFollowUpClaim | null | undefined;
  /** The clock the claim is dated with (default: the system's). */
  now?: () => Date;
  /**
   * The chat gateway, for a series whose `announce` has the `merged` moment: the minutes' link
   * and the action items are posted once per destination (src/announce/). Needs `defaultBranch`.
   */
  chat?: ChatLoader | undefined;
  /** The repository's default branch (the announcement's claims point into it). */
  defaultBranch?: string | undefined;
}

/** What the follow-up did, for the log and the tests. */
export interface FollowUpOutcome {
  /** Why nothing was read or done, when so. */
  skipped?: string;
  actionItems: { opened: number; existing: number; done: number; skipped: number; failed: number };
  itemComments: { created: number; edited: number; unchanged: number; skipped: number; failed: number };
}

/**
 * The follow-up of a merged meeting (see the module comment). It does not throw: what failed is
 * logged and counted, and redelivering the merge event tries it again without doing anything twice.
 */
export async function followUpOnMerge(gh: GitHub, input: FollowUpInput, log: Log): Promise<FollowUpOutcome> {
  const held = input.claim;
  if (!held) return followUp(gh, input, log);
  try {
    return await followUp(gh, input, log);
  } finally {
    const { repo, series, meeting } = input;
    await endFollowUpClaim(held, log, { repo: `${repo.owner}/${repo.repo}`, series: series.id, date: meeting.date, issue: meeting.number });
  }
}

/** The follow-up itself: it claims only when the close step handed over no claim (followUpOnMerge releases that one). */
async function followUp(gh: GitHub, input: FollowUpInput, log: Log): Promise<FollowUpOutcome> {
  const { repo, series, meeting, file } = input;
  const repository = `${repo.owner}/${repo.repo}`;
  const ctx = { repo: repository, series: series.id, date: meeting.date, issue: meeting.number };
  const outcome: FollowUpOutcome = {
    actionItems: { opened: 0, existing: 0, done: 0, skipped: 0, failed: 0 },
    itemComments: { created: 0, edited: 0, unchanged: 0, skipped: 0, failed: 0 },
  };
  const wantIssues = series.actionItems.issues;
  const wantComments = series.itemComments.enabled;
  const wantAnnounce = announcesMerge(input);
  if (!wantIssues && !wantComments && !wantAnnounce) return { ...outcome, skipped: "actionItems.issues and itemComments.enabled are off" };

  let text: string | null;
  try {
    text = await fetchTextFile(gh, repo, file.path, file.sha);
  } catch (error) {
    log.error({ ...ctx, path: file.path, sha: file.sha, err: describeError(error) }, "follow-up failed: the minutes file could not be read (redeliver the merge event to try again)");
    return { ...outcome, skipped: "the minutes file could not be read" };
  }
  if (text === null) {
    log.warn({ ...ctx, path: file.path, sha: file.sha }, "follow-up skipped: the minutes file is not in the merge commit");
    return { ...outcome, skipped: "the minutes file is not in the merge commit" };
  }
  if (text.length > MAX_MINUTES_CHARS) {
    log.warn({ ...ctx, path: file.path, chars: text.length, max: MAX_MINUTES_CHARS }, "follow-up skipped: the minutes file is too long to read");
    return { ...outcome, skipped: "the minutes file is too long" };
  }
  const notes = parseItemNotes(text, { meeting: actionItemMeetingId(repository, series.id, meeting.date) });
  if (notes.truncated) log.warn({ ...ctx, path: file.path }, "the minutes file has too many lines: its end was not read");

  // Something may be written: one delivery of this merge at a time does it (the close step's
  // claim, when it handed one over, is that one).
  const writes = (wantIssues && notes.actionItems.some((item) => !item.done)) || (wantComments && notes.items.some((item) => item.notes.trim() !== ""));
  let claim: FollowUpClaim | null = null;
  if (writes && !input.claim) {
    try {
      claim = await claimFollowUp(gh, repo, { series: series.id, date: meeting.date, sha: file.sha }, input.now ?? (() => new Date()));
    } catch (error) {
      log.error({ ...ctx, sha: file.sha, err: describeError(error) }, "follow-up failed: its claim could not be taken (redeliver the merge event to try again)");
      return { ...outcome, skipped: "the follow-up's claim could not be taken" };
    }
    if (claim.status === "busy") {
      log.info({ ...ctx, sha: file.sha, why: claim.reason }, "follow-up left to another delivery of the merge, which is running it now");
      return { ...outcome, skipped: "another delivery is following up this merge" };
    }
    if (claim.tookOver) log.warn({ ...ctx, sha: file.sha, ref: claim.ref }, "follow-up takes over from an earlier delivery that stopped before it was done");
  }
  let opened: ReadonlyMap<string, { url: string }> = new Map();
  try {
    opened = await writeFollowUp(gh, input, notes, outcome, log);
  } finally {
    if (claim?.status === "ours") await endFollowUpClaim(claim, log, ctx);
  }
  if (wantAnnounce) await announceMerge(gh, input, notes.actionItems, opened, log);
  return outcome;
}

/** Whether the series posts the merge to chat (and the caller gave what that needs). */
function announcesMerge(input: FollowUpInput): boolean {
  return Boolean(input.chat && input.defaultBranch && input.series.announce?.moments.includes("merged"));
}

/**
 * Posts the merge to the series' chat destinations, once each (a redelivered merge posts
 * nothing more): the minutes file's link and the action items not done, each with its issue
 * when one was opened. It never throws; a failing destination is counted and reported.
 */
async function announceMerge(
  gh: GitHub,
  input: FollowUpInput,
  items: readonly ActionItem[],
  opened: ReadonlyMap<string, { url: string }>,
  log: Log,
): Promise<void> {
  const { announceMeeting } = await import("../announce/announce-meeting.js");
  await announceMeeting({
    gh,
    repo: input.repo,
    defaultBranch: input.defaultBranch!,
    series: input.series,
    issue: { number: input.meeting.number },
    chat: input.chat,
    botLogin: input.botLogin,
    now: (input.now ?? (() => new Date()))(),
    clock: input.now,
    log,
    event: "merged",
    merged: {
      minutes: { path: input.file.path, url: input.file.url },
      actionItems: items
        .filter((item) => !item.done)
        .map((item) => ({ text: item.text, owners: [...item.owners, ...item.teams], url: opened.get(item.key)?.url ?? null })),
    },
  });
}

/** The follow-up's writes, once the file is read and the claim taken: action items, then item comments. */
async function writeFollowUp(
  gh: GitHub,
  input: FollowUpInput,
  notes: ReturnType<typeof parseItemNotes>,
  outcome: FollowUpOutcome,
  log: Log,
): Promise<ReadonlyMap<string, { url: string }>> {
  const { repo, series, meeting } = input;
  const ctx = { repo: `${repo.owner}/${repo.repo}`, series: series.id, date: meeting.date, issue: meeting.number };
  const wantIssues = series.actionItems.issues;
  const wantComments = series.itemComments.enabled;

  // Nothing of this meeting (issue or comment) is older than its issue: listings start there.
  let since: Promise<string | undefined> | undefined;
  const sinceMeeting = () => (since ??= meetingCreatedAt(gh, repo, meeting.number));

  const opened = new Map<string, { url: string }>();
  if (wantIssues) {
    try {
      await openActionItems(gh, input, notes.actionItems, sinceMeeting, opened, outcome, log);
    } catch (error) {
      // The listing (or the meeting issue's date) could not be read: no item was opened after it.
      const left = notes.actionItems.length - outcome.actionItems.done - outcome.actionItems.opened - outcome.actionItems.existing - outcome.actionItems.skipped - outcome.actionItems.failed;
      outcome.actionItems.failed += left;
      log.error({ ...ctx, err: describeError(error) }, "action items not opened: the App's issues could not be listed (redeliver the merge event to try again)");
    }
  }
  if (wantComments) {
    await commentOnItems(gh, input, notes.items, sinceMeeting, opened, outcome, log);
  }
  log.info({ ...ctx, actionItems: outcome.actionItems, itemComments: outcome.itemComments }, "minutes followed up: action items and item comments");
  return opened;
}

/** When the meeting issue was opened (ISO), or undefined when GitHub does not say. */
async function meetingCreatedAt(gh: GitHub, repo: RepoRef, number: number): Promise<string | undefined> {
  const { data } = await gh.rest.issues.get({ ...repo, issue_number: number });
  return typeof data.created_at === "string" ? data.created_at : undefined;
}

// ---------------------------------------------------------------------------------------------
// Action items

async function openActionItems(
  gh: GitHub,
  input: FollowUpInput,
  items: readonly ActionItem[],
  since: () => Promise<string | undefined>,
  opened: Map<string, { url: string }>,
  outcome: FollowUpOutcome,
  log: Log,
): Promise<void> {
  const { repo, series, meeting, file, botLogin } = input;
  const repository = `${repo.owner}/${repo.repo}`;
  const target: RepoRef = { owner: repo.owner, repo: series.actionItems.repository ?? repo.repo };
  const targetName = `${target.owner}/${target.repo}`;
  const ctx = { repo: repository, series: series.id, date: meeting.date, target: targetName };
  const counts = outcome.actionItems;
  const todo = items.filter((item) => !item.done);
  counts.done = items.length - todo.length;
  if (todo.length === 0) return;

  if (targetName.toLowerCase() !== repository.toLowerCase()) {
    const refusal = await targetRefusal(gh, target, input.repoPrivate);
    if (refusal) {
      counts.skipped += todo.length;
      log.warn({ ...ctx, why: refusal }, "action items not opened as issues");
      return;
    }
  }

  const mine = (issue: { marker: ActionItemMarker }) =>
    issue.marker.meeting.toLowerCase() === repository.toLowerCase() && issue.marker.series === series.id && issue.marker.date === meeting.date;
  const listed: ActionItemListing = await listActionItemIssues(gh, target, botLogin, await since());
  for (const issue of listed.issues) if (mine(issue)) opened.set(issue.marker.key, { url: issue.url });
  if (!listed.complete) {
    const left = todo.filter((item) => !opened.has(item.key)).length;
    counts.existing = todo.length - left;
    counts.skipped += left;
    log.error({ ...ctx, pages: listed.pages, left }, "action items not opened: the App's issues are too many to be sure none is opened twice");
    return;
  }

  const assignable = new Map<string, boolean>();
  for (const item of todo) {
    if (opened.has(item.key)) {
      counts.existing++;
      continue;
    }
    const marker: ActionItemMarker = { v: 1, meeting: repository, series: series.id, date: meeting.date, key: item.key };
    try {
      for (const owner of item.owners) {
        const key = owner.toLowerCase();
        if (!assignable.has(key)) assignable.set(key, await isAssignable(gh, target, owner));
      }
      const draft = actionItemIssue(
        {
          item,
          assignable: new Set([...assignable].filter(([, yes]) => yes).map(([login]) => login)),
          org: target.owner,
          meeting: { title: meeting.title, url: meeting.url },
          minutes: { path: file.path, url: item.anchor ? `${file.url}#${item.anchor}` : file.url },
          marker,
        },
        series.actionItems.labels,
      );
      const created = await openActionItemIssue(gh, target, draft, async () => {
        const again = await listActionItemIssues(gh, target, botLogin, await since());
        const found = again.issues.find((issue) => sameActionItem(issue.marker, marker));
        return found ? { number: found.number, url: found.url } : null;
      });
      opened.set(item.key, { url: created.url });
      counts.opened++;
      log.info(
        { ...ctx, issue: created.number, key: item.key, assignees: created.unassigned ? [] : draft.assignees, foundAgain: created.found },
        created.unassigned ? "opened action item issue, without assignees (GitHub refused them)" : "opened action item issue",
      );
    } catch (error) {
      counts.failed++;
      log.error({ ...ctx, key: item.key, line: item.line, err: describeError(error) }, "action item issue failed: the others go on");
    }
  }
}

/** Why action items may not be opened in another repository of the owner, or null when they may. */
async function targetRefusal(gh: GitHub, target: RepoRef, meetingPrivate: boolean): Promise<string | null> {
  const facts = await repositoryFacts(gh, target);
  if (!facts) return "actionItems.repository is not a repository the App can see";
  if (facts.archived) return "actionItems.repository is archived";
  // Private minutes stay private: their action items are not copied into a public repository.
  if (meetingPrivate && !facts.private) return "the meeting's repository is private and actionItems.repository is public";
  return null;
}

// ---------------------------------------------------------------------------------------------
// Item comments

async function commentOnItems(
  gh: GitHub,
  input: FollowUpInput,
  items: readonly ItemNotes[],
  since: () => Promise<string | undefined>,
  opened: ReadonlyMap<string, { url: string }>,
  outcome: FollowUpOutcome,
  log: Log,
): Promise<void> {
  const { repo, series, meeting, file, botLogin } = input;
  const repository = `${repo.owner}/${repo.repo}`;
  const ctx = { repo: repository, series: series.id, date: meeting.date };
  const counts = outcome.itemComments;
  const discussed = items.filter((item) => item.notes.trim() !== "");
  if (discussed.length > MAX_ITEM_COMMENTS) {
    counts.skipped += discussed.length - MAX_ITEM_COMMENTS;
    log.warn({ ...ctx, items: discussed.length, max: MAX_ITEM_COMMENTS }, "too many agenda items with notes: the last ones get no comment");
  }
  const marker: ItemNotesMarker = { v: 1, meeting: repository, series: series.id, date: meeting.date };
  // The meeting's own repository is known from the webhook: not asked again.
  const facts = new Map<string, RepositoryFacts | null>([[repository.toLowerCase(), { private: input.repoPrivate, archived: false }]]);

  for (const item of discussed.slice(0, MAX_ITEM_COMMENTS)) {
    const [owner, name] = item.repository.split("/") as [string, string];
    const where = { ...ctx, item: `${item.repository}#${item.number}` };
    if (owner.toLowerCase() !== repo.owner.toLowerCase()) {
      counts.skipped++;
      log.info(where, "item comment skipped: the item belongs to another owner");
      continue;
    }
    try {
      const itemRepo: RepoRef = { owner, repo: name };
      const key = item.repository.toLowerCase();
      if (!facts.has(key)) facts.set(key, await repositoryFacts(gh, itemRepo));
      const refusal = itemRefusal(facts.get(key) ?? null, input);
      if (refusal) {
        counts.skipped++;
        log.info({ ...where, why: refusal }, "item comment skipped");
        continue;
      }
      const body = itemCommentBody({
        meeting: { title: meeting.title, url: meeting.url },
        minutes: { path: file.path, url: item.anchor ? `${file.url}#${item.anchor}` : file.url },
        decisions: item.decisions.map((decision) => decision.text),
        actionItems: item.actionItems.map((action) => ({ text: action.text, owners: action.owners, done: action.done, issue: opened.get(action.key) ?? null })),
        marker,
      });
      const isIt = (comment: { body: string }) => isItemNotesOf(comment.body, marker);
      const after = await since();
      const found = await findItemComment(gh, itemRepo, item.number, botLogin, after, isIt);
      if (!found.comment && !found.complete) {
        counts.skipped++;
        log.warn({ ...where, pages: found.pages }, "item comment skipped: too many comments to be sure the App has not written it");
        continue;
      }
      const wrote = await writeItemComment(gh, itemRepo, item.number, body, { botLogin, since: after, existing: found.comment, isIt });
      if (wrote === "edited") counts.edited++;
      else if (wrote === "unchanged") counts.unchanged++;
      else counts.created++;
      log.info({ ...where, wrote }, "item comment written");
    } catch (error) {
      counts.failed++;
      // A 404 here: the item is gone, or the App's installation does not cover its repository.
      log.error({ ...where, err: describeError(error), missing: isNotFound(error) }, "item comment failed: the others go on");
    }
  }
}

/** Why an item's repository gets no comment, or null when it may. */
function itemRefusal(facts: RepositoryFacts | null, input: FollowUpInput): string | null {
  if (!facts) return "the App cannot see the item's repository";
  if (facts.archived) return "the item's repository is archived";
  if (facts.private && !input.series.itemComments.privateRepositories) return "the item's repository is private (itemComments.privateRepositories is off)";
  // Private minutes stay private: their notes are not quoted where the public can read them.
  if (input.repoPrivate && !facts.private) return "the meeting's repository is private and the item's is public";
  return null;
}
