import { isMap, type Node } from "yaml";
import { capErrors } from "./error-cap.js";
import { explainIssues, formatPath, valueAt, type Anchor, type ExplainedIssue } from "./explain-issues.js";
import { MAX_CONFIG_BYTES, MAX_CONFIG_SERIES, formatCount, oversizeMessage } from "./limits.js";
import { safeMessage, truncate } from "./safe-text.js";
import { configSchema, type MeetingsConfig } from "./schema.js";
import { existingPath, positionOf, type Position } from "./yaml-positions.js";
import { pairOf, readYaml, type YamlSource } from "./yaml-source.js";

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

/**
 * A config, or its errors: the first `MAX_LISTED_ERRORS` (50) in file order, and how many more
 * there were (`omitted`; report it with `omittedErrorsText`, from error-cap.ts).
 */
export type ConfigResult = { ok: true; config: MeetingsConfig } | { ok: false; errors: ConfigError[]; omitted: number };

/**
 * Most files one config may take settings from through `_extends`, itself not counted. Probot
 * follows a chain (a file extending one that extends another) until a file has no `_extends`;
 * orgs use one or two levels (a repository's file on its org's `.github`). Every file is read
 * within the limits of limits.ts, so this bounds one repository's config work per tick.
 */
export const MAX_EXTENDS_FILES = 3;

/** Probot's `_extends` key names a config to merge in; it is not part of our schema. */
const EXTENDS_KEY = "_extends";

const EMPTY_FILE = "the file is empty: it needs a `meetings:` list";

/**
 * Parses and validates the text of a `.github/meetings.yml`. Every problem is found (not just
 * the first), each with its key path and line, and the first 50 in file order are reported with
 * the count of the rest, so one `validate` run shows what to fix.
 *
 * Bounded: text over 64 KB is refused unread, and the YAML is read within the value, depth and
 * alias limits of limits.ts (see yaml-source.ts); the work after that grows linearly with the
 * file, and only the reported errors are put into words.
 *
 * `source` is the file's name as the caller knows it. Messages never repeat it:
 * `formatConfigErrors` puts the file name in front of every line it prints.
 *
 * @example
 * const result = parseConfigText("meetings:\n  - id: wg\n");
 * if (!result.ok) console.error(formatConfigErrors(result.errors, ".github/meetings.yml", result.omitted));
 */
export function parseConfigText(text: string, _source?: string): ConfigResult {
  return readConfigText(text).result;
}

/** The file's `_extends` (Probot's), when its top level is a mapping that has one. */
export interface ExtendsKey {
  value: unknown;
  /** Whether the file has `meetings` of its own (they replace the extended file's as a whole). */
  hasMeetings: boolean;
}

/** What one read of a config's text tells: the config or its errors, its `_extends`, and where its keys are. */
export interface ConfigReading {
  result: ConfigResult;
  extends: ExtendsKey | null;
  locate: ConfigLocator;
}

/**
 * How a file that may `_extends` another is checked without reading that one (`validate`, the
 * config check run): a file whose series come from the extended file (`_extends` and no
 * `meetings`) is checked for everything else and reported as `from-extends`.
 */
export type FileCheck =
  | { status: "ok"; config: MeetingsConfig }
  | { status: "from-extends" }
  | { status: "invalid"; errors: ConfigError[]; omitted: number };

/**
 * Reads a config's text once, for `validate` and the config check run: the file alone (nothing
 * its `_extends` names is read), its `_extends`, and a locator for messages of its own.
 */
export function checkConfigFile(text: string): { check: FileCheck; extends: ExtendsKey | null; locate: ConfigLocator } {
  const reading = readConfigText(text, { alone: true });
  const { result } = reading;
  const check: FileCheck = result.ok
    ? { status: "ok", config: result.config }
    : result.errors.length === 0
      ? { status: "from-extends" }
      : { status: "invalid", errors: result.errors, omitted: result.omitted };
  return { check, extends: reading.extends, locate: reading.locate };
}

/**
 * Reads a config's text once. With `alone`, a file that declares `_extends` and has no
 * `meetings` is not missing them (they come from the extended file): then, if nothing else is
 * wrong, the result has no errors at all (`{ ok: false, errors: [], omitted: 0 }`).
 */
export function readConfigText(text: string, options: { alone?: boolean } = {}): ConfigReading {
  const read = readConfigValue(text);
  if (!read.ok) return { result: read.result, extends: read.extends, locate: read.locate };
  const fromExtends = options.alone === true && read.extends !== null && !read.extends.hasMeetings;
  return { result: validate(read.value, read.place, fromExtends), extends: read.extends, locate: read.locate };
}

/**
 * A config's text read as YAML within the limits but not yet validated: its value (for a merge
 * with the files its `_extends` names), its `_extends`, and where its keys are. When the text is
 * refused or is not YAML within the limits, `result` says why.
 */
export type ConfigValue =
  | { ok: true; value: unknown; extends: ExtendsKey | null; locate: ConfigLocator; place: ConfigPlacer }
  | { ok: false; result: ConfigResult & { ok: false }; extends: ExtendsKey | null; locate: ConfigLocator };

/**
 * Reads a config's text as YAML, bounded exactly as `parseConfigText` reads it (size, values,
 * depth, aliases), without validating it: the first step of `readConfigText`, and what
 * `loadRepoConfig` reads each file of an `_extends` chain with before merging them.
 */
export function readConfigValue(text: string): ConfigValue {
  const refused = refuseConfigText(text);
  if (refused) return { ok: false, result: failed(refused), extends: null, locate: NOWHERE };
  const reading = readYaml(text);
  if (!reading.ok) {
    const errors = reading.problems.map(({ offset, message }) => {
      const at = offset === null ? null : reading.lines.linePos(offset);
      return { line: at?.line ?? null, column: at?.col ?? null, message };
    });
    const { listed, omitted } = capErrors(errors);
    const result = { ok: false as const, errors: listed.map((error) => makeError("", error.line, error.column, error.message)), omitted };
    return { ok: false, result, extends: null, locate: NOWHERE };
  }
  const { source } = reading;
  const locate = locatorOf(source);
  const extendsKey = extendsOf(source);
  try {
    // Aliases were counted and measured when the YAML was read (within MAX_CONFIG_VALUES once
    // expanded), so yaml's own per-anchor count is not needed; it would refuse an anchor used
    // more than 100 times, which the measure allows.
    const value: unknown = source.doc.toJS({ maxAliasCount: -1 });
    return { ok: true, value, extends: extendsKey, locate, place: (path, anchor) => positionOf(source, path, anchor) };
  } catch (error) {
    return { ok: false, result: failed([makeError("", null, null, `YAML error: ${firstLine((error as Error).message)}`)]), extends: extendsKey, locate };
  }
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

/**
 * Whether the text names a config to merge in with Probot's `_extends`: its top level is a
 * mapping with that key. False for text that is refused or is not YAML within the limits
 * (`parseConfigText` reports why). Bounded like `parseConfigText`; `yaml.parse` is not (its
 * `uniqueKeys` check is quadratic).
 */
export function declaresExtends(text: string): boolean {
  if (refuseConfigText(text)) return false;
  const reading = readYaml(text);
  return reading.ok && extendsOf(reading.source) !== null;
}

const NOT_TEXT = "not a text file: it contains NUL bytes (a meetings config is UTF-8 YAML)";

/** UTF-8 length of `text`, without encoding it when its length alone settles the question. */
function textBytes(text: string): number {
  // A UTF-16 code unit is at most 3 UTF-8 bytes.
  return text.length * 3 <= MAX_CONFIG_BYTES ? text.length : Buffer.byteLength(text, "utf8");
}

function failed(errors: ConfigError[]): ConfigResult & { ok: false } {
  return { ok: false, errors, omitted: 0 };
}

/** The top-level `_extends`, read from the document without building the whole value. */
function extendsOf(source: YamlSource): ExtendsKey | null {
  const root = source.doc.contents;
  if (!isMap(root)) return null;
  const pair = pairOf(source, root, EXTENDS_KEY);
  if (!pair) return null;
  const node = pair.value as Node | null;
  return { value: node ? node.toJSON() : null, hasMeetings: pairOf(source, root, "meetings") !== undefined };
}

/** Finds where a key path is in a config's text, for messages that are not `parseConfigText`'s own errors. */
export type ConfigLocator = (path: readonly PropertyKey[], anchor: Anchor) => { path: PropertyKey[]; position: Position | null };

/** The locator of text that did not parse: nothing is anywhere. */
const NOWHERE: ConfigLocator = () => ({ path: [], position: null });

/**
 * A locator over `text`, read exactly as `parseConfigText` reads it. It answers with the part
 * of `path` that is in the file (a string `schedule` has no `schedule.interval` key) and its line.
 * Text that is refused or not YAML within the limits locates nothing.
 */
export function configLocator(text: string): ConfigLocator {
  if (refuseConfigText(text)) return NOWHERE;
  const reading = readYaml(text);
  return reading.ok ? locatorOf(reading.source) : NOWHERE;
}

function locatorOf(source: YamlSource): ConfigLocator {
  return (path, anchor) => {
    const found = existingPath(source, path);
    return { path: found, position: positionOf(source, found, found.length === path.length ? anchor : "value") };
  };
}

/**
 * Where a key path of a config value is, for its errors: a line of the file, and `file` when
 * that is not the file being reported on (a key merged in from a file `_extends` names).
 * `null` when the value did not come from text.
 */
export type ConfigPlacer = (path: readonly PropertyKey[], anchor: Anchor) => Placement | null;

/** A line and column, and the file they are in when it is another than the one reported on. */
export interface Placement extends Position {
  /** E.g. `acme/.github:.github/meetings.yml`; unset for the file itself. */
  file?: string | undefined;
}

/**
 * Validates a config that arrives already parsed: a merge of the files of an `_extends` chain
 * (see loadRepoConfig). Errors are the same as `parseConfigText`'s; with `place`, they get the
 * line each key path is at, and an error in another file names that file and line in its
 * message (its `line` stays null: links and annotations point into the file reported on).
 */
export function validateConfigObject(obj: unknown, place?: ConfigPlacer): ConfigResult {
  return validate(obj, place, false);
}

/**
 * Validates `value` and, when it is not a config, reports its first errors in file order.
 * Every issue is placed (a constant-time look-up per path step) and sorted, but only those
 * reported are put into words. With `fromExtends`, a missing `meetings` is not an error.
 */
function validate(value: unknown, place: ConfigPlacer | undefined, fromExtends: boolean): ConfigResult {
  if (value === null || value === undefined) {
    return failed([makeError("", null, null, EMPTY_FILE)]);
  }
  if (typeof value !== "object" || Array.isArray(value)) {
    const hint = Array.isArray(value) ? " (a list of series goes under `meetings:`)" : "";
    const what = Array.isArray(value) ? "a list" : `${typeof value} ${JSON.stringify(truncate(String(value), 200))}`;
    const detail = `the top level must be a mapping with a \`meetings:\` list, got ${what}${hint}`;
    return failed([placedError("", place?.([], "value") ?? null, detail)]);
  }

  const { [EXTENDS_KEY]: _ignored, ...config } = value as Record<string, unknown>;
  const { meetings } = config;
  if (Array.isArray(meetings) && meetings.length > MAX_CONFIG_SERIES) {
    // Refused before any series is validated: each costs a rule, a zone and a template check.
    const detail = `lists ${formatCount(meetings.length)} series: a config may list at most ${MAX_CONFIG_SERIES} (nothing else was checked)`;
    return failed([placedError("meetings", place?.(["meetings"], "key") ?? null, detail)]);
  }
  const parsed = configSchema.safeParse(config);
  if (parsed.success) return { ok: true, config: parsed.data };

  let explained = explainIssues(parsed.error.issues, configSchema, config);
  // The schema checks duplicate ids only once everything else is valid; report them anyway.
  const duplicates = duplicateIds(config);
  if (duplicates.length > 0) {
    const reported = new Set(explained.map((issue) => formatPath(issue.path)));
    explained.push(...duplicates.filter((duplicate) => !reported.has(formatPath(duplicate.path))));
  }
  // `meetings` comes from the extended file: its absence is not this file's error.
  if (fromExtends) explained = explained.filter((issue) => !(issue.path.length === 1 && issue.path[0] === "meetings"));
  if (explained.length === 0) return failed([]);

  const placed = explained.map((issue, index) => ({ issue, index, position: place ? place(issue.path, issue.anchor) : null }));
  // Stable by line, so the report reads top to bottom like the file; another file's keys last.
  const order = (at: Placement | null) => (at?.file !== undefined ? Number.MAX_SAFE_INTEGER : (at?.line ?? 0));
  placed.sort((a, b) => order(a.position) - order(b.position) || a.index - b.index);
  const { listed, omitted } = capErrors(placed);
  const errors = listed.map(({ issue, position }) => placedError(formatPath(issue.path), position, issue.message()));
  return { ok: false, errors, omitted };
}

/** An error at `at`: its line, or, in another file, that file and line named in the message. */
function placedError(path: string, at: Placement | null, detail: string): ConfigError {
  if (at?.file !== undefined) return makeError(path, null, null, `in ${at.file} (line ${at.line}): ${detail}`);
  return makeError(path, at?.line ?? null, at?.column ?? null, detail);
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
    else found.push({ path: ["meetings", index, "id"], anchor: "value", message: () => `duplicate series id "${id}" (also meetings[${first}])` });
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

function firstLine(text: string): string {
  return text.split("\n")[0]!.trim();
}
