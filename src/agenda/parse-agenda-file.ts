import type { AgendaItem } from "./types.js";

const KEYS = ["repository", "number", "title", "url", "kind"] as const;

/**
 * Parses an agenda file (`--agenda FILE.json`): a JSON array of {@link AgendaItem}, the shape the
 * search step produces. Validated strictly because the file is hand-written and its URLs become
 * links in a public issue. Throws one error listing every problem as
 * `source[index].field: message`, so a typo is fixed in one go.
 */
export function parseAgendaFile(text: string, source = "agenda.json"): AgendaItem[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(data)) throw new Error(`${source}: expected a JSON array of agenda items`);

  const problems: string[] = [];
  const items = data.map((entry: unknown, index) => {
    const at = (field: string) => `${source}[${index}]${field ? `.${field}` : ""}`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      problems.push(`${at("")}: expected an object { repository, number, title, url, kind }`);
      return null;
    }
    const item = entry as Record<string, unknown>;
    for (const key of Object.keys(item)) {
      if (!(KEYS as readonly string[]).includes(key)) problems.push(`${at(key)}: unknown key (allowed: ${KEYS.join(", ")})`);
    }
    const { repository, number, title, url, kind } = item;
    if (typeof repository !== "string" || !/^[A-Za-z0-9][A-Za-z0-9-]*\/(?!\.+$)[A-Za-z0-9._-]+$/.test(repository)) {
      problems.push(`${at("repository")}: expected owner/name, got ${JSON.stringify(repository)}`);
    }
    if (typeof number !== "number" || !Number.isSafeInteger(number) || number <= 0) {
      problems.push(`${at("number")}: expected a positive integer, got ${JSON.stringify(number)}`);
    }
    if (typeof title !== "string" || title.trim() === "") {
      problems.push(`${at("title")}: expected a non-empty string, got ${JSON.stringify(title)}`);
    }
    // Only web links: a `javascript:` or relative URL must not become a link in the issue.
    if (typeof url !== "string" || !/^https?:\/\/[^\s()<>]+$/.test(url)) {
      problems.push(`${at("url")}: expected an http(s) URL without spaces, parentheses or angle brackets, got ${JSON.stringify(url)}`);
    }
    if (kind !== "issue" && kind !== "pull_request") {
      problems.push(`${at("kind")}: expected "issue" or "pull_request", got ${JSON.stringify(kind)}`);
    }
    return { repository, number, title, url, kind } as AgendaItem;
  });
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return items as AgendaItem[];
}
