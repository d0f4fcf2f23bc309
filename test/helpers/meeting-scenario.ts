import { COMMAND_LEASE_MS } from "../../src/state/claim-refs.js";
import { parseReplyMarker } from "../../src/state/reply-marker.js";
import { getBotLogin } from "../../src/github/installations.js";
import { loadGoogleDocs } from "../../src/google/google-docs.js";
import { appPropertyValue, meetingKey } from "../../src/google/doc-key.js";
import { docUrl } from "../../src/google/minutes-doc.js";
import { handleChairCommand } from "../../src/meetings/chair-command.js";
import { parseMarker } from "../../src/state/meeting-marker.js";
import { runTick, type TickReport } from "../../src/meetings/tick.js";
import { fakeWorld, type FakeWorld } from "./fake-world.js";
import { FAST_RETRY, keyJson } from "./google.js";
import { createProductionLikeProbot } from "./probot.js";

/**
 * One meeting of one series, end to end against the stateful fake GitHub and Drive, with
 * Octokit's retry and throttling as in production: the tick that opens the meeting (issue,
 * Google doc shared with anyone and a group, the previous meeting closed), and a chair's
 * `/minutes` (the doc exported into one PR, one reply). Used by the fault matrix and the
 * adversarial tests of issue 10, finding 5.
 */
export const REPO = "acme/wg";
export const BOT = "wg-meetings[bot]";
export const CHAIR = "chair";
export const BRANCH = "wg-meetings/minutes-wg-2024-10-31";
/** Monday 2024-10-28 15:00 UTC: the Thursday 2024-10-31 10:00 New York (14:00 UTC) meeting is due. */
export const NOW = new Date("2024-10-28T15:00:00Z");
export const AT = "2024-10-31T14:00:00.000Z";
const PREVIOUS_AT = "2024-10-24T14:00:00.000Z";
/** The next tick, later by the default interval: every claim the first run left is stale by then. */
export const LATER = new Date(NOW.getTime() + 10 * 60_000);

export const CONFIG = `meetings:
  - id: wg
    name: Working group
    host: Acme
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=TH
      start: 2024-10-03T10:00
      zone: America/New_York
    createBefore: P3D
    agenda: { label: wg-agenda, repos: [acme/wg] }
    issue:
      labels: [meeting]
      closePrevious: true
    minutes:
      doc: google
      google:
        folder: F1
        share:
          anyone: reader
          groups: [{ email: wg@acme.example, role: writer }]
      labels: [meeting-notes]
`;

/** The grants the config asks for, as Drive records them. */
const GRANTS = [
  { type: "anyone", role: "reader" },
  { type: "group", role: "writer", emailAddress: "wg@acme.example" },
];

/** A fresh world: the repository, its config, last week's meeting issue still open, one agenda item. */
export function newWorld(): FakeWorld {
  const world = fakeWorld({
    repo: REPO,
    installationId: 1,
    config: CONFIG,
    bot: BOT,
    roles: { [CHAIR]: "write" },
    fullTick: true,
    driveMetadata: true,
    exportedDoc: "# Working group\n\n## Notes\n\n* We shipped it.\n",
  });
  world.agenda.push({ repo: REPO, number: 7, title: "Ship it" });
  const marker = `<!-- wg-meetings:meeting ${JSON.stringify({ v: 1, series: "wg", at: PREVIOUS_AT, date: "2024-10-24", doc: null })} -->`;
  world.issues.push({ number: 1, title: "Acme Working group Meeting 2024-10-24", body: `## Agenda\n\n${marker}\n`, state: "open", labels: ["meeting"], user: BOT });
  return world;
}

/** The Google gateway as the App loads it, with short backoff waits. */
const google = () => loadGoogleDocs({ GOOGLE_CREDENTIALS_JSON: keyJson() }, { retry: FAST_RETRY });

/** One full tick (every installation) at `now`, as the server runs it; never throws. */
export async function tick(now: Date): Promise<TickReport | Error> {
  const { probot } = await createProductionLikeProbot();
  return runTick({ auth: (id) => probot.auth(id), log: probot.log, google }, { now, clock: () => now }).catch((error: Error) => error);
}

let nextComment = 9000;

/**
 * A chair's comment on the open meeting issue, delivered to the App's handler as the server
 * would (same wiring, with short Google waits). `id` repeats a delivery of an earlier comment;
 * `afterLease`: it comes after the command's lease (COMMAND_LEASE_MS). Never throws.
 */
export async function deliverComment(world: FakeWorld, body: string, id = ++nextComment, options: { afterLease?: boolean } = {}): Promise<number> {
  const issue = world.issues.find((candidate) => parseMarker(candidate.body)?.at === AT);
  if (!issue) return id;
  const { probot } = await createProductionLikeProbot();
  const gh = await probot.auth(1);
  let login: Promise<string> | undefined;
  await handleChairCommand(
    {
      repo: { owner: "acme", repo: "wg" },
      defaultBranch: "main",
      issue: { number: issue.number, url: `https://github.com/${REPO}/issues/${issue.number}`, body: issue.body, author: BOT, isPullRequest: false, isClosed: issue.state === "closed" },
      comment: { id, body, author: CHAIR, authorIsBot: false },
    },
    {
      gh,
      botLogin: () => (login ??= probot.auth().then(getBotLogin)),
      google,
      log: probot.log,
      now: () => NOW,
      // A later delivery: any 👀 an earlier run left unanswered is past its lease.
      ...(options.afterLease ? { clock: () => new Date(Date.now() + COMMAND_LEASE_MS + 60_000) } : {}),
    },
  ).catch(() => undefined);
  return id;
}

/** What is wrong with the world after a run and its re-run: duplicates and half-written states. */
export interface Findings {
  duplicates: string[];
  halfWritten: string[];
}

/** Checks the tick's outcome: one issue, one doc, one set of grants, the previous meeting closed. */
export function checkTick(world: FakeWorld): Findings {
  const duplicates: string[] = [];
  const halfWritten: string[] = [];
  const meetings = world.issues.filter((issue) => parseMarker(issue.body)?.at === AT);
  if (meetings.length > 1) duplicates.push(`${meetings.length} meeting issues`);
  const key = appPropertyValue(meetingKey({ repository: REPO, series: "wg", start: AT }));
  const docs = world.docs.filter((doc) => Object.values(doc.appProperties).includes(key));
  if (docs.length > 1) duplicates.push(`${docs.length} docs`);
  for (const doc of docs) {
    for (const grant of GRANTS) {
      const count = doc.permissions.filter((p) => p.type === grant.type && p.role === grant.role && (p.emailAddress ?? undefined) === grant.emailAddress).length;
      if (count > 1) duplicates.push(`${count} grants to ${grant.emailAddress ?? grant.type} on ${doc.id}`);
      if (count === 0) halfWritten.push(`doc ${doc.id} not shared with ${grant.emailAddress ?? grant.type}`);
    }
  }
  const [issue] = meetings;
  if (!issue) halfWritten.push("no meeting issue");
  else {
    const doc = parseMarker(issue.body)?.doc;
    if (!doc) halfWritten.push(`issue #${issue.number} has no doc in its marker`);
    else if (!issue.body.includes(docUrl(doc))) halfWritten.push(`issue #${issue.number} does not link its doc`);
    else if (!docs.some((candidate) => candidate.id === doc)) halfWritten.push(`issue #${issue.number} names a doc that is not the meeting's`);
    if (docs.length === 0) halfWritten.push("no doc");
  }
  const previous = world.issues.find((candidate) => candidate.number === 1)!;
  const closing = world.comments.filter((comment) => comment.issue === 1 && comment.body.startsWith("The next meeting of this series is open"));
  if (closing.length > 1) duplicates.push(`${closing.length} closing comments on the previous meeting`);
  if (issue && previous.state !== "closed") halfWritten.push("the previous meeting is still open");
  if (previous.state === "closed" && closing.length === 0) halfWritten.push("the previous meeting was closed without its comment");
  const alarms = world.issues.filter((candidate) => !parseMarker(candidate.body) && candidate.state === "open");
  if (alarms.length > 0) halfWritten.push(`${alarms.length} alarm issue(s) left open: ${alarms.map((a) => a.title).join("; ")}`);
  return { duplicates, halfWritten };
}

/** Checks `/minutes`: one PR for the branch, labelled, with the file; one reply (and 🚀/😕) per comment. */
export function checkMinutes(world: FakeWorld, comments: readonly number[]): Findings {
  const duplicates: string[] = [];
  const halfWritten: string[] = [];
  const pulls = world.pulls.filter((pull) => pull.head === BRANCH);
  if (pulls.length > 1) duplicates.push(`${pulls.length} pull requests`);
  if (pulls.length === 0) halfWritten.push(world.files.has(BRANCH) ? "a branch without a pull request" : "no pull request");
  for (const pull of pulls) {
    if (!pull.labels.includes("meeting-notes")) halfWritten.push(`PR #${pull.number} without its label`);
    if (pull.state !== "open") halfWritten.push(`PR #${pull.number} is ${pull.state}`);
  }
  if (pulls.length > 0 && !world.files.get(BRANCH)?.get("meetings/2024-10-31.md")?.includes("We shipped it.")) {
    halfWritten.push("the PR's branch lacks the minutes file");
  }
  for (const id of new Set(comments)) {
    const replies = world.comments.filter((comment) => comment.user === BOT && parseReplyMarker(comment.body)?.comment === id);
    if (replies.length > 1) duplicates.push(`${replies.length} replies to comment ${id}`);
    if (replies.length === 0) halfWritten.push(`comment ${id} has no reply`);
    const final = world.reactions.filter((r) => r.comment === id && (r.content === "rocket" || r.content === "confused"));
    if (replies.length > 0 && final.length === 0) halfWritten.push(`comment ${id} has a reply but no 🚀/😕`);
  }
  return { duplicates, halfWritten };
}

/** The result (🚀 or 😕) the App gave a comment, if any. */
export function finalReaction(world: FakeWorld, id: number): string | undefined {
  return world.reactions.find((r) => r.comment === id && (r.content === "rocket" || r.content === "confused"))?.content;
}
