import { parseChairCommand } from "../commands/parse-command.js";
import type { GitHub, Log, RepoRef } from "../github/client.js";
import { describeError } from "../github/errors.js";
import { mayChair } from "../github/permissions.js";
import { reactToComment } from "../github/reactions.js";
import { loadRepoConfig } from "../github/repo-config.js";
import type { GoogleDocs } from "../google/types.js";
import { parseMarker } from "./marker.js";
import { publishMinutes } from "./publish-minutes.js";

/** The parts of an `issue_comment.created` event the command needs. */
export interface CommandEvent {
  repo: RepoRef;
  defaultBranch: string;
  issue: { number: number; url: string; body: string | null; author: string; isPullRequest: boolean };
  comment: { id: number; body: string; author: string; authorIsBot: boolean };
}

/** What became of a comment: why it was ignored, or what the App answered. */
export type CommandOutcome =
  | { handled: false; why: string }
  | { handled: true; result: "proposed" | "refused" | "unauthorized" | "failed"; reply: string };

export interface CommandDeps {
  gh: GitHub;
  /** The App's own login (`slug[bot]`), fetched only for comments that look like commands. */
  botLogin: () => Promise<string>;
  google: () => Promise<GoogleDocs | null>;
  log: Log;
}

/**
 * `/minutes [recording URL]` on a meeting issue. The cheap checks come first, so ordinary
 * comments cost no request at all: a command at the start of a line (not quoted, not in code),
 * by a person (not a bot), on an issue (not a PR) that carries a meeting marker and was opened
 * by the App itself. Then: redelivery check, config, permission, 👀, the work, and an answer
 * with 🚀 or 😕.
 */
export async function handleMinutesCommand(event: CommandEvent, deps: CommandDeps): Promise<CommandOutcome> {
  const { gh, log } = deps;
  const { repo, issue, comment } = event;
  if (comment.authorIsBot) return { handled: false, why: "comment by a bot" };
  if (issue.isPullRequest) return { handled: false, why: "comment on a pull request" };
  const command = parseChairCommand(comment.body);
  if (command?.name !== "minutes") return { handled: false, why: "no /minutes command" };
  const marker = parseMarker(issue.body);
  if (!marker) return { handled: false, why: "not a meeting issue" };
  const botLogin = await deps.botLogin();
  if (issue.author !== botLogin) return { handled: false, why: "meeting marker in an issue the App did not open" };

  const ctx = { repo: `${repo.owner}/${repo.repo}`, issue: issue.number, comment: comment.id, by: comment.author };
  if (await alreadyAnswered(gh, repo, comment.id, botLogin)) {
    log.info(ctx, "skipped: this comment was already answered (redelivered event)");
    return { handled: false, why: "already answered" };
  }

  const config = await loadRepoConfig(gh, repo);
  if (config.status !== "ok") {
    const why =
      config.status === "none"
        ? "this repository has no `.github/meetings.yml` any more"
        : `\`.github/meetings.yml\` is invalid:\n\n${config.errors.map((error) => `* ${error.message}`).join("\n")}`;
    return answer(deps, event, "failed", `I could not publish the minutes: ${why}`);
  }
  const series = config.config.meetings.find((candidate) => candidate.id === marker.series);
  if (!series) {
    return answer(deps, event, "failed", `I could not publish the minutes: the series \`${marker.series}\` is no longer in \`.github/meetings.yml\`.`);
  }

  if (!(await mayChair(gh, repo, comment.author, series.chairs))) {
    log.info(ctx, "refused: not a chair");
    const who =
      series.chairs.users.length + series.chairs.teams.length > 0
        ? "the chairs named in `.github/meetings.yml`"
        : `people with ${series.chairs.permission} access to this repository`;
    return answer(deps, event, "unauthorized", `Thanks @${comment.author}! Only ${who} can run \`/minutes\` here, so I have not changed anything. A chair can run it for you.`);
  }

  await reactToComment(gh, repo, comment.id, "eyes");
  try {
    const result = await publishMinutes({
      gh,
      repo,
      defaultBranch: event.defaultBranch,
      series,
      issue: { number: issue.number, url: issue.url },
      marker,
      args: command.args,
      google: deps.google,
      log,
    });
    if (result.status === "refused") return answer(deps, event, "refused", `I did not publish the minutes: ${result.reason}`);
    const { proposal, path } = result;
    const verb = { created: "opened", updated: "updated", reopened: "reopened" }[proposal.pr];
    const change = proposal.file === "committed" ? `with \`${path}\`` : `(\`${path}\` was already up to date)`;
    return answer(deps, event, "proposed", `I ${verb} #${proposal.number} ${change} for review: ${proposal.url}\n\nMerging it closes this meeting.`);
  } catch (error) {
    log.error({ ...ctx, err: describeError(error) }, "/minutes failed");
    return answer(
      deps,
      event,
      "failed",
      "Something went wrong while publishing the minutes (the details are in the App's logs). Anything already done is kept; run `/minutes` again to finish.",
    );
  }
}

/** The App's 🚀 or 😕 on the comment means it was handled; a redelivery must not repeat it. */
async function alreadyAnswered(gh: GitHub, repo: RepoRef, commentId: number, botLogin: string): Promise<boolean> {
  const { data } = await gh.rest.reactions.listForIssueComment({ ...repo, comment_id: commentId, per_page: 100 });
  return data.some((reaction) => reaction.user?.login === botLogin && ["rocket", "confused"].includes(reaction.content));
}

/** Replies and marks the comment 🚀 (success) or 😕 (anything else). */
async function answer(
  deps: CommandDeps,
  event: CommandEvent,
  result: "proposed" | "refused" | "unauthorized" | "failed",
  text: string,
): Promise<CommandOutcome> {
  const outcome = await reply(deps, event, result, text);
  await reactToComment(deps.gh, event.repo, event.comment.id, result === "proposed" ? "rocket" : "confused");
  return outcome;
}

async function reply(
  deps: CommandDeps,
  event: CommandEvent,
  result: "proposed" | "refused" | "unauthorized" | "failed",
  text: string,
): Promise<CommandOutcome> {
  await deps.gh.rest.issues.createComment({ ...event.repo, issue_number: event.issue.number, body: text });
  return { handled: true, result, reply: text };
}
