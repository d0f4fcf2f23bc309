import { z } from "zod";
import type { AgendaItem } from "./types.js";

/**
 * The `--agenda FILE.json` format: exactly the items the search step produces. Validated
 * strictly because the file is hand-written and its URLs end up as links in a public issue.
 */
const agendaItemSchema = z
  .object({
    repository: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/, "expected owner/name"),
    number: z.number().int().positive(),
    title: z.string(),
    // Only web links: a `javascript:` or relative URL must not become a link in the issue.
    url: z.string().regex(/^https?:\/\/[^\s()<>]+$/, "expected an http(s) URL without spaces, parentheses or angle brackets"),
    kind: z.enum(["issue", "pull_request"]),
  })
  .strict();

const agendaFileSchema = z.array(agendaItemSchema);

/**
 * Parses an agenda file (a JSON array of {@link AgendaItem}). Throws one error listing every
 * problem as `source: [index].field: message`, so a typo is fixed in one go.
 */
export function parseAgendaFile(text: string, source = "agenda"): AgendaItem[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not valid JSON (${(error as Error).message})`);
  }
  const result = agendaFileSchema.safeParse(data);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const path = issue.path.map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`)).join("");
      return `${source}: ${path || "(root)"}: ${issue.message}`;
    });
    throw new Error(lines.join("\n"));
  }
  return result.data;
}
