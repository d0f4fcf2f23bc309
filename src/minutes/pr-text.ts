import { meetingDateParts } from "./meeting-date.js";

/**
 * The names and words of the minutes pull request. The branch is a function of the series and
 * the date alone, so a second `/minutes` finds the same branch and updates the same PR instead
 * of opening another.
 */

/** `doc: add 2022-07-21 meeting notes`, the title the Node.js minutes PRs have. */
export function minutesPrTitle(date: string): string {
  meetingDateParts(date, "minutes PR title");
  return `doc: add ${date} meeting notes`;
}

/** The links a minutes PR body shows. */
export interface MinutesPrLinks {
  issueUrl: string;
  docUrl: string | null;
  recordingUrl: string | null;
}

/**
 * The PR body: the links, then `Fixes: <issue URL>` on a line of its own — GitHub closes the
 * meeting issue when the PR is merged into the default branch (the App also closes it, for PRs
 * merged elsewhere).
 */
export function minutesPrBody(links: MinutesPrLinks): string {
  const lines = [
    "The minutes of this meeting, published with `/minutes` on the meeting issue. Review them, fix what is wrong, then merge.",
    "",
    `* **GitHub Issue**: ${links.issueUrl}`,
  ];
  if (links.docUrl) lines.push(`* **Minutes Google Doc**: ${links.docUrl}`);
  lines.push(`* **Recording**: ${links.recordingUrl ?? "none given (add it to the file, or run `/minutes <recording URL>` again)"}`);
  lines.push("", `Fixes: ${links.issueUrl}`);
  return lines.join("\n") + "\n";
}

/**
 * `wg-meetings/minutes-security-wg-2022-07-21`. Series ids are `[a-z0-9-]` (config schema), so
 * the name is a valid Git ref; anything else is refused rather than turned into a bad ref.
 */
export function minutesBranch(seriesId: string, date: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(seriesId)) {
    throw new RangeError(`minutes branch: series id "${seriesId}" is not lowercase letters, digits and dashes`);
  }
  meetingDateParts(date, "minutes branch");
  return `wg-meetings/minutes-${seriesId}-${date}`;
}

/** The commit adding the minutes file: the PR title, then which meeting, e.g. `Node.js Security team Meeting 2022-07-21`. */
export function minutesCommitMessage(date: string, title: string): string {
  return `${minutesPrTitle(date)}\n\nMinutes of ${title.replace(/\s+/g, " ").trim()}.\n`;
}
