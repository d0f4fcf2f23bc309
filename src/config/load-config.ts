import { LineCounter, parseDocument, type Document } from "yaml";
import { explainIssues, formatPath, valueAt, type Anchor, type ExplainedIssue } from "./explain-issues.js";
import { MAX_CONFIG_BYTES, oversizeMessage } from "./limits.js";
import { safeMessage, truncate } from "./safe-text.js";
import { configSchema, type MeetingsConfig } from "./schema.js";
import { existingPath, positionOf, type Position } from "./yaml-positions.js";

/** One problem in a `.github/meetings.yml`. */
export interface ConfigError {
  /** Where the problem is, e.g. `meetings[0].agenda.label`; `""` for the file as a whole. */
  path: string;
  /** 1-based line in the YAML source; `null` when the config did not come from text. */
  line: number | null;
  column: number | null;
  /**
   * The full sentence, naming the path and the line, e.g.
   * `meetings[0].schedule.zone (line 7): unknown time zone "Mars/Olympus" …`.
   * Readable on its own in a log line, a check run or a JSON report.
   */
  message: string;
}

export type ConfigResult = { ok: true; config: MeetingsConfig } | { ok: false; errors: ConfigError[] };

/** Probot's `_extends` key names a config to merge in; it is not part of our schema. */
const EXTENDS_KEY = "_extends";

/** yaml's messages name the grammar rule; say what usually caused it. */
const SYNTAX_HINTS: Partial<Record<string, string>> = {
  BLOCK_AS_IMPLICIT_KEY: ' (a value that contains ": " must be quoted)',
};

const EMPTY_FILE = "the file is empty: it needs a `meetings:` list";

/**
 * Parses and validates the text of a `.github/meetings.yml`. Every problem is reported (not
 * just the first), each with its key path and line, so one `validate` run shows everything to fix.
 *
 * `source` is the file's name as the caller knows it. Messages never repeat it:
 * `formatConfigErrors` puts the file name in front of every line it prints.
 *
 * @example
 * const result = parseConfigText("meetings:\n  - id: wg\n");
 * if (!result.ok) console.error(formatConfigErrors(result.errors, ".github/meetings.yml"));
 */
export function parseConfigText(text: string, _source?: string): ConfigResult {
  const refused = refuseConfigText(text);
  if (refused) return { ok: false, errors: refused };
  const { doc, lines } = parseYaml(text);

  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((error) => {
        const { line, col } = lines.linePos(error.pos[0]);
        const detail =
          error.code === "DUPLICATE_KEY"
            ? `duplicate key${keyAt(text, error.pos[0])}: a key may appear only once in a mapping`
            : `YAML syntax error: ${firstLine(error.message)}${SYNTAX_HINTS[error.code] ?? ""}`;
        return makeError("", line, col, detail);
      }),
    };
  }

  let value: unknown;
  try {
    // A small alias budget: a "billion laughs" file must not exhaust the server's memory.
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { ok: false, errors: [makeError("", null, null, `YAML error: ${firstLine((error as Error).message)}`)] };
  }
  return validate(value, { doc, lines });
}

/**
 * Why `text` is not even parsed, or `null`: over `MAX_CONFIG_BYTES`, or binary (NUL bytes).
 * `parseConfigText` starts with this; a caller that hands the file to another parser first
 * (Probot's `_extends` merge) should too. Text from GitHub cannot be refused before it is
 * downloaded, but it can before it costs a parse, a render, or a 15 MB issue.
 */
export function refuseConfigText(text: string): ConfigError[] | null {
  const bytes = textBytes(text);
  if (bytes > MAX_CONFIG_BYTES) return [makeError("", null, null, oversizeMessage(bytes))];
  if (text.includes("\u0000")) return [makeError("", null, null, NOT_TEXT)];
  return null;
}

const NOT_TEXT = "not a text file: it contains NUL bytes (a meetings config is UTF-8 YAML)";

/** UTF-8 length of `text`, without encoding it when its length alone settles the question. */
function textBytes(text: string): number {
  // A UTF-16 code unit is at most 3 UTF-8 bytes.
  return text.length * 3 <= MAX_CONFIG_BYTES ? text.length : Buffer.byteLength(text, "utf8");
}

function parseYaml(text: string): { doc: Document; lines: LineCounter } {
  const lines = new LineCounter();
  // `merge`: Probot reads configs with js-yaml, which honours `<<: *defaults`; so do we, so a
  // file means the same to `validate` as to the App.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, merge: true });
  return { doc, lines };
}

/** Finds where a key path is in a config's text, for messages that are not `parseConfigText`'s own errors. */
export type ConfigLocator = (path: readonly PropertyKey[], anchor: Anchor) => { path: PropertyKey[]; position: Position | null };

/**
 * A locator over `text`, parsed exactly as `parseConfigText` parses it. It answers with the part
 * of `path` that is in the file (a string `schedule` has no `schedule.interval` key) and its line.
 */
export function configLocator(text: string): ConfigLocator {
  const { doc, lines } = parseYaml(text);
  return (path, anchor) => {
    const found = existingPath(doc, path);
    return { path: found, position: positionOf(doc, lines, found, found.length === path.length ? anchor : "value") };
  };
}

/**
 * Validates a config that arrives already parsed — Probot's `context.config`, after it has
 * merged `_extends`. Errors are the same as `parseConfigText`'s, without lines.
 */
export function validateConfigObject(obj: unknown): ConfigResult {
  return validate(obj, undefined);
}

function validate(value: unknown, yaml: { doc: Document; lines: LineCounter } | undefined): ConfigResult {
  if (value === null || value === undefined) {
    return { ok: false, errors: [makeError("", null, null, EMPTY_FILE)] };
  }
  if (typeof value !== "object" || Array.isArray(value)) {
    const hint = Array.isArray(value) ? " (a list of series goes under `meetings:`)" : "";
    const what = Array.isArray(value) ? "a list" : `${typeof value} ${JSON.stringify(value)}`;
    const at = yaml ? positionOf(yaml.doc, yaml.lines, [], "value") : null;
    const detail = `the top level must be a mapping with a \`meetings:\` list, got ${what}${hint}`;
    return { ok: false, errors: [makeError("", at?.line ?? null, at?.column ?? null, detail)] };
  }

  const { [EXTENDS_KEY]: _ignored, ...config } = value as Record<string, unknown>;
  const parsed = configSchema.safeParse(config);
  if (parsed.success) return { ok: true, config: parsed.data };

  const explained = explainIssues(parsed.error.issues, configSchema, config);
  // The schema checks duplicate ids only once everything else is valid; report them anyway.
  for (const duplicate of duplicateIds(config)) {
    if (!explained.some((issue) => formatPath(issue.path) === formatPath(duplicate.path))) explained.push(duplicate);
  }

  const errors = explained.map((issue, index) => {
    const position = yaml ? positionOf(yaml.doc, yaml.lines, issue.path, issue.anchor) : null;
    return { index, error: makeError(formatPath(issue.path), position?.line ?? null, position?.column ?? null, issue.message) };
  });
  // Stable by line, so the report reads top to bottom like the file.
  errors.sort((a, b) => (a.error.line ?? 0) - (b.error.line ?? 0) || a.index - b.index);
  return { ok: false, errors: errors.map(({ error }) => error) };
}

function duplicateIds(config: unknown): ExplainedIssue[] {
  const meetings = valueAt(config, ["meetings"]);
  if (!Array.isArray(meetings)) return [];
  const seen = new Map<string, number>();
  const found: ExplainedIssue[] = [];
  meetings.forEach((series: unknown, index) => {
    const id = valueAt(series, ["id"]);
    if (typeof id !== "string") return;
    const first = seen.get(id);
    if (first === undefined) seen.set(id, index);
    else found.push({ path: ["meetings", index, "id"], anchor: "value", message: `duplicate series id "${id}" (also meetings[${first}])` });
  });
  return found;
}

/**
 * Builds an error whose message names its path and line, as every consumer prints it. The path
 * and the detail may quote the file: both are made safe to print here (control characters
 * escaped, long quotes shortened), whoever wrote the message.
 */
export function makeError(path: string, line: number | null, column: number | null, detail: string): ConfigError {
  const safePath = truncate(safeMessage(path), 200);
  const where = locationText(safePath, line);
  const safeDetail = safeMessage(detail);
  return { path: safePath, line, column, message: where ? `${where}: ${safeDetail}` : safeDetail };
}

/** The message without the `path (line N): ` prefix that `makeError` put in front of it. */
export function errorDetail(error: ConfigError): string {
  const where = locationText(error.path, error.line);
  const prefix = `${where}: `;
  return where && error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

/** `meetings[0].id (line 3)`, `meetings[0].id`, `line 3` or nothing. */
function locationText(path: string, line: number | null): string {
  if (!path) return line !== null ? `line ${line}` : "";
  return line !== null ? `${path} (line ${line})` : path;
}

/** ` "id"` when a plain or quoted key starts at `offset`; yaml's error range covers only part of it. */
function keyAt(text: string, offset: number): string {
  const match = /^(?:"([^"\n]*)"|'([^'\n]*)'|([^:#\n]+?))\s*:/.exec(text.slice(offset));
  const key = match?.[1] ?? match?.[2] ?? match?.[3];
  return key ? ` "${key}"` : "";
}

function firstLine(text: string): string {
  return text.split("\n")[0]!.trim();
}
