import Handlebars from "handlebars";

/**
 * What a template written by a group may contain. Templates come from people the App does not
 * vet: `issue.title` in `.github/meetings.yml`, and a repository's own issue template. Handlebars
 * as shipped lets such a template define partials that call each other (an issue body of
 * gigabytes from a 1 KB config), write to the App's log (`{{log}}`), and run decorators. The
 * rules below are checked on Handlebars' own parse tree before anything is compiled, so a
 * refused construct never runs, and the message names the line and column.
 */

/** `"file"`: a template file (a preset or a repository's own); `"string"`: a template in a config value (`issue.title`). */
export type TemplateKind = "file" | "string";

/** Which rule a problem breaks. */
export type TemplateRule = "size" | "syntax" | "partial" | "decorator" | "helper";

/** One thing wrong with a template; `line` and `column` (1-based) are where, when known. */
export interface TemplateProblem {
  rule: TemplateRule;
  message: string;
  line: number | null;
  column: number | null;
}

/**
 * Limits on a template's source. Handlebars' parser and compiler are slow per tag and per
 * expression (a 64 KB template of dense tags took 0.1 s to parse and 0.5 s to compile on a busy
 * 2-core machine), while plain text costs next to nothing. So besides the length, the text
 * inside tags (`{{…}}`), the number of tags and of blocks are bounded before parsing, and the
 * number of expressions (paths, literals, calls) after it, before anything is compiled. The
 * presets stay far below: at most 40 tags, 16 blocks, 1.5 KB of tag text and 200 expressions
 * per file; a title needs three or four tags.
 */
export const TEMPLATE_SOURCE_LIMITS: Readonly<Record<TemplateKind, SourceLimits>> = {
  file: { chars: 64 * 1024, tagChars: 16 * 1024, tags: 500, blocks: 100, expressions: 3000 },
  string: { chars: 1024, tagChars: 1024, tags: 50, blocks: 10, expressions: 200 },
};

/** See {@link TEMPLATE_SOURCE_LIMITS}. */
export interface SourceLimits {
  chars: number;
  tagChars: number;
  tags: number;
  blocks: number;
  expressions: number;
}

/**
 * The helpers a template may call: Handlebars' safe built-ins and the App's own (renderer.ts).
 * `section` marks parts of the issue body, so a config string (a title) cannot use it.
 */
export const TEMPLATE_HELPERS: Readonly<Record<TemplateKind, readonly string[]>> = {
  file: ["if", "unless", "each", "with", "lookup", "section", "formatInZone", "encodeURIComponent", "pad"],
  string: ["if", "unless", "each", "with", "lookup", "formatInZone", "encodeURIComponent", "pad"],
};

/**
 * Handlebars built-ins that are never available, even as a bare `{{name}}`: `log` writes to the
 * process's console (the App's log); the other two are Handlebars' fallbacks for unknown
 * helpers, which a template has no business calling by name.
 */
const REFUSED_BUILT_INS = ["log", "helperMissing", "blockHelperMissing"];

/** Every name Handlebars would call as a helper when written bare: the App's instance's helpers and Handlebars' built-ins. */
const KNOWN_HELPERS = new Set([...TEMPLATE_HELPERS.file, ...REFUSED_BUILT_INS]);

/**
 * How deep sub-expressions may nest, and how many segments a path may have (`agenda.groups` has
 * two). Handlebars' compiler recurses over both and runs out of stack at about 3,000; real
 * templates use two or three.
 */
const MAX_EXPRESSION_DEPTH = 10;
const MAX_PATH_SEGMENTS = 10;

/** Most problems reported for one template: the first ones are enough to fix it. */
const MAX_PROBLEMS = 20;

/** `line 3, column 5: …`, or the bare message when the position is unknown. */
export function formatTemplateProblem(problem: TemplateProblem): string {
  if (problem.line === null) return problem.message;
  return `line ${problem.line}${problem.column === null ? "" : `, column ${problem.column}`}: ${problem.message}`;
}

/**
 * Checks a template's source against the rules above: its size, its syntax, and that it defines
 * no partials or decorators and calls only the helpers in {@link TEMPLATE_HELPERS}. Pure: no
 * I/O, nothing compiled or run. An empty list means the template may be rendered.
 *
 * @example checkTemplateSource("{{#*inline \"x\"}}…{{/inline}}", "string")
 *   // [{ rule: "decorator", line: 1, column: 1, message: "inline partials ({{#*inline}}) are not allowed …" }]
 */
export function checkTemplateSource(source: string, kind: TemplateKind): TemplateProblem[] {
  const parsed = parseTemplate(source, kind);
  return parsed.ok ? checkTemplateTree(parsed.ast, kind) : parsed.problems;
}

/** A template parsed under the size limits, or why it was not. */
export type ParsedTemplate = { ok: true; ast: hbs.AST.Program } | { ok: false; problems: TemplateProblem[] };

/**
 * Parses a template with Handlebars, after the cheap checks of {@link TEMPLATE_SOURCE_LIMITS}
 * (an oversized source is never handed to the parser). A syntax error becomes a problem.
 */
export function parseTemplate(source: string, kind: TemplateKind): ParsedTemplate {
  const size = sizeProblems(source, kind);
  if (size.length > 0) return { ok: false, problems: size };
  try {
    return { ok: true, ast: Handlebars.parse(source) };
  } catch (error) {
    return { ok: false, problems: [syntaxProblem(error)] };
  }
}

function sizeProblems(source: string, kind: TemplateKind): TemplateProblem[] {
  const limits = TEMPLATE_SOURCE_LIMITS[kind];
  const what = kind === "file" ? "a template file" : "a template in a config value";
  const size = (message: string): TemplateProblem => ({ rule: "size", message, line: null, column: null });
  if (source.length > limits.chars) {
    return [size(`the template is ${count(source.length)} characters long; ${what} may have at most ${count(limits.chars)}`)];
  }
  // Every tag starts with `{{`; counting the pairs over-counts (an escaped `\{{` too), never under-counts.
  const tags = source.split("{{").length - 1;
  if (tags > limits.tags) return [size(`the template has ${count(tags)} tags ({{…}}); ${what} may have at most ${count(limits.tags)}`)];
  const tagChars = tagText(source);
  if (tagChars > limits.tagChars) {
    return [size(`the template has ${count(tagChars)} characters inside tags ({{…}}); ${what} may have at most ${count(limits.tagChars)}`)];
  }
  // Each block, `{{else}}` (`{{ else }}` too) and `{{^}}` can open one level of nesting; raw blocks open with `{{{{`.
  const blocks = source.match(/\{\{~?(?:#|\^|\s*else\b)|\{\{\{\{/g)?.length ?? 0;
  if (blocks > limits.blocks) {
    return [size(`the template has ${count(blocks)} blocks ({{#…}}, {{else}}, {{^…}}); ${what} may have at most ${count(limits.blocks)}`)];
  }
  return [];
}

/** Characters from each `{{` to the next `}}` (to the end when unclosed). */
function tagText(source: string): number {
  let total = 0;
  for (let start = source.indexOf("{{"); start !== -1; ) {
    const close = source.indexOf("}}", start + 2);
    const end = close === -1 ? source.length : close + 2;
    total += end - start;
    start = source.indexOf("{{", end);
  }
  return total;
}

function syntaxProblem(error: unknown): TemplateProblem {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof RangeError) {
    return { rule: "syntax", message: "the template nests too deeply for Handlebars' parser", line: null, column: null };
  }
  const exception = error as { lineNumber?: unknown; column?: unknown };
  if (typeof exception.lineNumber === "number") {
    // Handlebars' own exceptions end with " - line:column"; the position is reported separately.
    const column = typeof exception.column === "number" ? exception.column + 1 : null;
    return { rule: "syntax", message: message.replace(/ - \d+:\d+$/, ""), line: exception.lineNumber, column };
  }
  // The generated parser's errors read "Parse error on line 3:\n<text around>\n---^\nExpecting …":
  // one line of message, quoting the text around the place it stopped.
  const [head = message, excerpt, , expecting] = message.split("\n");
  const line = /^Parse error on line (\d+):$/.exec(head);
  if (!line || excerpt === undefined || expecting === undefined) {
    return { rule: "syntax", message: message.replace(/\s+/g, " "), line: null, column: null };
  }
  return { rule: "syntax", message: `parse error near ${quote(excerpt)}: ${expecting}`, line: Number(line[1]), column: null };
}

/** Checks a parsed template (see {@link checkTemplateSource}); the renderer parses once and uses this. */
export function checkTemplateTree(ast: hbs.AST.Program, kind: TemplateKind): TemplateProblem[] {
  const allowed = new Set(TEMPLATE_HELPERS[kind]);
  const problems: TemplateProblem[] = [];
  const refuse = (node: hbs.AST.Node, rule: TemplateRule, message: string) => {
    if (problems.length < MAX_PROBLEMS) {
      problems.push({ rule, message, line: node.loc?.start.line ?? null, column: node.loc ? node.loc.start.column + 1 : null });
    }
  };

  /**
   * Handlebars calls a helper for a sub-expression, for a mustache or block with arguments, and
   * for a bare `{{name}}` or `{{#name}}` when `name` is a helper it knows; anything else is a
   * lookup in the data. So: a call must name an allowed helper directly, and a known helper
   * that is not allowed here is refused even bare.
   */
  const checkCallee = (node: CallNode) => {
    const isCall = Handlebars.AST.helpers.helperExpression(node as hbs.AST.Node);
    const name = calleeName(node.path);
    if (name === null) {
      if (isCall) refuse(node, "helper", `${describePath(node.path)} is not a helper: a call names one directly (${list(allowed)})`);
    } else if (KNOWN_HELPERS.has(name) && !allowed.has(name)) {
      refuse(node, "helper", `the helper ${quote(name)} is not available in ${kind === "file" ? "templates" : "a config value"} (helpers: ${list(allowed)})`);
    } else if (isCall && !allowed.has(name)) {
      refuse(node, "helper", `unknown helper ${quote(name)} (helpers: ${list(allowed)})`);
    }
  };

  // An explicit stack, not recursion: a walk that cannot overflow the stack needs no argument
  // about how deep a template may nest. `depth` counts the sub-expressions around a node.
  const stack: Array<{ node: hbs.AST.Node; depth: number }> = [{ node: ast, depth: 0 }];
  const push = (nodes: readonly hbs.AST.Node[], depth: number) => {
    for (let index = nodes.length - 1; index >= 0; index--) stack.push({ node: nodes[index]!, depth });
  };
  let expressions = 0;
  while (stack.length > 0 && problems.length < MAX_PROBLEMS) {
    const { node, depth } = stack.pop()!;
    if (node.type !== "Program" && node.type !== "ContentStatement" && node.type !== "CommentStatement") expressions++;
    switch (node.type) {
      case "Program":
        push((node as hbs.AST.Program).body, 0);
        break;
      case "DecoratorBlock": {
        const block = node as hbs.AST.DecoratorBlock;
        const inline = calleeName(block.path) === "inline";
        refuse(
          node,
          "decorator",
          inline
            ? "inline partials ({{#*inline}}) are not allowed in a template"
            : `decorators ({{#*name}}) are not allowed in a template (found ${describePath(block.path)})`,
        );
        break;
      }
      case "Decorator":
        refuse(node, "decorator", `decorators ({{*name}}) are not allowed in a template (found ${describePath((node as hbs.AST.Decorator).path)})`);
        break;
      case "PartialStatement":
        refuse(node, "partial", "partials ({{> name}}) are not allowed in a template: the App provides none");
        break;
      case "PartialBlockStatement":
        refuse(node, "partial", "partial blocks ({{#> name}}) are not allowed in a template: the App provides none");
        break;
      case "BlockStatement":
      case "MustacheStatement":
      case "SubExpression": {
        const call = node as CallNode;
        const inner = node.type === "SubExpression" ? depth + 1 : depth;
        if (inner > MAX_EXPRESSION_DEPTH && depth === MAX_EXPRESSION_DEPTH) {
          refuse(node, "syntax", `sub-expressions nest more than ${MAX_EXPRESSION_DEPTH} deep`);
          break;
        }
        checkCallee(call);
        push([call.path, ...call.params, ...(call.hash?.pairs.map((pair) => pair.value) ?? [])], inner);
        const block = node as Partial<hbs.AST.BlockStatement>;
        push([block.program, block.inverse].filter((program) => program !== undefined), 0);
        break;
      }
      case "PathExpression": {
        const path = node as hbs.AST.PathExpression;
        if (path.parts.length > MAX_PATH_SEGMENTS) refuse(node, "syntax", `the path ${describePath(path)} has more than ${MAX_PATH_SEGMENTS} segments`);
        break;
      }
      default:
        // Content, comments and literals cannot run anything.
        break;
    }
  }
  const limit = TEMPLATE_SOURCE_LIMITS[kind].expressions;
  if (expressions > limit) {
    const what = kind === "file" ? "a template file" : "a template in a config value";
    problems.unshift({ rule: "size", message: `the template has ${count(expressions)} expressions (paths, literals, calls); ${what} may have at most ${count(limit)}`, line: null, column: null });
  }
  return problems;
}

/** The parts of a mustache, block or sub-expression that can call helpers. */
interface CallNode extends hbs.AST.Node {
  path: hbs.AST.PathExpression | hbs.AST.Literal | hbs.AST.SubExpression;
  params: hbs.AST.Expression[];
  hash?: hbs.AST.Hash | undefined;
}

/**
 * The helper a callee names, as Handlebars' compiler resolves it: a simple identifier (`log`,
 * `[log]`, and `@log` too) or a literal (`{{"log" x}}`); null for a path it looks up in the
 * data (`this.x`, `../x`, `a.b`) or a sub-expression.
 */
function calleeName(path: CallNode["path"]): string | null {
  if (path.type === "PathExpression") {
    const expression = path as hbs.AST.PathExpression;
    return Handlebars.AST.helpers.simpleId(expression) ? (expression.parts[0] ?? null) : null;
  }
  if (path.type === "SubExpression") return null;
  return String((path as hbs.AST.StringLiteral).original ?? (path as hbs.AST.StringLiteral).value);
}

function describePath(path: hbs.AST.PathExpression | hbs.AST.Literal | hbs.AST.SubExpression): string {
  if (path.type === "PathExpression") return quote((path as hbs.AST.PathExpression).original);
  if (path.type === "SubExpression") return "a sub-expression";
  return quote(String((path as hbs.AST.StringLiteral).value));
}

/** A name from the template, quoted for a message: short, one line, no invisible characters. */
function quote(text: string): string {
  const short = text.length > 40 ? `${text.slice(0, 39)}…` : text;
  return JSON.stringify(short).replace(/[\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function list(names: Iterable<string>): string {
  return [...names].join(", ");
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}
