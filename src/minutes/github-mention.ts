/**
 * GitHub logins and mentions as people type them in meeting notes: `@alice`, `@nodejs/security-wg`,
 * a profile link `[@alice](https://github.com/alice)`. A login is validated by GitHub's rules for
 * user names (1–39 letters, digits and single hyphens, not starting or ending with a hyphen), so
 * `@foo_bar`, `@-x` or an e-mail's `@example.com` are never taken for someone to assign.
 */

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const TEAM_SLUG = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
// Sticky: matched where the scan stands, without copying the rest of a long line.
const AT_MENTION = /@([A-Za-z0-9-]{1,100})(?:\/([A-Za-z0-9_.-]{1,101}))?/y;
const PROFILE_LINK = /\[@?([A-Za-z0-9-]{1,100})\]\(<?https?:\/\/(?:www\.)?github\.com\/([A-Za-z0-9-]{1,100})\/?>?\)/iy;

/** Whether `text` is a valid GitHub login (user or organisation name). */
export function isGitHubLogin(text: string): boolean {
  return LOGIN.test(text);
}

/** A user (`alice`) or a team (`nodejs/security-wg`) mentioned in the text. */
export interface Mention {
  kind: "user" | "team";
  /** The login, or `org/team` for a team; as written (GitHub compares them without case). */
  name: string;
  /** Offset just after the mention. */
  end: number;
}

/**
 * The mention starting at `text[at]`, or null: `@login`, `@org/team`, or a Markdown link whose
 * text is `@login` (or the login) and whose URL is that login's profile. The `@` must not
 * follow a letter, digit or `.` (that is an e-mail address).
 */
export function readMention(text: string, at: number): Mention | null {
  const before = at > 0 ? text[at - 1]! : "";
  if (text[at] === "@" && !/[A-Za-z0-9._%+-]/.test(before)) {
    AT_MENTION.lastIndex = at;
    const m = AT_MENTION.exec(text);
    if (!m?.[1]) return null;
    const next = text[at + m[0].length] ?? "";
    if (m[2] !== undefined) {
      // `@org/team.` ends a sentence: the dot is punctuation, not part of the slug.
      const slug = m[2].replace(/[.]+$/, "");
      if (!isGitHubLogin(m[1]) || !TEAM_SLUG.test(slug)) return null;
      return { kind: "team", name: `${m[1]}/${slug}`, end: at + 1 + m[1].length + 1 + slug.length };
    }
    if (!isGitHubLogin(m[1]) || /[A-Za-z0-9_]/.test(next)) return null;
    return { kind: "user", name: m[1], end: at + m[0].length };
  }
  if (text[at] === "[") {
    PROFILE_LINK.lastIndex = at;
    const m = PROFILE_LINK.exec(text);
    if (m?.[1] && m[2] && m[1].toLowerCase() === m[2].toLowerCase() && isGitHubLogin(m[1])) {
      return { kind: "user", name: m[1], end: at + m[0].length };
    }
  }
  return null;
}

/** Every mention in `text`, in order. */
export function mentionsIn(text: string): Mention[] {
  const found: Mention[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== "@" && text[i] !== "[") continue;
    const mention = readMention(text, i);
    if (mention) {
      found.push(mention);
      i = mention.end - 1;
    }
  }
  return found;
}
