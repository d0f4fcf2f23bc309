import { CHAIR_COMMANDS, CommandUsageError, parseChairCommand } from "../commands/parse-command.js";
import { MOVE_USAGE, parseMoveArgs } from "../commands/parse-move.js";
import type { GitHub, Log, RepoRef } from "../github/client.js";
import { describeError } from "../github/errors.js";
import { mayChair } from "../github/permissions.js";
import { reactToComment } from "../github/reactions.js";
import { loadRepoConfig } from "../github/repo-config.js";
import type { SeriesConfig } from "../config/schema.js";
import type { GoogleDocs } from "../google/types.js";
import { cancelMeeting } from "./cancel-meeting.js";
import { parseMarker, type MeetingMarker } from "./marker.js";
import { moveMeeting } from "./move-meeting.js";
import { templateSourceOf } from "./open-meeting.js";
import { publishMinutes } from "./publish-minutes.js";
import { markerOccurrence, refreshAgenda } from "./refresh-agenda.js";

/** The parts of an `issue_comment.created` event the command needs. */
export interface CommandEvent {
  repo: RepoRef;
  defaultBranch: string;
  issue: { number: number; url: string; body: string | null; author: string; isPullRequest: boolean; isClosed: boolean };
  comment: { id: number; body: string; author: string; authorIsBot: boolean };
}

/** What became of a comment: why it was ignored, or what the App answered. */
export type CommandOutcome =
  | { handled: false; why: string }
  | { handled: true; command: string; result: Result; reply: string };

type Result = "done" | "refused" | "unauthorized" | "failed" | "help";

export interface CommandDeps {
  gh: GitHub;
  /** The App's own login (`slug[bot]`), fetched only for comments that look like commands. */
  botLogin: () => Promise<string>;
  google: () => Promise<GoogleDocs | null>;
  log: Log;
  /** The current time (commands compare it with the meeting's start). */
  now?: () => Date;
  /** The App's public URL, for calendar feed links. */
  publicUrl?: URL | null;
}

/** What each command does, for `/help` and for the reply to an unknown command. */
export const HELP = [
  "Commands for the chairs of this meeting (write access, or as `chairs` in `.github/meetings.yml` says):",
  "",
  "* `/minutes [recording URL]`: publish the minutes from the doc as a pull request; merging it closes this meeting",
  "* `/agenda`: refresh the agenda from the labelled issues and pull requests now",
  "* `/cancel [reason]`: cancel this meeting (the doc is kept; the next meeting goes ahead)",
  `* \`${MOVE_USAGE}\`: reschedule this meeting`,
  "* `/help`: this list",
].join("\n");

/**
 * Chair commands on a meeting issue: `/minutes`, `/agenda`, `/cancel`, `/move`, `/help`. The
 * cheap checks come first, so ordinary comments cost no request at all: a command at the start
 * of a line (not quoted, not in code), by a person (not a bot), on an issue (not a PR) that
 * carries a meeting marker and was opened by the App itself. Then: redelivery check, config,
 * permission, 👀, the work, and an answer with 🚀 or 😕. `/help` and unknown commands are
 * answered for anyone, since they change nothing.
 */
export async function handleChairCommand(event: CommandEvent, deps: CommandDeps): Promise<CommandOutcome> {
  const { gh, log } = deps;
  const { repo, issue, comment } = event;
  if (comment.authorIsBot) return { handled: false, why: "comment by a bot" };
  if (issue.isPullRequest) return { handled: false, why: "comment on a pull request" };
  const command = parseChairCommand(comment.body, ["*"]);
  if (!command) return { handled: false, why: "no command" };
  const marker = parseMarker(issue.body);
  if (!marker) return { handled: false, why: "not a meeting issue" };
  const botLogin = await deps.botLogin();
  if (issue.author !== botLogin) return { handled: false, why: "meeting marker in an issue the App did not open" };

  const ctx = { repo: `${repo.owner}/${repo.repo}`, issue: issue.number, comment: comment.id, by: comment.author, command: command.name };
  if (await alreadyAnswered(gh, repo, comment.id, botLogin)) {
    log.info(ctx, "skipped: this comment was already answered (redelivered event)");
    return { handled: false, why: "already answered" };
  }
  const known = (CHAIR_COMMANDS as readonly string[]).includes(command.name);
  if (command.name === "help") return answer(deps, event, command.name, "help", HELP);

  const config = await loadRepoConfig(gh, repo);
  if (config.status !== "ok") {
    const why =
      config.status === "none"
        ? "this repository has no `.github/meetings.yml` any more"
        : `\`.github/meetings.yml\` is invalid:\n\n${config.errors.map((error) => `* ${error.message}`).join("\n")}`;
    return answer(deps, event, command.name, "failed", `I could not run \`/${command.name}\`: ${why}`);
  }
  const series = config.config.meetings.find((candidate) => candidate.id === marker.series);
  if (!series) {
    return answer(deps, event, command.name, "failed", `I could not run \`/${command.name}\`: the series \`${marker.series}\` is no longer in \`.github/meetings.yml\`.`);
  }

  const chair = await mayChair(gh, repo, comment.author, series.chairs);
  if (!known) {
    // `/cc @x` or `/shrug` from anyone else is just text; a chair who mistyped gets the list.
    if (!chair) return { handled: false, why: "unknown command from a non-chair" };
    return answer(deps, event, command.name, "help", `I don't know \`/${command.name}\`. ${HELP}`);
  }
  if (!chair) {
    log.info(ctx, "refused: not a chair");
    const who =
      series.chairs.users.length + series.chairs.teams.length > 0
        ? "the chairs named in `.github/meetings.yml`"
        : `people with ${series.chairs.permission} access to this repository`;
    return answer(deps, event, command.name, "unauthorized", `Thanks @${comment.author}! Only ${who} can run \`/${command.name}\` here, so I have not changed anything. A chair can run it for you.`);
  }

  await reactToComment(gh, repo, comment.id, "eyes");
  try {
    const [result, text] = await run(command.name, command.args, { event, deps, series, marker, botLogin });
    return answer(deps, event, command.name, result, text);
  } catch (error) {
    if (error instanceof CommandUsageError) return answer(deps, event, command.name, "refused", `I did not run \`/${command.name}\`: ${error.message}`);
    log.error({ ...ctx, err: describeError(error) }, "command failed");
    return answer(
      deps,
      event,
      command.name,
      "failed",
      `Something went wrong while running \`/${command.name}\` (the details are in the App's logs). Anything already done is kept; run it again to finish.`,
    );
  }
}

interface RunContext {
  event: CommandEvent;
  deps: CommandDeps;
  series: SeriesConfig;
  marker: MeetingMarker;
  botLogin: string;
}

/** Runs one command for a chair; returns the result and the reply. */
async function run(name: string, args: string, run: RunContext): Promise<[Result, string]> {
  const { event, deps, series, marker } = run;
  const { gh } = deps;
  const { repo, issue } = event;
  const now = deps.now?.() ?? new Date();
  switch (name) {
    case "minutes": {
      const result = await publishMinutes({
        gh,
        repo,
        defaultBranch: event.defaultBranch,
        series,
        issue: { number: issue.number, url: issue.url },
        marker,
        args,
        google: deps.google,
        log: deps.log,
      });
      if (result.status === "refused") return ["refused", `I did not publish the minutes: ${result.reason}`];
      const { proposal, path } = result;
      if (proposal.pr === "merged") {
        return ["done", `These minutes are already merged in #${proposal.number} (${proposal.url}), and the doc has not changed since.`];
      }
      const verb = { created: "opened", updated: "updated", reopened: "reopened" }[proposal.pr];
      const change = proposal.file === "committed" ? `with \`${path}\`` : `(\`${path}\` was already up to date)`;
      return ["done", `I ${verb} #${proposal.number} ${change} for review: ${proposal.url}\n\nMerging it closes this meeting.`];
    }
    case "agenda": {
      const state = issue.isClosed ? "closed" : "open";
      const result = await refreshAgenda({
        gh,
        repo,
        series,
        issue: { number: issue.number, state, marker },
        now,
        log: deps.log,
        templateSource: await templateSourceOf(gh, repo, series),
        publicUrl: deps.publicUrl ?? null,
      });
      if (result.action === "skipped") return ["refused", `I did not refresh the agenda: ${result.why}.`];
      const items = `${result.items} item${result.items === 1 ? "" : "s"}`;
      return ["done", result.action === "updated" ? `The agenda is refreshed: ${items}.` : `The agenda was already up to date: ${items}.`];
    }
    case "cancel": {
      const result = await cancelMeeting(gh, repo, issue.number, { by: event.comment.author, reason: args });
      if (result.alreadyCancelled) return ["refused", "This meeting was already cancelled."];
      return ["done", "This meeting is cancelled and closed; its doc is kept. The next meeting of the series opens as usual."];
    }
    case "move": {
      const { start } = parseMoveArgs(args, markerOccurrence(series, marker).zone);
      const result = await moveMeeting({
        gh,
        repo,
        series,
        issueNumber: issue.number,
        to: start,
        now,
        botLogin: run.botLogin,
        google: deps.google,
        templateSource: await templateSourceOf(gh, repo, series),
        publicUrl: deps.publicUrl ?? null,
        log: deps.log,
      });
      if (!result.moved) return ["refused", `I did not move the meeting: ${result.reason}`];
      const doc =
        result.doc === "renamed"
          ? " The minutes doc has the new title."
          : typeof result.doc === "object"
            ? ` The minutes doc could not be renamed: ${result.doc.failed}`
            : "";
      return ["done", `Moved: this is now **${result.title}** (${result.start.replace(".000Z", "Z")}); the time table is updated.${doc}`];
    }
    default:
      return ["help", HELP];
  }
}

/** The App's 🚀 or 😕 on the comment means it was handled; a redelivery must not repeat it. */
async function alreadyAnswered(gh: GitHub, repo: RepoRef, commentId: number, botLogin: string): Promise<boolean> {
  const { data } = await gh.rest.reactions.listForIssueComment({ ...repo, comment_id: commentId, per_page: 100 });
  return data.some((reaction) => reaction.user?.login === botLogin && ["rocket", "confused"].includes(reaction.content));
}

/** Replies and marks the comment 🚀 (success) or 😕 (anything else). */
async function answer(deps: CommandDeps, event: CommandEvent, command: string, result: Result, text: string): Promise<CommandOutcome> {
  await deps.gh.rest.issues.createComment({ ...event.repo, issue_number: event.issue.number, body: text });
  await reactToComment(deps.gh, event.repo, event.comment.id, result === "done" || result === "help" ? "rocket" : "confused");
  return { handled: true, command, result, reply: text };
}
