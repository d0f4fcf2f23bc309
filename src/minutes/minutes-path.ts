import { meetingDateParts } from "./meeting-date.js";

/**
 * Where a meeting's minutes are committed: `minutes.path` from config rendered for the meeting's
 * date. The path is never typed by a person, so the real history's mistakes (a file without
 * `.md`, a file named for the wrong date) cannot happen; and since config is written by anyone
 * who can open a PR on `.github/meetings.yml`, the path is checked before it is written to.
 */

/** Thrown when `minutes.path` cannot name a minutes file; the message says what to fix. */
export class MinutesPathError extends Error {
  override name = "MinutesPathError";
}

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const PLACEHOLDERS = ["date", "year", "month", "day"] as const;

/**
 * Renders `minutes.path` (`{{date}}` = `YYYY-MM-DD`, `{{year}}`, `{{month}}`, `{{day}}`) for the
 * meeting's `date` and checks the result: a relative path with no empty, `.`, `..` or `.git` segment,
 * no backslash or control character, ending in `.md`, inside the folder the template names
 * (`meetings/` for `meetings/{{date}}.md`), and naming the date (else every meeting would write
 * the same file).
 *
 * @example minutesPath("meetings/{{date}}.md", "2022-07-21") // "meetings/2022-07-21.md"
 * @throws MinutesPathError naming the problem.
 */
export function minutesPath(template: string, date: string): string {
  const fail = (why: string) => new MinutesPathError(`minutes.path "${template}": ${why}`);
  let parts;
  try {
    parts = meetingDateParts(date);
  } catch (error) {
    throw fail((error as Error).message);
  }
  const values: Record<(typeof PLACEHOLDERS)[number], string> = { date, ...parts };

  const used = new Set<string>();
  const path = template.replace(PLACEHOLDER, (_, name: string) => {
    if (!(PLACEHOLDERS as readonly string[]).includes(name)) {
      throw fail(`unknown placeholder {{${name}}} (use ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(", ")})`);
    }
    used.add(name);
    return values[name as (typeof PLACEHOLDERS)[number]];
  });

  if (/[{}]/.test(path)) throw fail("has a { or } outside a {{placeholder}}");
  if (!used.has("date") && !(used.has("year") && used.has("month") && used.has("day"))) {
    throw fail("does not contain the meeting's date ({{date}}, or {{year}}, {{month}} and {{day}}), so every meeting would write the same file");
  }
  if (/[\u0000-\u001f\u007f]/.test(path)) throw fail("contains a control character");
  if (path.includes("\\")) throw fail("contains a backslash (use / between folders)");
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) throw fail("must be relative to the repository root (no leading / or drive letter)");

  const segments = path.split("/");
  if (segments.some((segment) => segment === "")) throw fail("has an empty folder or file name (a doubled or trailing /)");
  const folder = staticFolder(template);
  if (segments.some((segment) => segment === "." || segment === "..")) {
    throw fail(`has a "." or ".." segment: the file must stay inside ${folder === "" ? "the repository" : `"${folder}"`}`);
  }
  if (segments.some(namesGitFolder)) throw fail("writes into .git");
  const file = segments.at(-1) ?? "";
  if (!file.endsWith(".md") || file === ".md") throw fail(`must name a Markdown file ending in .md (got "${path}")`);
  // Placeholder values are digits and dashes, so this holds once ".." is refused; checked anyway
  // because it is the property that matters.
  if (!path.startsWith(folder)) throw fail(`renders to "${path}", outside "${folder}"`);
  return path;
}

/**
 * Whether a path segment names git's own folder in some checkout: `.git` in any case, and the
 * names Windows reads as `.git` (trailing dots or spaces, an NTFS stream `.git::$DATA`, the
 * short name `git~1`). git refuses to check out a tree holding any of them (core.protectNTFS is
 * on by default), so minutes committed there would break every clone.
 */
function namesGitFolder(segment: string): boolean {
  return /^(?:\.git|git~1)[. ]*(?::|$)/i.test(segment);
}

/**
 * The folder the template names: its leading folders without a placeholder, `.` or `..` —
 * `meetings/` for `meetings/{{date}}.md` and for `meetings/../{{date}}.md`.
 */
function staticFolder(template: string): string {
  const folders = template.split("/").slice(0, -1);
  const end = folders.findIndex((segment) => segment.includes("{{") || segment === "." || segment === "..");
  const literal = end === -1 ? folders : folders.slice(0, end);
  return literal.map((segment) => `${segment}/`).join("");
}
