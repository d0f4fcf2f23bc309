import { CHAIR_COMMANDS, CommandUsageError, parseChairCommand } from "../commands/parse-command.js";
import { MOVE_USAGE, parseMoveArgs } from "../commands/parse-move.js";
import type { GitHub, Log, RepoRef } from "../github/client.js";
import { describeError } from "../github/errors.js";
import { GITHUB_COM_WEB_URL } from "../github/web-host.js";
import { claimCommand, finalReaction, reactToCommandComment, replyOnce } from "../github/command-claims.js";
import { atLeast, mayChair, repositoryRole } from "../github/permissions.js";
import { loadRepoConfig } from "../github/repo-config.js";
import type { SeriesConfig } from "../config/schema.js";
import type { GoogleDocs } from "../google/types.js";
import type { HackmdClient } from "../hackmd/client.js";
import type { ChatLoader } from "../announce/announce-meeting.js";
import { parseMarker, type MeetingMarker } from "../state/meeting-marker.js";
import type { ReplyResult } from "../state/reply-marker.js";
import { cancelMeeting } from "./cancel-meeting.js";
import { listFollowUp } from "./follow-up.js";
import { moveMeeting } from "./move-meeting.js";
import { templateSourceOf } from "./open-meeting.js";
import { markerOccurrence, refreshAgenda } from "./refresh-agenda.js";

/** The parts of an `issue_comment.created` event the command needs. */
export interface CommandEvent {
  repo: RepoRef;
  defaultBranch: string;
  /** The event's repository `private` flag: what `/minutes` may say of a team's members (not known counts as public). */
  repoPrivate?: boolean;
  issue: { number: number; url: string; body: string | null; author: string; isPullRequest: boolean; isClosed: boolean };
  comment: { id: number; body: string; author: string; authorIsBot: boolean };
}

/** What became of a comment: why it was ignored, or what the App answered. */
export type CommandOutcome =
  | { handled: false; why: string }
  | { handled: true; command: string; result: Result; reply: string };

type Result = ReplyResult;

export interface CommandDeps {
  gh: GitHub;
  /** The App's own login (`slug[bot]`), fetched only for comments that look like commands. */
  botLogin: () => Promise<string>;
  google: () => Promise<GoogleDocs | null>;
  /** The HackMD gateway, loaded on first use (null without a HackMD token; absent: never loaded). */
  hackmd?: () => Promise<HackmdClient | null>;
  /** The chat gateway, loaded only when a series with `announce` is moved or cancelled. */
  chat?: ChatLoader;
  log: Log;
  /** The current time (commands compare it with the meeting's start). */
  now?: () => Date;
  /** The wall clock the command's claim is aged with (default: the real one). */
  clock?: () => Date;
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
 * carries a meeting marker and was opened by the App itself. Then: the claim (👀, see
 * command-claims.ts: a redelivery stops there), who may run it, the work, and one reply with 🚀
 * or 😕. `/help` is answered for anyone, since it changes nothing.
 *
 * Who may run it, and what a commenter sees:
 * - The commenter's repository role is read first (one request). Someone with at least write
 *   access can read and change `.github/meetings.yml` anyway: when it is missing or invalid,
 *   or no longer has the meeting's series, they are told so, errors included.
 * - Anybody else is only ever told that the command is for the chairs. Their command reads the
 *   config (named chairs live there) but nothing of it reaches the reply when it is missing or
 *   invalid, and no Google work is done for them.
 * - With a valid config the series' `chairs` decides: named users and teams replace the
 *   permission rule; otherwise at least `chairs.permission` on the repository.
 * An unknown command (`/cc @x`) from anyone but a chair is plain text: no 👀, no answer.
 *
 * Each comment is answered once, whatever is redelivered or replayed at once.
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
  const reply = (work: () => Promise<[Result, string]>) => respond({ event, deps, botLogin, command: command.name, ctx }, work);
  if (command.name === "help") return reply(async () => ["help", HELP]);

  if (!(CHAIR_COMMANDS as readonly string[]).includes(command.name)) {
    // `/cc @x` or `/shrug` is just text, unless a chair wrote it: a chair who mistyped gets the list.
    const access = await commandAccess(gh, repo, comment.author, marker.series);
    if (access.kind === "not-chair") return { handled: false, why: "unknown command from a non-chair" };
    if (access.kind === "config-problem") return reply(async () => ["failed", `I could not run \`/${command.name}\`: ${access.why}`]);
    return reply(async () => ["help", `I don't know \`/${command.name}\`. ${HELP}`]);
  }

  // A chair command: claimed first (a redelivery stops at the claim), then who may run it.
  return reply(async () => {
    try {
      const access = await commandAccess(gh, repo, comment.author, marker.series);
      if (access.kind === "config-problem") return ["failed", `I could not run \`/${command.name}\`: ${access.why}`];
      if (access.kind === "not-chair") {
        log.info(ctx, "refused: not a chair");
        return [
          "unauthorized",
          `Thanks @${comment.author}! Only ${access.who} can run \`/${command.name}\` here, so I have not changed anything. A chair can run it for you.`,
        ];
      }
      return await run(command.name, command.args, { event, deps, series: access.series, marker, botLogin });
    } catch (error) {
      if (error instanceof CommandUsageError) return ["refused", `I did not run \`/${command.name}\`: ${error.message}`];
      log.error({ ...ctx, err: describeError(error) }, "command failed");
      return [
        "failed",
        `Something went wrong while running \`/${command.name}\` (the details are in the App's logs). Anything already done is kept; run it again to finish.`,
      ];
    }
  });
}

/** Who the commenter is to this meeting's commands; see handleChairCommand. */
type Access =
  | { kind: "chair"; series: SeriesConfig }
  /** `who`: the people who may, as the reply names them. */
  | { kind: "not-chair"; who: string }
  /** For commenters with write access only: why the config cannot be used, errors included. */
  | { kind: "config-problem"; why: string };

/** Said to anyone without write access when the config cannot tell who the chairs are. */
const THE_CHAIRS = "the chairs of this meeting";

async function commandAccess(gh: GitHub, repo: RepoRef, login: string, seriesId: string): Promise<Access> {
  const role = await repositoryRole(gh, repo, login);
  const mayReadConfig = atLeast(role, "write");
  const config = await loadRepoConfig(gh, repo);
  if (config.status !== "ok") {
    if (!mayReadConfig) return { kind: "not-chair", who: THE_CHAIRS };
    const why =
      config.status === "none"
        ? "this repository has no `.github/meetings.yml` any more"
        : `\`.github/meetings.yml\` is invalid:\n\n${config.errors.map((error) => `* ${error.message}`).join("\n")}`;
    return { kind: "config-problem", why };
  }
  const series = config.config.meetings.find((candidate) => candidate.id === seriesId);
  if (!series) {
    if (!mayReadConfig) return { kind: "not-chair", who: THE_CHAIRS };
    return { kind: "config-problem", why: `the series \`${seriesId}\` is no longer in \`.github/meetings.yml\`.` };
  }
  if (await mayChair(gh, repo, login, series.chairs, role)) return { kind: "chair", series };
  const who =
    series.chairs.users.length + series.chairs.teams.length > 0
      ? "the chairs named in `.github/meetings.yml`"
      : `people with ${series.chairs.permission} access to this repository`;
  return { kind: "not-chair", who };
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
      // Loaded here: composing minutes brings markdownlint (and micromark), which nothing else needs.
      const { publishMinutes } = await import("./publish-minutes.js");
      const result = await publishMinutes({
        gh,
        repo,
        defaultBranch: event.defaultBranch,
        series,
        issue: { number: issue.number, url: issue.url },
        marker,
        args,
        google: deps.google,
        ...(deps.hackmd ? { hackmd: deps.hackmd } : {}),
        botLogin: run.botLogin,
        log: deps.log,
        ...(event.repoPrivate !== undefined ? { repoPrivate: event.repoPrivate } : {}),
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
      // What earlier meetings left (carried-over marks, open action items): without it the
      // refresh would drop both until the next tick put them back. Listed only when the refresh
      // can run (it refuses a closed or started meeting first): one listing of the App's issues,
      // and one of `actionItems.repository` when that is another repository. (The web host only
      // makes the previous meeting's link, which is in the Links section, and no command rewrites it.)
      const live = state === "open" && now < markerOccurrence(series, marker).start;
      const followUp = live
        ? await listFollowUp(
            gh,
            {
              series,
              at: marker.at,
              date: marker.date,
              repo,
              defaultBranch: event.defaultBranch,
              webUrl: GITHUB_COM_WEB_URL,
              botLogin: run.botLogin,
            },
            deps.log,
            { meetingPrivate: event.repoPrivate },
          )
        : undefined;
      const result = await refreshAgenda({
        gh,
        repo,
        series,
        issue: { number: issue.number, state, marker },
        now,
        log: deps.log,
        templateSource: await templateSourceOf(gh, repo, series),
        publicUrl: deps.publicUrl ?? null,
        followUp,
      });
      if (result.action === "skipped") return ["refused", `I did not refresh the agenda: ${result.why}.`];
      const items = `${result.items} item${result.items === 1 ? "" : "s"}`;
      return ["done", result.action === "updated" ? `The agenda is refreshed: ${items}.` : `The agenda was already up to date: ${items}.`];
    }
    case "cancel": {
      const result = await cancelMeeting(gh, repo, issue.number, { by: event.comment.author, reason: args });
      // Also on "already cancelled": a redelivery finishes an announcement the first run could not.
      await announce(run, "cancelled", now);
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
        defaultBranch: event.defaultBranch,
        webUrl: GITHUB_COM_WEB_URL,
        repoPrivate: event.repoPrivate,
        google: deps.google,
        ...(deps.hackmd ? { hackmd: deps.hackmd } : {}),
        templateSource: await templateSourceOf(gh, repo, series),
        publicUrl: deps.publicUrl ?? null,
        log: deps.log,
      });
      if (!result.moved) return ["refused", `I did not move the meeting: ${result.reason}`];
      await announce(run, "moved", now);
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

/**
 * Posts the chat announcement a `/move` or `/cancel` owes (src/announce/), once per destination
 * whatever is redelivered; it never fails the command (a failing destination is counted in the
 * marker and reported in the chat alarm). The announce code loads only for a series with `announce`.
 */
async function announce(run: RunContext, event: "moved" | "cancelled", now: Date): Promise<void> {
  const { series, deps } = run;
  if (!series.announce) return;
  const { announceMeeting } = await import("../announce/announce-meeting.js");
  await announceMeeting({
    gh: deps.gh,
    repo: run.event.repo,
    defaultBranch: run.event.defaultBranch,
    series,
    issue: { number: run.event.issue.number },
    chat: deps.chat,
    botLogin: run.botLogin,
    now,
    clock: deps.clock,
    log: deps.log,
    event,
  });
}

interface Respond {
  event: CommandEvent;
  deps: CommandDeps;
  botLogin: string;
  command: string;
  ctx: Record<string, unknown>;
}

/**
 * Claims the comment (👀), does the work, replies once and marks the comment 🚀 (success) or
 * 😕 (anything else). A delivery that finds the comment answered, or being answered, stops.
 */
async function respond({ event, deps, botLogin, command, ctx }: Respond, work: () => Promise<[Result, string]>): Promise<CommandOutcome> {
  const { gh, log } = deps;
  const target = { id: event.comment.id, issueNumber: event.issue.number };
  const now = (deps.clock ?? (() => new Date()))();
  const claim = await claimCommand(gh, event.repo, target, { botLogin, defaultBranch: event.defaultBranch, now });
  if (claim.status === "answered") {
    log.info(ctx, "skipped: this comment was already answered (redelivered event)");
    return { handled: false, why: "already answered" };
  }
  if (claim.status === "busy") {
    log.info({ ...ctx, reason: claim.reason }, "skipped: another delivery of this comment is answering it");
    return { handled: false, why: "being answered" };
  }
  if (claim.tookOver) log.warn(ctx, "taking over a command whose first run did not answer it");
  const [result, text] = await work();
  await replyOnce(gh, event.repo, target, { text, result }, { botLogin, since: claim.since, lookFirst: claim.tookOver });
  await reactToCommandComment(gh, event.repo, event.comment.id, finalReaction(result));
  return { handled: true, command, result, reply: text };
}
