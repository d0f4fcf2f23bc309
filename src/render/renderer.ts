import Handlebars from "handlebars";
import { formatInZone } from "../schedule/time-table.js";
import { type SectionName, wrapSection } from "./sections.js";

const SECTION_NAMES: readonly SectionName[] = ["time", "agenda"];

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
 */
const handlebars = Handlebars.create();

/** Compile options shared by every template. */
const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

/** Thrown for any problem in a template: syntax, unknown field, bad helper call. */
export class TemplateError extends Error {
  override name = "TemplateError";
}

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
 * (time, agenda, doc). See sections.ts; the markers add no line and render as nothing.
 */
handlebars.registerHelper("section", function (this: unknown, ...args: unknown[]) {
  const options = args.at(-1) as Handlebars.HelperOptions;
  const [name] = helperArgs("section", args, ["name"]);
  if (!SECTION_NAMES.includes(name as SectionName)) {
    throw new TemplateError(`{{#section}}: unknown section ${JSON.stringify(name)} (sections: ${SECTION_NAMES.join(", ")})`);
  }
  if (typeof options?.fn !== "function") throw new TemplateError(`{{section}} is a block helper: {{#section "${String(name)}"}}…{{/section}}`);
  return wrapSection(name as SectionName, options.fn(this));
});

/** `{{formatInZone start "UTC" "yyyyMMdd'T'HHmm"}}`: an instant as the clock in a zone shows it (date-fns pattern). */
handlebars.registerHelper("formatInZone", (...args: unknown[]) => {
  const [instant, zone, pattern] = helperArgs("formatInZone", args, ["instant", "zone", "pattern"]);
  const date = requireInstant("formatInZone", instant);
  const zoneName = requireString("formatInZone", "zone", zone);
  const patternText = requireString("formatInZone", "pattern", pattern);
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
  return encodeURIComponent(String(value));
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
  return String(value).padEnd(width, " ");
});

/** A compiled template: context in, Markdown out. Errors are {@link TemplateError}s naming the template. */
export type Render = (context: object) => string;

/**
 * Compiles `source` with the private instance. `name` (a preset path or a repo file) is put in
 * every error message, because the person reading it has to know which file to fix.
 */
export function compileTemplate(source: string, name: string): Render {
  let template: ReturnType<typeof handlebars.compile>;
  try {
    // Parse eagerly (compile() is lazy) so syntax errors surface here, with the name.
    handlebars.parse(source);
    template = handlebars.compile(source, COMPILE_OPTIONS);
  } catch (error) {
    throw new TemplateError(`template ${name}: ${describe(error)}`);
  }
  return (context) => {
    try {
      return template(context, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
    } catch (error) {
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
