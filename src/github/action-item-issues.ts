import { headingPlainText } from "../minutes/heading-slug.js";
import { formatActionItemMarker, parseActionItemMarker, type ActionItemMarker } from "../state/action-item-marker.js";
import type { GitHub, RepoRef } from "./client.js";
import { createOnce } from "./create-once.js";
import { isNotFound, statusOf } from "./errors.js";

/**
 * The issues the App opens for a meeting's action items when its minutes are merged
 * (src/meetings/follow-up-on-merge.ts): finding them again by their marker, checking who can be
 * assigned, and opening one once. The issue's text is made here too, from the parsed item.
 */

/** An action-item issue the App opened, with its marker. */
export interface ActionItemIssue {
  number: number;
  url: string;
  state: "open" | "closed";
  marker: ActionItemMarker;
}

/** The App's action-item issues of a repository, and whether the listing reached its end. */
export interface ActionItemListing {
  issues: ActionItemIssue[];
  /** False when the page bound stopped the listing first: an item missing from it may still exist. */
  complete: boolean;
  /** Requests made. */
  pages: number;
}

/** The most pages of 100 issues read when looking for a meeting's action-item issues. */
export const MAX_LISTING_PAGES = 10;

/**
 * The action-item issues the App opened in `repo` and that were created or changed since
 * `since` (an ISO instant; GitHub filters by last update, and an issue's update is never before
 * its creation, so every issue opened since then is listed). Read page by page, newest first,
 * up to {@link MAX_LISTING_PAGES}: unlike the tick's one page (meeting-issues.ts), this must see
 * every issue it may duplicate, however many the App opened since.
 *
 * Only issues the App opened count (`creator` and author are its login): anyone can paste a marker.
 */
export async function listActionItemIssues(gh: GitHub, repo: RepoRef, botLogin: string, since: string | undefined): Promise<ActionItemListing> {
  const issues: ActionItemIssue[] = [];
  for (let page = 1; page <= MAX_LISTING_PAGES; page++) {
    const { data } = await gh.rest.issues.listForRepo({
      ...repo,
      creator: botLogin,
      state: "all",
      sort: "created",
      direction: "desc",
      per_page: 100,
      page,
      ...(since ? { since } : {}),
    });
    for (const issue of data) {
      if (issue.pull_request || issue.user?.login.toLowerCase() !== botLogin.toLowerCase()) continue;
      const marker = parseActionItemMarker(issue.body);
      if (marker) issues.push({ number: issue.number, url: issue.html_url, state: issue.state === "closed" ? "closed" : "open", marker });
    }
    if (data.length < 100) return { issues, complete: true, pages: page };
  }
  return { issues, complete: false, pages: MAX_LISTING_PAGES };
}

/**
 * Whether `login` can be assigned issues in `repo`: GitHub answers 204 when it can, 404 when it
 * cannot (not a collaborator, or no such user). Asked first because an issue created with one
 * assignee GitHub refuses is refused whole (422).
 */
export async function isAssignable(gh: GitHub, repo: RepoRef, login: string): Promise<boolean> {
  try {
    await gh.rest.issues.checkUserCanBeAssigned({ ...repo, assignee: login });
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/** An issue to open for one action item. */
export interface ActionItemIssueDraft {
  title: string;
  body: string;
  labels: string[];
  assignees: string[];
}

/**
 * Opens an action item's issue, once: if GitHub's answer is lost, `find` (the caller lists the
 * App's issues again and matches the marker) is asked before it is sent again (create-once.ts).
 * If GitHub refuses the assignees (422: someone stopped being assignable since the check), it is
 * opened without them, and `unassigned` says so; the body already names every owner.
 */
export async function openActionItemIssue(
  gh: GitHub,
  repo: RepoRef,
  draft: ActionItemIssueDraft,
  find: () => Promise<{ number: number; url: string } | null>,
): Promise<{ number: number; url: string; found: boolean; unassigned: boolean }> {
  const create = (assignees: string[]) => async () => {
    const { data } = await gh.rest.issues.create({
      ...repo,
      title: draft.title,
      body: draft.body,
      ...(draft.labels.length > 0 ? { labels: draft.labels } : {}),
      ...(assignees.length > 0 ? { assignees } : {}),
    });
    return { number: data.number, url: data.html_url };
  };
  try {
    return await withFound(createOnce(create(draft.assignees), find), false);
  } catch (error) {
    if (draft.assignees.length === 0 || !refusedAssignees(error)) throw error;
    // A 422 means nothing was opened: opening it without assignees cannot make a second one.
    return withFound(createOnce(create([]), find), true);
  }
}

async function withFound(
  created: Promise<{ value: { number: number; url: string }; found: boolean }>,
  unassigned: boolean,
): Promise<{ number: number; url: string; found: boolean; unassigned: boolean }> {
  const { value, found } = await created;
  return { ...value, found, unassigned };
}

/** GitHub's 422 for an assignee it will not take: `{"field":"assignees","code":"invalid"}`. */
function refusedAssignees(error: unknown): boolean {
  if (statusOf(error) !== 422) return false;
  const data = (error as { response?: { data?: { errors?: Array<{ field?: string }>; message?: string } } }).response?.data;
  return (data?.errors ?? []).some((entry) => entry.field === "assignees") || /assign/i.test(data?.message ?? "");
}

// ---------------------------------------------------------------------------------------------
// The issue's text

/** The longest title, in characters, before `…` (GitHub refuses titles over 256). */
export const MAX_ACTION_TITLE_CHARS = 120;
/** The longest details (the item's sub-bullets) quoted in the body, in characters. */
export const MAX_ACTION_DETAILS_CHARS = 4_000;

/** U+200B ZERO WIDTH SPACE: breaks `@name` mentions and `<!--` without changing what is shown. */
const ZWSP = "\u200B";

/**
 * The title of an action item's issue: the item's text as it renders (links' text, no emphasis
 * or escapes: a title is not Markdown), on one line, without controls or bidi overrides, at most
 * {@link MAX_ACTION_TITLE_CHARS} characters. A `<!--` is broken, should the title ever be
 * copied into a body where the App keeps its markers.
 */
export function actionItemTitle(text: string): string {
  const plain = headingPlainText(text)
    .replace(/[\u202A-\u202E\u2066-\u2069]/g, "")
    .replace(/[\u0000-\u001F\u007F-\u009F]/g, " ")
    .replace(/[\s\u2028\u2029]+/g, " ")
    .trim();
  const points = Array.from(plain);
  const cut = points.length > MAX_ACTION_TITLE_CHARS ? `${points.slice(0, MAX_ACTION_TITLE_CHARS - 1).join("").trimEnd()}…` : plain;
  return (cut === "" ? "Action item" : cut).replace(/<!--/g, `<!${ZWSP}--`);
}

/**
 * `@` written as an HTML character reference (`&#64;`, `&#x40;`, `&commat;`), which Markdown
 * decodes to `@`: without a `;`, a number must end where the reference does.
 */
const AT_REFERENCE = /(&#0*64(?![0-9]);?|&#x0*40(?![0-9a-f]);?|&commat;)(?=[A-Za-z0-9_-])/gi;

/**
 * Minutes text made safe to quote in an issue or comment the App writes: every `<!--` and `-->`
 * broken (so no text can open or close an HTML comment, hide what follows, or pose as one of the
 * App's markers), every `@name` broken, including one whose `@` is an HTML character reference
 * (quoting the minutes must not notify everyone they name once more), at most `max` characters.
 * Markdown otherwise renders as written.
 */
export function inertMarkdown(text: string, max: number): string {
  const points = Array.from(text.replace(/\r\n?/g, "\n"));
  const cut = points.length > max ? `${points.slice(0, max - 1).join("").trimEnd()}…` : points.join("");
  return cut
    .replace(/<!--/g, `<!${ZWSP}--`)
    .replace(/--(?=>)/g, `-${ZWSP}-`)
    .replace(/[\u202A-\u202E\u2066-\u2069]/g, "")
    .replace(/@(?=[A-Za-z0-9_-])/g, `@${ZWSP}`)
    .replace(AT_REFERENCE, `$1${ZWSP}`);
}

/** Markdown quoted as a block: `> ` before each line. */
export function quoteBlock(markdown: string): string {
  return markdown
    .split("\n")
    .map((line) => (line === "" ? ">" : `> ${line}`))
    .join("\n");
}

/** What an action item's issue says. */
export interface ActionItemIssueText {
  /** The item's text (inline Markdown), its details, due date, owners and teams, as parsed. */
  item: { text: string; details: string; due: string | null; owners: string[]; teams: string[]; section: string | null; itemUrl: string | null };
  /** Owners GitHub lets the App assign in the issue's repository. */
  assignable: ReadonlySet<string>;
  /** The organisation the teams may be mentioned in: the issue repository's owner. */
  org: string;
  meeting: { title: string; url: string };
  /** The item's place in the merged minutes file: a link to its section, and the file's path. */
  minutes: { path: string; url: string };
  marker: ActionItemMarker;
}

/**
 * The issue for one action item: its text, who owns it (assigned owners, mentioned; then the
 * others, named in a code span that notifies nobody: the doc may name any account, and one merge
 * must not notify hundreds of strangers; then teams), when it is due, links to its section
 * of the merged minutes, to the meeting and to the agenda item it was written under, its
 * details, and the marker last. Minutes text is quoted inert (see {@link inertMarkdown}); teams
 * of another organisation are named, not mentioned.
 */
export function actionItemIssue(text: ActionItemIssueText, labels: string[]): ActionItemIssueDraft {
  const { item } = text;
  const assignees = item.owners.filter((owner) => text.assignable.has(owner.toLowerCase()));
  const others = item.owners.filter((owner) => !text.assignable.has(owner.toLowerCase()));
  const owners = [
    ...assignees.map((owner) => `@${owner}`),
    // Named in a code span, not mentioned: anyone who can edit the doc may name any account.
    ...others.map((owner) => `\`@${owner}\` (not assignable in this repository)`),
    ...item.teams.map((team) => (team.split("/")[0]!.toLowerCase() === text.org.toLowerCase() ? `@${team}` : `@${ZWSP}${team}`)),
  ];
  const lines = [
    `An action item from the [${inertMarkdown(text.meeting.title, 200).replace(/[[\]]/g, "\\$&")}](${text.meeting.url}).`,
    "",
    quoteBlock(inertMarkdown(item.text, 2_000)),
    "",
    `- **Owners:** ${owners.length > 0 ? owners.join(", ") : "none named in the minutes"}`,
    ...(item.due ? [`- **Due:** ${item.due}`] : []),
    `- **Minutes:** [\`${text.minutes.path}\`](${text.minutes.url})${item.section ? `, under ${inertMarkdown(headingPlainText(item.section), 200).replace(/[[\]<>`*_~|\\]/g, "\\$&")}` : ""}`,
    ...(item.itemUrl ? [`- **Agenda item:** ${agendaItemReference(item.itemUrl)}`] : []),
  ];
  if (item.details.trim() !== "") lines.push("", "Details from the minutes:", "", quoteBlock(inertMarkdown(item.details, MAX_ACTION_DETAILS_CHARS)));
  lines.push("", formatActionItemMarker(text.marker), "");
  return { title: actionItemTitle(item.text), body: lines.join("\n"), labels, assignees };
}

/**
 * An agenda item as GitHub's own short reference (`owner/repo#31`), which GitHub links on any
 * host: the parser reads item links as github.com URLs, which would be wrong on GitHub
 * Enterprise Server. Anything else is shown as it was.
 */
export function agendaItemReference(url: string): string {
  const match = /^https:\/\/github\.com\/([A-Za-z0-9-]+)\/((?!\.+\/)[A-Za-z0-9._-]+)\/(?:issues|pull)\/(\d+)$/.exec(url);
  return match ? `${match[1]}/${match[2]}#${match[3]}` : url;
}
