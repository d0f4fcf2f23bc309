import Handlebars from "handlebars";
import { formatInZone } from "../schedule/time-table.js";
import { RENDER_LIMITS, type RenderLimits, chargeHelper, counted, programCosts, renderWithin } from "./render-budget.js";
import { type SectionName, wrapSection } from "./sections.js";
import { RenderLimitError, TemplateError } from "./template-error.js";
import { type TemplateKind, checkTemplateTree, formatTemplateProblem, parseTemplate } from "./template-rules.js";

export { RenderLimitError, TemplateError } from "./template-error.js";

const SECTION_NAMES: readonly SectionName[] = ["time", "agenda", "actions"];

/**
 * The one Handlebars environment the app renders with: a private instance, so helpers and
 * partials registered here never leak into (or get overridden by) any other code that uses the
 * global `Handlebars` in the same process.
 *
 * - `noEscape: true`: the output is Markdown, not HTML. HTML-escaping would turn `'` into
 *   `&#x27;` and still not make a title safe in Markdown; titles are escaped for Markdown by
 *   `escapeTitle` while the context is built, so template authors cannot forget it.
 * - `strict: true`: a misspelt field (`{{agenda.lable}}`) throws instead of rendering an empty
 *   string into a public issue. The context therefore holds every key, with `null` for absent
 *   values, so `{{#if docUrl}}` keeps working.
 * - No `log` helper and no decorators: templates come from the groups (template-rules.ts
 *   refuses both before compiling; removing them here means a template that slipped past the
 *   rules still could not write to the App's log or define a partial).
 * - Every helper that runs a block is {@link counted}, so a render stops at its limits.
 */
const handlebars = Handlebars.create();
handlebars.unregisterHelper("log");
handlebars.unregisterDecorator("inline");
for (const name of ["if", "unless", "each", "with", "lookup", "blockHelperMissing", "helperMissing"]) {
  const builtIn = handlebars.helpers[name];
  if (builtIn) handlebars.registerHelper(name, counted(builtIn));
}

/** Compile options shared by every template. */
const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

/** Handlebars passes its `options` object as the last argument of every helper call. */
function helperArgs(name: string, args: unknown[], expected: string[]): unknown[] {
  const values = args.slice(0, -1);
  if (values.length !== expected.length) {
    throw new TemplateError(
      `{{${name}}} takes ${expected.length} argument(s) (${expected.join(", ")}), got ${values.length}`,
    );
  }
  values.forEach((value, index) => {
    // Handlebars hands `undefined` to a helper for a missing context value (strict mode only checks
    // plain lookups), so a typo would otherwise surface deep inside date-fns as "Invalid time value".
    if (value === undefined || value === null) {
      throw new TemplateError(`{{${name}}}: argument ${index + 1} (${expected[index]}) is ${String(value)}`);
    }
  });
  return values;
}

function requireString(helper: string, what: string, value: unknown): string {
  if (typeof value !== "string" || value === "") {
    throw new TemplateError(`{{${helper}}}: ${what} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
}

function requireInstant(helper: string, value: unknown): Date {
  const instant = value instanceof Date ? value : typeof value === "string" ? new Date(value) : null;
  if (!instant || Number.isNaN(instant.getTime())) {
    throw new TemplateError(`{{${helper}}}: instant must be a Date or an ISO-8601 string, got ${JSON.stringify(value)}`);
  }
  return instant;
}

/**
 * `{{#section "agenda"}}…{{/section}}`: marks a part of the issue the App keeps up to date
 * (time, agenda, open action items). See sections.ts; the markers add no line and render as nothing.
 */
handlebars.registerHelper("section", counted(function (this: unknown, ...args: unknown[]) {
  const options = args.at(-1) as Handlebars.HelperOptions;
  const [name] = helperArgs("section", args, ["name"]);
  if (!SECTION_NAMES.includes(name as SectionName)) {
    throw new TemplateError(`{{#section}}: unknown section ${JSON.stringify(name)} (sections: ${SECTION_NAMES.join(", ")})`);
  }
  if (typeof options?.fn !== "function") throw new TemplateError(`{{section}} is a block helper: {{#section "${String(name)}"}}…{{/section}}`);
  return wrapSection(name as SectionName, options.fn(this));
}));

/** What one `formatInZone` call is charged besides its pattern (render-budget.ts): it takes about 300 times as long as a plain field. */
const FORMAT_COST = 1000;

/** Longest date pattern `formatInZone` takes: the presets' longest is 15 characters. */
const MAX_PATTERN = 100;

/** `{{formatInZone start "UTC" "yyyyMMdd'T'HHmm"}}`: an instant as the clock in a zone shows it (date-fns pattern). */
handlebars.registerHelper("formatInZone", (...args: unknown[]) => {
  const [instant, zone, pattern] = helperArgs("formatInZone", args, ["instant", "zone", "pattern"]);
  const date = requireInstant("formatInZone", instant);
  const zoneName = requireString("formatInZone", "zone", zone);
  const patternText = requireString("formatInZone", "pattern", pattern);
  if (patternText.length > MAX_PATTERN) {
    throw new TemplateError(`{{formatInZone}}: the pattern is ${patternText.length} characters long; at most ${MAX_PATTERN}`);
  }
  chargeHelper(FORMAT_COST + patternText.length);
  try {
    return formatInZone(date, zoneName, patternText);
  } catch (error) {
    throw new TemplateError(`{{formatInZone}}: cannot format in zone "${zoneName}" with "${patternText}": ${(error as Error).message}`);
  }
});

/** `{{encodeURIComponent name}}`: for query strings of links (`Security team` → `Security%20team`). */
handlebars.registerHelper("encodeURIComponent", (...args: unknown[]) => {
  const [value] = helperArgs("encodeURIComponent", args, ["text"]);
  if (typeof value !== "string" && typeof value !== "number") {
    throw new TemplateError(`{{encodeURIComponent}}: expected text, got ${JSON.stringify(value)}`);
  }
  const encoded = encodeURIComponent(String(value));
  chargeHelper(encoded.length);
  return encoded;
});

/** `{{pad label 13}}`: text padded with spaces to a width (never cut), for aligned Markdown tables. */
handlebars.registerHelper("pad", (...args: unknown[]) => {
  const [value, width] = helperArgs("pad", args, ["text", "width"]);
  if (typeof value !== "string" && typeof value !== "number") {
    throw new TemplateError(`{{pad}}: expected text, got ${JSON.stringify(value)}`);
  }
  if (typeof width !== "number" || !Number.isInteger(width) || width < 0 || width > 200) {
    throw new TemplateError(`{{pad}}: width must be an integer from 0 to 200, got ${JSON.stringify(width)}`);
  }
  const padded = String(value).padEnd(width, " ");
  chargeHelper(padded.length);
  return padded;
});

/**
 * The helpers the private instance holds, sorted: the allowed ones (template-rules.ts) and
 * Handlebars' two fallbacks for unknown helpers. No `log`.
 */
export function registeredHelpers(): string[] {
  return Object.keys(handlebars.helpers).sort();
}

/** The decorators the private instance holds: none, so `{{#*inline}}` has nothing to run. */
export function registeredDecorators(): string[] {
  return Object.keys(handlebars.decorators).sort();
}

/** A compiled template: context in, Markdown out. Errors are {@link TemplateError}s naming the template. */
export type Render = (context: object) => string;

/** How a template is compiled: which rules apply (template-rules.ts) and the limits of one render. */
export interface CompileOptions {
  /** `"file"` (default) for a template file, `"string"` for a template in a config value. */
  kind?: TemplateKind;
  /** Default {@link RENDER_LIMITS}. */
  limits?: RenderLimits;
}

/** Most rule violations named in one error (an alarm shows 500 characters); the author fixes these and tries again. */
const MAX_LISTED_PROBLEMS = 3;

/**
 * Compiles `source` with the private instance, after checking it against the template rules
 * (template-rules.ts): a refused template throws here, naming the rule, line and column, and
 * never runs. `name` (a preset path, a repo file, `issue.title`) is put in every error message,
 * because the person reading it has to know which file to fix. Each render is bounded by
 * `limits` (render-budget.ts) and throws a {@link RenderLimitError} when it passes them.
 */
export function compileTemplate(source: string, name: string, options: CompileOptions = {}): Render {
  const kind = options.kind ?? "file";
  const limits = options.limits ?? RENDER_LIMITS;
  // Every tick renders the same repository template and title again: compile each text once.
  const key = JSON.stringify([kind, limits.output, limits.work, name, source]);
  const cached = compiled.get(key);
  if (cached) {
    compiled.delete(key);
    compiled.set(key, cached);
    return cached;
  }
  const render = compileChecked(source, name, kind, limits);
  compiled.set(key, render);
  if (compiled.size > MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
  return render;
}

/** Compiled templates by kind, limits, name and text, least recently used first. */
const compiled = new Map<string, Render>();

/** Templates kept compiled: a few per series the process serves in a tick is plenty. */
const MAX_COMPILED = 64;

function compileChecked(source: string, name: string, kind: TemplateKind, limits: RenderLimits): Render {
  const parsed = parseTemplate(source, kind);
  const problems = parsed.ok ? checkTemplateTree(parsed.ast, kind) : parsed.problems;
  if (!parsed.ok || problems.length > 0) {
    const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map(formatTemplateProblem);
    if (problems.length > MAX_LISTED_PROBLEMS) listed.push(`and ${problems.length - MAX_LISTED_PROBLEMS} more`);
    throw new TemplateError(`template ${name}: ${listed.join("; ")}`);
  }
  const costs = programCosts(parsed.ast);
  let template: ReturnType<typeof handlebars.compile>;
  try {
    template = handlebars.compile(source, COMPILE_OPTIONS);
  } catch (error) {
    throw new TemplateError(`template ${name}: ${describe(error)}`);
  }
  return (context) => {
    try {
      return renderWithin(costs, limits, () =>
        template(context, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false }),
      );
    } catch (error) {
      if (error instanceof RenderLimitError) throw new RenderLimitError(`template ${name}: ${error.message}`);
      // A concatenation past V8's longest string (~512 MB) ends the render the same way.
      if (error instanceof RangeError && /Invalid string length/.test(error.message)) {
        throw new RenderLimitError(`template ${name}: stopped: the output passed ${limits.output.toLocaleString("en-US")} characters, the most one render may produce`);
      }
      throw new TemplateError(`template ${name}: ${describe(error, context, source)}`);
    }
  };
}

/** Rewrites Handlebars' strict-mode message (`"x" not defined in [object Object] - 3:2`) into one a person can act on. */
function describe(error: unknown, context?: object, source?: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const strict = /^"([^"]+)" not defined in .* - (\d+):(\d+)$/s.exec(message);
  if (strict) {
    const [, field, line, column] = strict;
    // Handlebars names only the missing segment ("lable"); quote the whole expression from the source.
    const text = source?.split("\n")[Number(line) - 1]?.slice(Number(column));
    const expression = text ? /^[^\s}]+/.exec(text)?.[0] : undefined;
    const where = expression && expression !== field ? ` in {{${expression}}}` : "";
    const fields = context ? ` (top-level fields: ${Object.keys(context).sort().join(", ")})` : "";
    return `line ${line}, column ${Number(column) + 1}: unknown field "${field}"${where}${fields}`;
  }
  return message;
}
