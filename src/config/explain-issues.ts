import type { core } from "zod";
import { looksLikeSecret } from "./announce-schema.js";
import { closestKey } from "./closest-key.js";
import { escapeUnsafe, quoteUserText, truncate } from "./safe-text.js";
import {
  descriptionOf,
  enumValuesOf,
  kindOf,
  optionsOf,
  pickOption,
  requiredKeysOf,
  resolveUnion,
  schemaAt,
  shapeOf,
  elementOf,
  typeMatches,
  type AnySchema,
} from "./schema-walk.js";

/**
 * Where in the YAML an error points: the offending key itself (unknown keys), the mapping that
 * lacks a key (missing keys), or the bad value.
 */
export type Anchor = "key" | "parent" | "value";

/**
 * One config problem in user terms, before it is given a line. Its words are built only when
 * it is reported: a 64 KB file can hold 16,000 problems, and a report lists the first 50.
 */
export interface ExplainedIssue {
  path: PropertyKey[];
  anchor: Anchor;
  /** The problem without the path, e.g. `unknown time zone "Mars/Olympus" …`. */
  message: () => string;
  /** For an unknown key: the valid key it most likely meant, if any. */
  suggest?: () => string | undefined;
  /** For an unknown key: `formatPath` of the mapping it is in (shared by all its unknown keys). */
  parent?: string;
}

type Issue = core.$ZodIssue;

/**
 * Turns zod issues into one precise message per problem. zod's own texts ("Invalid input",
 * one issue per union option) are written for developers; a config author needs the key, what
 * was expected, what they wrote and, for a typo, the key they meant.
 */
export function explainIssues(issues: readonly Issue[], root: AnySchema, input: unknown): ExplainedIssue[] {
  const out: ExplainedIssue[] = [];
  for (const issue of issues) explain(issue, [], root, input, out);
  // A typo yields two issues, "unknown rule" and "missing rrule"; the first already says both.
  // Only the unknown keys of a mapping that also misses a key are asked what they meant, and
  // only its first few: past that, the mapping has bigger problems than one typo.
  const missing = out.filter((issue) => issue.anchor === "parent");
  if (missing.length === 0) return out;
  const lacking = new Map(missing.map((issue) => [formatPath(issue.path.slice(0, -1)), 0]));
  const meant = new Set<string>();
  for (const issue of out) {
    const asked = issue.parent === undefined ? undefined : lacking.get(issue.parent);
    if (!issue.suggest || asked === undefined || asked >= MAX_TYPO_VOTES) continue;
    lacking.set(issue.parent!, asked + 1);
    const suggested = issue.suggest();
    if (suggested !== undefined) meant.add(formatPath([...issue.path.slice(0, -1), suggested]));
  }
  return out.filter((issue) => !(issue.anchor === "parent" && meant.has(formatPath(issue.path))));
}

function explain(issue: Issue, base: PropertyKey[], baseSchema: AnySchema | undefined, input: unknown, out: ExplainedIssue[]): void {
  const path = [...base, ...issue.path];
  const written = valueAt(input, path);
  // A webhook URL or token pasted where only a name belongs is never repeated: the message
  // reaches a public check run, the alarm issue and `validate`'s output.
  const hidden = pastedSecret(path, written);
  const value = hidden ? HIDDEN_VALUE : written;
  const schema = baseSchema ? schemaAt(baseSchema, issue.path, valueAt(input, base)) : undefined;

  switch (issue.code) {
    case "unrecognized_keys": {
      const parent = resolveUnion(schema, value);
      const valid = parent ? Object.keys(shapeOf(parent)) : [];
      const where = formatPath(path);
      for (const key of issue.keys) {
        out.push({
          path: [...path, key],
          anchor: "key",
          message: () => unknownKeyMessage(key, parent),
          suggest: () => closestKey(key, valid),
          parent: where,
        });
      }
      return;
    }
    case "invalid_type": {
      const parentValue = valueAt(input, path.slice(0, -1));
      if (value === undefined && path.length > 0 && isPlainObject(parentValue)) {
        const key = String(path[path.length - 1]);
        const doc = schema ? descriptionOf(schema) : undefined;
        out.push({ path, anchor: "parent", message: () => `missing required key "${key}"${doc ? ` (${doc})` : ""}` });
        return;
      }
      out.push({ path, anchor: "value", message: () => `expected ${expectedText(issue.expected)}, got ${hidden ? HIDDEN_TEXT : describeValue(value)}${hidden ? "" : typeHint(issue.expected, value)}` });
      return;
    }
    case "invalid_union":
      explainUnion(issue, path, schema, input, value, out);
      return;
    case "invalid_value": {
      const values = issue.values;
      out.push({
        path,
        anchor: "value",
        message: () => {
          const guess = typeof value === "string" ? closestKey(value, values.map(String)) : undefined;
          if (hidden) return `expected one of ${values.map((v) => JSON.stringify(v)).join(", ")}, got ${HIDDEN_TEXT}`;
          return `expected one of ${values.map((v) => JSON.stringify(v)).join(", ")}, got ${describeValue(value)}${guess ? ` (did you mean "${guess}"?)` : ""}`;
        },
      });
      return;
    }
    case "too_small":
    case "too_big":
      out.push({ path, anchor: "value", message: () => (isZodDefault(issue.message) ? sizeMessage(issue) : issue.message) });
      return;
    case "invalid_format":
      out.push({
        path,
        anchor: "value",
        message: () => `${isZodDefault(issue.message) ? `invalid ${issue.format}` : issue.message}, got ${hidden ? HIDDEN_TEXT : describeValue(value)}`,
      });
      return;
    default:
      // Custom issues carry the parser's own message (bad zone, RRULE, duration, duplicate id).
      out.push({ path, anchor: "value", message: () => issue.message });
  }
}

/** Stands in for a hidden value in the checks below (a string, so type checks read as written). */
const HIDDEN_VALUE = "hidden";
const HIDDEN_TEXT = "a value that looks like a URL or a secret (not shown: chat destinations and HackMD tokens belong in the App's environment, WG_MEETINGS_CHAT and HACKMD_API_TOKEN, never in this public file)";

/**
 * Whether the value at `path` is a string that looks like a URL or a credential where the
 * config takes only names: anywhere under a series' `announce`, and `minutes.hackmd.team`.
 */
function pastedSecret(path: readonly PropertyKey[], value: unknown): boolean {
  if (typeof value !== "string" || !looksLikeSecret(value)) return false;
  const keys = path.map(String);
  if (keys.includes("announce")) return true;
  // A team path with a slash (`org/team`) is a plain mistake worth repeating; a URL, a query
  // or a long run of letters and digits is not.
  return keys.at(-2) === "hackmd" && keys.at(-1) === "team" && !/^[\w.\/-]{1,64}$/.test(value.replace(/[A-Za-z0-9]{24,}/g, ":"));
}

/**
 * A union fails with one issue list per option. Report only the option the user meant: the
 * one whose type matches, or among mappings the one sharing the most keys with what was written.
 */
function explainUnion(
  issue: Extract<Issue, { code: "invalid_union" }>,
  path: PropertyKey[],
  schema: AnySchema | undefined,
  input: unknown,
  value: unknown,
  out: ExplainedIssue[],
): void {
  const options = schema ? optionsOf(schema) : [];
  if (options.length === 0 || options.length !== issue.errors.length) {
    // Not a union we can see into: report the option with the fewest problems.
    const fewest = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
    for (const inner of fewest) explain(inner, path, undefined, input, out);
    return;
  }
  const matching = options.filter((option) => typeMatches(option, value));
  if (matching.length === 0) {
    out.push({ path, anchor: "value", message: () => `expected ${options.map(describeForm).join(" or ")}, got ${describeValue(value)}` });
    return;
  }
  const index = pickOption(options, value) ?? pickByTypo(options, value);
  if (index === undefined) {
    out.push({
      path,
      anchor: "value",
      message: () => {
        const forms = matching.map(describeForm);
        const keys = isPlainObject(value) ? Object.keys(value) : [];
        const written = keys.length > 0 ? `a mapping with keys: ${keys.slice(0, 10).map((key) => escapeUnsafe(truncate(key, 40))).join(", ")}${keys.length > 10 ? ", …" : ""}` : "an empty mapping";
        return `expected either ${forms.join(" or ")}, got ${written}`;
      },
    });
    return;
  }
  for (const inner of issue.errors[index] ?? []) explain(inner, path, options[index], input, out);
}

/**
 * How many unknown keys of one mapping are asked what they meant, to tell a typo from a missing
 * key (`explainIssues`, `pickByTypo`): a vote among thousands says nothing more, and costs.
 */
const MAX_TYPO_VOTES = 20;

/**
 * When shared keys tie (`{ googleCalender, zone }` shares `zone` with three schedule forms), the
 * misspelt key decides: the option whose own key it is closest to, if all such typos agree.
 */
function pickByTypo(options: AnySchema[], value: unknown): number | undefined {
  if (!isPlainObject(value)) return undefined;
  const keysOf = options.map((option) => (kindOf(option) === "object" ? Object.keys(shapeOf(option)) : []));
  const known = new Set(keysOf.flat());
  const picks = new Set<number>();
  for (const key of Object.keys(value).filter((key) => !known.has(key)).slice(0, MAX_TYPO_VOTES)) {
    const meant = closestKey(key, [...known]);
    const owners = meant === undefined ? [] : keysOf.flatMap((keys, index) => (keys.includes(meant) ? [index] : []));
    if (owners.length === 1) picks.add(owners[0]!);
  }
  return picks.size === 1 ? [...picks][0] : undefined;
}

function unknownKeyMessage(key: string, parent: AnySchema | undefined): string {
  const valid = parent ? Object.keys(shapeOf(parent)) : [];
  const guess = closestKey(key, valid);
  // The key is the user's text: quoted safely, and short (a key can be as long as the file).
  const quoted = quoteUserText(key, 40);
  if (guess) return `unknown key ${quoted} (did you mean "${guess}"?)`;
  const home = parent ? findNestedKey(parent, key) : undefined;
  if (home) return `unknown key ${quoted} here (it belongs under "${home}")`;
  return valid.length > 0 ? `unknown key ${quoted} (valid keys: ${valid.join(", ")})` : `unknown key ${quoted}`;
}

/**
 * The child section of `parent` that accepts `key` (e.g. `zone` → `schedule`), if exactly one
 * does. Sections that are mappings win over lists of mappings (`zone` is `schedule.zone` far
 * more often than a `timezones` row).
 */
function findNestedKey(parent: AnySchema, key: string): string | undefined {
  for (const throughLists of [false, true]) {
    const homes = Object.entries(shapeOf(parent))
      .filter(([, child]) => formsOf(child, throughLists).some((form) => key in shapeOf(form)))
      .map(([name]) => name);
    if (homes.length > 0) return homes.length === 1 ? homes[0] : undefined;
  }
  return undefined;
}

function formsOf(schema: AnySchema, throughLists: boolean): AnySchema[] {
  const kind = kindOf(schema);
  if (kind === "union") return optionsOf(schema).flatMap((option) => formsOf(option, throughLists));
  if (kind === "array") {
    const element = elementOf(schema);
    return element && throughLists ? formsOf(element, throughLists) : [];
  }
  return [schema];
}

/** How a union option reads in "expected …": `{ rrule, start, zone }`, `a list`, `one of "a", "b"`. */
function describeForm(option: AnySchema): string {
  switch (kindOf(option)) {
    case "object":
      return `{ ${requiredKeysOf(option).join(", ")} }`;
    case "enum":
      return `one of ${enumValuesOf(option).map((v) => JSON.stringify(v)).join(", ")}`;
    default:
      return expectedText(kindOf(option));
  }
}

function expectedText(expected: string): string {
  switch (expected) {
    case "array":
      return "a list";
    case "object":
      return "a mapping";
    case "boolean":
      return "true or false";
    case "string":
      return "a string";
    case "number":
      return "a number";
    default:
      return expected;
  }
}

/** What the user wrote, for "got …": `a number (5)`, `a string ("x")`, `a list`, `an empty value`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "an empty value";
  if (Array.isArray(value)) return "a list";
  switch (typeof value) {
    case "string":
      return quoteUserText(value);
    case "number":
      return `a number (${value})`;
    case "boolean":
      return `a boolean (${value})`;
    case "object":
      return "a mapping";
    default:
      return typeof value;
  }
}

/** The usual YAML slip behind a type error, when there is one. */
function typeHint(expected: string, value: unknown): string {
  const scalar = typeof value === "string" || typeof value === "number" || typeof value === "boolean";
  if (expected === "array" && scalar) return ` (write [${String(value)}] for a one-item list)`;
  if (expected === "string" && (typeof value === "number" || typeof value === "boolean")) {
    return ` (YAML read it as a ${typeof value}: quote it, "${String(value)}")`;
  }
  if (expected === "boolean" && typeof value === "string" && /^(yes|no|on|off|y|n)$/i.test(value)) {
    return " (YAML 1.2 reads yes/no/on/off as text: write true or false)";
  }
  return "";
}

function sizeMessage(issue: Extract<Issue, { code: "too_small" | "too_big" }>): string {
  const bound = Number(issue.code === "too_small" ? issue.minimum : issue.maximum);
  const atLeast = issue.code === "too_small";
  if (issue.origin === "array") return `must list at ${atLeast ? "least" : "most"} ${bound} item${bound === 1 ? "" : "s"}`;
  if (issue.origin === "string") {
    if (atLeast && bound === 1) return "must not be empty";
    return `must be at ${atLeast ? "least" : "most"} ${bound} characters`;
  }
  return `must be at ${atLeast ? "least" : "most"} ${bound}`;
}

/** zod's built-in English messages start like this; the schema's own messages do not. */
function isZodDefault(message: string): boolean {
  return /^(Invalid|Too (small|big))/.test(message);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value at `path` in `input`, or `undefined` when the path does not exist. */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const segment of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

/** `meetings[0].agenda.label`; keys that are not plain names are quoted: `meetings[0]["a b"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(String(segment))) text += text ? `.${String(segment)}` : String(segment);
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text;
}
