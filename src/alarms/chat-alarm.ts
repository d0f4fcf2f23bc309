import type { GitHub, RepoRef } from "../github/client.js";
import { commentOnIssue, createAlarmIssue, editAlarmIssue } from "../github/alarm-issues.js";
import { listAppIssues, type AppIssue } from "../github/meeting-issues.js";
import { parseMarker } from "../state/meeting-marker.js";
import { normalizeBody } from "./alarm-text.js";
import { codeSpan, inlineText, utcText } from "./markdown.js";

/**
 * The chat alarm: one issue per chat destination that keeps failing, so the group learns that
 * its announcements do not arrive (a failing destination never stops a meeting: see
 * src/announce/). It names the destination and says why in public-safe words (a ChatError's
 * message: the service's status, never its URL or token), and what the operator or the repository
 * can do. It is found again by its own hidden marker, `<!-- wg-meetings:chat-alarm {…} -->`,
 * in the App's own issues only; the App closes it when a post to that destination succeeds again.
 */

export const CHAT_ALARM_PREFIX = "<!-- wg-meetings:chat-alarm ";
const CHAT_ALARM_PATTERN = /<!-- wg-meetings:chat-alarm (\{[^\n]*?\}) -->/g;

/** What a chat alarm's marker says: which destination, and whether the App closed it (resolved). */
export interface ChatAlarmMarker {
  v: 1;
  destination: string;
  resolved?: true;
}

/** What the alarm says about the failure. */
export interface ChatAlarmContent {
  destination: string;
  /** The service (`slack`, …) when known. */
  service?: string | undefined;
  /** Why the last post failed, public-safe (a ChatError's message). */
  reason: string;
  /** The failure kind (a ChatError's, or `template` for a repository template that cannot be used), which picks the advice. */
  kind: string;
  /** The meeting whose announcement failed. */
  meeting: { title: string; url: string };
  /** How many times in a row it failed. */
  failures: number;
  now: Date;
}

export function formatChatAlarmMarker(marker: ChatAlarmMarker): string {
  const json = JSON.stringify({ v: 1, destination: marker.destination, ...(marker.resolved ? { resolved: true } : {}) });
  return `${CHAT_ALARM_PREFIX}${json.replace(/--/g, "-\\u002d")} -->`;
}

/** The last chat-alarm marker of a body; null when there is none or it is malformed. */
export function parseChatAlarmMarker(body: string | null | undefined): ChatAlarmMarker | null {
  const match = body ? Array.from(body.matchAll(CHAT_ALARM_PATTERN)).at(-1) : undefined;
  if (!match?.[1]) return null;
  try {
    const value = JSON.parse(match[1]) as { v?: unknown; destination?: unknown; resolved?: unknown };
    if (value.v !== 1 || typeof value.destination !== "string" || value.destination === "") return null;
    return { v: 1, destination: value.destination, ...(value.resolved === true ? { resolved: true as const } : {}) };
  } catch {
    return null;
  }
}

function withChatAlarmMarker(body: string, marker: ChatAlarmMarker): string {
  const last = Array.from(body.matchAll(CHAT_ALARM_PATTERN)).at(-1);
  const stripped = (last?.index !== undefined ? body.slice(0, last.index) + body.slice(last.index + last[0].length) : body).replace(/\s+$/, "");
  return `${stripped}\n\n${formatChatAlarmMarker(marker)}\n`;
}

/** What the operator or the group can do about a failure of this kind. */
function advice(kind: string, destination: string): string[] {
  const name = codeSpan(destination, 80);
  const operator = `Whoever runs this wg-meetings App checks the entry ${name} of \`WG_MEETINGS_CHAT\` (in Actions mode: the workflow's secret): the webhook, bot key or access token may have been revoked or the channel removed.`;
  switch (kind) {
    case "not-configured":
      return [
        `The App's operator has no destination named ${name} open to this repository's owner: ask them to add it to \`WG_MEETINGS_CHAT\` (or to list this owner among its \`owners\`), or fix the name in \`announce.to\` of \`.github/meetings.yml\`.`,
      ];
    case "not-allowed":
      return [
        `The destination ${name} exists but is not open to this repository's owner: the operator lists the GitHub owners allowed to use it (\`owners\` of its entry in \`WG_MEETINGS_CHAT\`).`,
      ];
    case "template":
      return [
        "The repository's own template for this announcement cannot be used: fix the file that `announce.templates` of `.github/meetings.yml` names, or remove that entry to use the App's default message.",
      ];
    case "rate-limited":
    case "unavailable":
      return ["The service did not take the message for now; the App tries again on later ticks.", operator];
    default:
      return [operator, "Or take the destination out of `announce.to` in `.github/meetings.yml`."];
  }
}

/** Title and body of a chat alarm (pure). */
export function chatAlarmText(content: ChatAlarmContent): { title: string; body: string } {
  const name = codeSpan(content.destination, 80);
  const service = content.service ? ` (${inlineText(content.service, 40)})` : "";
  const body = [
    `The wg-meetings App cannot post meeting announcements to the chat destination ${name}${service}.`,
    "",
    "### Cause",
    "",
    `Posting the announcement of [${inlineText(content.meeting.title, 200)}](${content.meeting.url}) failed ${content.failures} times in a row; the last answer (${utcText(content.now)}): ${codeSpan(content.reason, 300)}.`,
    "",
    "### How to fix it",
    "",
    ...advice(content.kind, content.destination).map((line) => `- ${line}`),
    "",
    "<sub>The meetings themselves go on: issues, docs and minutes do not wait for chat. The App closes this issue once a post to this destination succeeds.</sub>",
  ].join("\n");
  return {
    title: `wg-meetings cannot post to the chat destination ${content.destination}`,
    body: withChatAlarmMarker(body, { v: 1, destination: content.destination }),
  };
}

/** The App's chat alarms of one destination, oldest first. */
function alarmsOf(issues: readonly AppIssue[], botLogin: string, destination: string): Array<AppIssue & { marker: ChatAlarmMarker }> {
  return issues
    .flatMap((issue) => {
      if (issue.author?.toLowerCase() !== botLogin.toLowerCase() || parseMarker(issue.body)) return [];
      const marker = parseChatAlarmMarker(issue.body);
      return marker && marker.destination === destination ? [{ ...issue, marker }] : [];
    })
    .sort((a, b) => a.number - b.number);
}

/** Whether the App's issues show an open chat alarm of `destination` (no request). */
export function hasOpenChatAlarm(issues: readonly AppIssue[], botLogin: string, destination: string): boolean {
  return alarmsOf(issues, botLogin, destination).some((alarm) => alarm.state === "open");
}

/**
 * Opens the destination's chat alarm, or brings the open one up to date (edited only when its
 * cause changed). One a person closed is left closed while its cause is unchanged; one the App
 * closed (resolved) is history, and a new failure opens a new alarm.
 */
export async function raiseChatAlarm(
  gh: GitHub,
  repo: RepoRef,
  content: ChatAlarmContent,
  known: { botLogin: string; issues?: readonly AppIssue[] },
): Promise<{ action: "opened" | "updated" | "unchanged"; number: number }> {
  const issues = known.issues ?? (await listAppIssues(gh, repo, known.botLogin));
  const alarms = alarmsOf(issues, known.botLogin, content.destination);
  const text = chatAlarmText(content);
  const cause = causeOf(text.body);
  const open = alarms.find((alarm) => alarm.state === "open");
  if (open) {
    if (causeOf(open.body) === cause) return { action: "unchanged", number: open.number };
    await editAlarmIssue(gh, repo, open.number, { title: text.title, body: text.body });
    return { action: "updated", number: open.number };
  }
  const latest = alarms.at(-1);
  if (latest && !latest.marker.resolved && causeOf(latest.body) === cause) return { action: "unchanged", number: latest.number };
  const created = await createAlarmIssue(gh, repo, text);
  return { action: "opened", number: created.number };
}

/** Closes the destination's open chat alarm (a post succeeded again), with a comment saying so. */
export async function clearChatAlarm(
  gh: GitHub,
  repo: RepoRef,
  destination: string,
  known: { botLogin: string; issues?: readonly AppIssue[] },
): Promise<{ action: "closed"; number: number } | { action: "none" }> {
  const issues = known.issues ?? (await listAppIssues(gh, repo, known.botLogin));
  let closed: number | undefined;
  for (const alarm of alarmsOf(issues, known.botLogin, destination)) {
    if (alarm.state !== "open") continue;
    await commentOnIssue(gh, repo, alarm.number, `An announcement was posted to ${codeSpan(destination, 80)} again. Closing this alarm.`);
    const body = withChatAlarmMarker(alarm.body, { ...alarm.marker, resolved: true });
    await editAlarmIssue(gh, repo, alarm.number, { state: "closed", body });
    // The run's shared listing now shows it closed: a later meeting of this run posting to the
    // same destination does not close (and comment on) it again.
    const listed = issues.find((issue) => issue.number === alarm.number);
    if (listed) Object.assign(listed, { state: "closed", body });
    closed ??= alarm.number;
  }
  return closed === undefined ? { action: "none" } : { action: "closed", number: closed };
}

/**
 * The cause as it matters for editing: the destination and the failure's words, not the count
 * or the time (those change on every failure and would edit the issue each time).
 */
function causeOf(body: string): string {
  const text = normalizeBody(body);
  const line = text.split("\n").find((candidate) => candidate.startsWith("Posting the announcement of ")) ?? "";
  return line.replace(/failed \d+ times in a row; the last answer \([^)]*\)/, "failed");
}
