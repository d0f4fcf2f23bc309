import type { GitHub, Log, RepoRef } from "../github/client.js";
import { commentOnce, findAppComment, type AppComment } from "../github/comments.js";
import { describeError } from "../github/errors.js";
import { claimFollowUp, endFollowUpClaim, type HeldFollowUpClaim } from "../github/follow-up-claims.js";
import { listMeetingIssues, type MeetingIssue } from "../github/meeting-issues.js";
import type { SeriesConfig } from "../config/schema.js";
import { loadRepoConfig } from "../github/repo-config.js";
import { GITHUB_COM_WEB_URL, repoWebUrl } from "../github/web-host.js";
import { minutesPath } from "../minutes/minutes-path.js";
import { hasMergedMarker, MERGED_MARKER } from "../state/merged-marker.js";

/** The parts of a `pull_request.closed` event that decide what to do. */
export interface ClosedPull {
  number: number;
  url: string;
  merged: boolean;
  headRef: string;
  mergeCommitSha: string | null;
}

export type CloseOutcome =
  | { closed: false; why: string }
  | { closed: true; issue: number; alreadyClosed: boolean };

const MINUTES_BRANCH = /^wg-meetings\/minutes-([a-z0-9][a-z0-9-]*)-(\d{4}-\d{2}-\d{2})$/;

/** The minutes file as merged: its path, the merge commit, and a link to it at that commit. */
export interface MergedFile {
  path: string;
  sha: string;
  /** `…/blob/<sha>/<path>` on the repository's web host. */
  url: string;
}

/** What the close step found, for the follow-up (src/meetings/follow-up-on-merge.ts). */
export interface MergedMeeting {
  meeting: MeetingIssue;
  /** The series as the config on the default branch has it now; null when it is gone or invalid. */
  series: SeriesConfig | null;
  /** Null when the series, its minutes path or the merge commit is unknown. */
  file: MergedFile | null;
  /**
   * The merge's claim, when the close had something to write and took it: the follow-up goes on
   * under it and deletes it when it ends. Null when the close wrote nothing (a redelivery: the
   * follow-up claims for itself if it has anything to write) or could not claim.
   */
  claim: HeldFollowUpClaim | null;
}

/**
 * When a minutes PR is merged, the meeting is over: close its issue with a comment linking
 * the merged file. The meeting is found through the branch name, which the App derived from
 * the series and the date. A PR closed without merging leaves the meeting open. If GitHub
 * already closed the issue (the PR body says `Fixes:`), the comment is still added, once: the
 * App's own comment with the merged marker says it was (see src/state/merged-marker.ts); the
 * marker in anyone else's comment does not.
 *
 * One delivery of a merge at a time writes (src/github/follow-up-claims.ts): when the meeting is
 * still open, or its comment is missing, the close takes the merge's claim before it looks for
 * its comment, so two deliveries at once do not both comment. The other stands down and does
 * nothing more. The claim is deleted when the close fails, and released to the follow-up when it
 * succeeds ({@link closeMergedMeeting}); a claim that cannot be taken (no merge commit, GitHub
 * refusing) does not keep the meeting open: the close goes on without it, as it did before claims.
 *
 * `webUrl` is the GitHub web host (`gitHubWebUrl`, default github.com); the link is built from
 * it only when the PR's own URL cannot be read.
 */
export async function closeMeetingOnMerge(
  gh: GitHub,
  repo: RepoRef,
  pull: ClosedPull,
  botLogin: string,
  log: Log,
  webUrl: string = GITHUB_COM_WEB_URL,
): Promise<CloseOutcome> {
  const { outcome, merged } = await closeMergedMeeting(gh, repo, pull, botLogin, log, webUrl);
  // No follow-up here: the merge step ends with the close.
  if (merged?.claim) await endFollowUpClaim(merged.claim, log, { repo: `${repo.owner}/${repo.repo}`, issue: merged.meeting.number, pr: pull.number });
  return outcome;
}

/**
 * {@link closeMeetingOnMerge}, also returning what it found (the meeting issue, the series'
 * config, the merged file) when it closed the meeting, so the follow-up asks GitHub for none
 * of it again. When it returns `merged.claim`, the caller holds the merge's claim and must end
 * it: the follow-up does (the `claim` of its input, follow-up-on-merge.ts). It returns one only
 * with a series and a file, the follow-up's input; otherwise it has released it itself.
 */
export async function closeMergedMeeting(
  gh: GitHub,
  repo: RepoRef,
  pull: ClosedPull,
  botLogin: string,
  log: Log,
  webUrl: string = GITHUB_COM_WEB_URL,
): Promise<{ outcome: CloseOutcome; merged?: MergedMeeting }> {
  if (!pull.merged) return { outcome: { closed: false, why: "closed without merging" } };
  const match = MINUTES_BRANCH.exec(pull.headRef);
  if (!match) return { outcome: { closed: false, why: "not a minutes branch" } };
  const [, series, date] = match as unknown as [string, string, string];

  const meeting = (await listMeetingIssues(gh, repo, botLogin)).find(
    (issue) => issue.marker.series === series && issue.marker.date === date,
  );
  if (!meeting) return { outcome: { closed: false, why: `no meeting issue for ${series} on ${date}` } };

  const { config, file } = await mergedFile(gh, repo, series, date, pull, webUrl);
  const link = file ? `[\`${file.path}\`](${file.url})` : pull.url;
  const ctx = { repo: `${repo.owner}/${repo.repo}`, issue: meeting.number, pr: pull.number };
  const isIt = (comment: AppComment) => hasMergedMarker(comment.body);
  const look = () => findAppComment(gh, repo, meeting.number, botLogin, undefined, isIt);
  const claimKey = pull.mergeCommitSha ? { series, date, sha: pull.mergeCommitSha } : null;
  const busy = { outcome: { closed: false as const, why: "another delivery of the merge is closing the meeting" } };

  // An open meeting is always written to: claim first, then look. A closed one only when its
  // comment is missing (GitHub closed it, `Fixes:`): look, then claim, then look again, since
  // another delivery may have commented in between and released its claim since.
  let claim: HeldFollowUpClaim | null = null;
  let tried = false;
  if (meeting.state !== "closed") {
    const taken = await claimMergeStep(gh, repo, claimKey, log, ctx);
    if (taken === "busy") return busy;
    claim = taken;
    tried = true;
  }
  try {
    let said = await look();
    if (!said && !tried) {
      const taken = await claimMergeStep(gh, repo, claimKey, log, ctx);
      if (taken === "busy") return busy;
      claim = taken;
      if (claim) said = await look();
    }
    if (!said) {
      const body = `The minutes are merged: ${link} (#${pull.number}). Closing this meeting.\n\n${MERGED_MARKER}`;
      await commentOnce(gh, repo, meeting.number, body, { botLogin, isIt });
    }
    const alreadyClosed = meeting.state === "closed";
    if (!alreadyClosed) {
      await gh.rest.issues.update({ ...repo, issue_number: meeting.number, state: "closed", state_reason: "completed" });
    }
    log.info({ ...ctx, alreadyClosed }, "meeting closed: minutes merged");
    // The follow-up runs under the claim when it can run at all; otherwise the step ends here.
    if (claim && !(config && file)) {
      await endFollowUpClaim(claim, log, ctx);
      claim = null;
    }
    return { outcome: { closed: true, issue: meeting.number, alreadyClosed }, merged: { meeting, series: config, file, claim } };
  } catch (error) {
    if (claim) await endFollowUpClaim(claim, log, ctx);
    throw error;
  }
}

/**
 * Takes the merge's claim for this delivery: the claim, `busy` when another delivery holds it,
 * or null when there is none to take (no merge commit) or GitHub would not let it be taken; the
 * close then goes on without it, and the follow-up tries its own before it writes.
 */
async function claimMergeStep(
  gh: GitHub,
  repo: RepoRef,
  key: { series: string; date: string; sha: string } | null,
  log: Log,
  ctx: Record<string, unknown>,
): Promise<HeldFollowUpClaim | "busy" | null> {
  if (!key) return null;
  try {
    const claim = await claimFollowUp(gh, repo, key, () => new Date());
    if (claim.status === "busy") {
      log.info({ ...ctx, sha: key.sha, why: claim.reason }, "merge step left to another delivery of the merge, which is running it now");
      return "busy";
    }
    if (claim.tookOver) log.warn({ ...ctx, sha: key.sha, ref: claim.ref }, "merge step takes over from an earlier delivery that stopped before it was done");
    return claim;
  } catch (error) {
    log.warn({ ...ctx, sha: key.sha, err: describeError(error) }, "the merge's claim could not be taken: the meeting is closed without it");
    return null;
  }
}

/** The series' config and the file as merged; no file when the config no longer says where, or the merge commit is unknown. */
async function mergedFile(
  gh: GitHub,
  repo: RepoRef,
  series: string,
  date: string,
  pull: ClosedPull,
  webUrl: string,
): Promise<{ config: SeriesConfig | null; file: MergedFile | null }> {
  const loaded = await loadRepoConfig(gh, repo);
  const config = loaded.status === "ok" ? (loaded.config.meetings.find((candidate) => candidate.id === series) ?? null) : null;
  if (!config || !pull.mergeCommitSha) return { config, file: null };
  const path = minutesPath(config.minutes.path, date);
  return { config, file: { path, sha: pull.mergeCommitSha, url: `${pullRepoUrl(repo, pull.url, webUrl)}/blob/${pull.mergeCommitSha}/${path}` } };
}

/**
 * The repository's web address, taken from the PR's own `html_url`, which is always right (on
 * GitHub Enterprise Server too); built from the web host only when that URL is unusable.
 */
function pullRepoUrl(repo: RepoRef, pullUrl: string, webUrl: string): string {
  const match = /^(https?:\/\/[^/]+(?:\/[^/]+)*?)\/pull\/\d+$/.exec(pullUrl);
  return match?.[1] ?? repoWebUrl(webUrl, repo);
}
