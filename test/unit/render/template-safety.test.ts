import Handlebars from "handlebars";
import { afterEach, describe, expect, it, vi } from "vitest";
import { groupAgenda } from "../../../src/agenda/group-agenda.js";
import { failureKind, seriesFailureAlarm } from "../../../src/alarms/causes.js";
import { alarmText } from "../../../src/alarms/alarm-text.js";
import { parseConfigText } from "../../../src/config/load-config.js";
import { RENDER_LIMITS } from "../../../src/render/render-budget.js";
import { RenderLimitError, TemplateError, compileTemplate, registeredDecorators, registeredHelpers } from "../../../src/render/renderer.js";
import { TEMPLATE_HELPERS, checkTemplateSource, formatTemplateProblem } from "../../../src/render/template-rules.js";
import { MAX_ISSUE_BODY, TEMPLATE_PRESETS, loadTemplate, renderIssue, renderMinutesDoc, renderTitle } from "../../../src/render/templates.js";
import type { MeetingView } from "../../../src/render/types.js";
import { defaultSeries, july21 } from "./series.js";

/**
 * The attacks of issue 10, finding 3, against the renderer: a template (`issue.title` in the
 * config, or a repository's own issue template) must not be able to take the process down or
 * write to its log. Each test here fails when the guard it names is taken out.
 */

const occurrence = { start: new Date("2024-10-22T14:00:00Z"), zone: "Europe/Berlin", date: "2024-10-22" };

/** `series.issue.title` rendered for the 2024-10-22 meeting of a default series. */
/** Renders `issueTitle` as a series' title, past config validation (which refuses the same titles): the renderer's own guard. */
function title(issueTitle: string, overrides: Record<string, unknown> = {}) {
  const series = defaultSeries(overrides);
  return renderTitle({ series: { ...series, issue: { ...series.issue, title: issueTitle } }, occurrence });
}

/** The 2022-07-21 Node.js meeting rendered with a repository's own issue template. */
function repoIssue(source: string, overrides: Partial<MeetingView> = {}) {
  const base = july21(overrides);
  const series = { ...base.series, issue: { ...base.series.issue, template: ".github/meeting-issue.md.hbs" } };
  return renderIssue({ ...base, series }, source);
}

/** What `fn` threw (fails the test when it did not throw). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}

/**
 * Inline partials that each call the one below `calls` times, `levels` deep, then the top one:
 * the title would be `calls`^(`levels` - 1) copies of `{{name}}`.
 */
function exponentialPartials(levels: number, calls: number): string {
  const names = "abcdefghijklmnop".slice(0, levels).split("");
  const partials = names.map((name, index) => {
    const body = index === 0 ? "{{name}}" : `{{> ${names[index - 1]}}}`.repeat(calls);
    return `{{#*inline "${name}"}}${body}{{/inline}}`;
  });
  return `${partials.join("")}{{> ${names.at(-1)}}}`;
}

/**
 * The 1,280-byte config of the report: `issue.title` defines inline partials that each call the
 * one below eight times, nine levels deep. Had it rendered, the title would be
 * 8^8 × "Boom!" = 84 million characters (the report's run produced 125 MB in 8 s at 859 MB RSS;
 * a few more levels ran the heap out).
 */
function exponentialConfig(): string {
  const text = [
    "meetings:",
    "  - id: boom",
    "    name: Boom!",
    "    schedule:",
    "      rrule: FREQ=WEEKLY;BYDAY=TU",
    "      start: 2024-10-22T16:00",
    "      zone: Europe/Berlin",
    "    agenda:",
    "      label: boom",
    "      repos: [o/r]",
    "    issue:",
    `      title: '${exponentialPartials(9, 8)}'`,
    "",
  ].join("\n");
  // Padded to the report's exact size with a comment, which YAML ignores.
  const padding = 1280 - Buffer.byteLength(text) - 3;
  return `${text}# ${"x".repeat(padding)}\n`;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("exponential inline partials", () => {
  const config = exponentialConfig();

  it("the report's 1,280-byte config is refused by validation at its title, and the renderer refuses the title too", () => {
    expect(Buffer.byteLength(config)).toBe(1280);
    const refused = parseConfigText(config);
    if (refused.ok) throw new Error("expected the config to be refused");
    expect(refused.errors.map((error) => [error.path, error.line])).toEqual([["meetings[0].issue.title", 12]]);
    expect(refused.errors[0]!.message).toMatch(
      /not a title template the App renders: the template has 84 tags \(\{\{…\}\}\); a template in a config value may have at most 50$/,
    );
    // Past validation (a config read before this check existed), the renderer holds on its own.
    const parsed = parseConfigText(config.replace(/title: '.*'/, "title: 'Boom'"));
    if (!parsed.ok) throw new Error("expected the config with a plain title to parse");
    const plain = parsed.config.meetings[0]!;
    const series = { ...plain, issue: { ...plain.issue, title: exponentialPartials(9, 8) } };
    // 84 tags: a title needs three or four, so the cheapest check refuses it, before parsing.
    const error = thrown(() => renderTitle({ series, occurrence }));
    expect(error).toBeInstanceOf(TemplateError);
    expect(error.message).toBe("template issue.title: the template has 84 tags ({{…}}); a template in a config value may have at most 50");
    // The preview (`wg-meetings preview`) renders the issue, and with it the title: the same refusal.
    const view = { series, occurrence, agenda: july21().agenda, docUrl: null, issueUrl: null };
    expect(() => renderIssue(view)).toThrowError(error.message);
    // What `validate` will report for it (checkTemplateSource is the check config validation runs).
    expect(checkTemplateSource(series.issue.title, "string").map(formatTemplateProblem)).toEqual([
      "the template has 84 tags ({{…}}); a template in a config value may have at most 50",
    ]);
  });

  it("a title small enough to pass the size checks is refused for its inline partials, by line and column", () => {
    const source = exponentialPartials(5, 4);
    expect(() => title(source)).toThrowError(/^template issue\.title: line 1, column 1: inline partials \(\{\{#\*inline\}\}\) are not allowed in a template; line 1, column 36: inline partials/);
    expect(checkTemplateSource(source, "string").map((problem) => problem.rule)).toEqual(["decorator", "decorator", "decorator", "decorator", "decorator", "partial"]);
  });

  it("the same partials in a repository template (within a file's size limits) are refused by line and column", () => {
    const source = `## Agenda\n\n${exponentialPartials(9, 8)}\n`;
    const error = thrown(() => repoIssue(source));
    expect(error).toBeInstanceOf(TemplateError);
    expect(error.message).toMatch(/^template \.github\/meeting-issue\.md\.hbs: line 3, column 1: inline partials \(\{\{#\*inline\}\}\) are not allowed in a template; line 3, column 36: /);
    expect(error.message).toMatch(/; and 7 more$/);
  });
});

describe("constructs a template may not use", () => {
  it.each([
    ['{{#*inline "x"}}hi{{/inline}}', "decorator", /^line 1, column 1: inline partials \(\{\{#\*inline\}\}\) are not allowed/],
    ["{{*freeze}}", "decorator", /^line 1, column 1: decorators \(\{\{\*name\}\}\) are not allowed in a template \(found "freeze"\)/],
    ['{{#*decorate "x"}}hi{{/decorate}}', "decorator", /decorators \(\{\{#\*name\}\}\) are not allowed in a template \(found "decorate"\)/],
    ["{{> header}}", "partial", /^line 1, column 1: partials \(\{\{> name\}\}\) are not allowed in a template: the App provides none/],
    ['{{> (lookup . "name")}}', "partial", /partials \(\{\{> name\}\}\) are not allowed/],
    ["{{#> layout}}body{{/layout}}", "partial", /^line 1, column 1: partial blocks \(\{\{#> name\}\}\) are not allowed/],
    ["{{shout name}}", "helper", /^line 1, column 1: unknown helper "shout" \(helpers: if, unless, each, with, lookup, formatInZone, encodeURIComponent, pad\)/],
    ["{{pad (shout name) 3}}", "helper", /^line 1, column 7: unknown helper "shout"/],
    ["{{#shout name}}x{{/shout}}", "helper", /unknown helper "shout"/],
    ["{{this.log name}}", "helper", /"this\.log" is not a helper: a call names one directly/],
    ['{{#if name}}{{else if (log "x")}}{{/if}}', "helper", /^line 1, column 23: the helper "log" is not available/],
    ["{{helperMissing}}", "helper", /the helper "helperMissing" is not available/],
    ["{{#blockHelperMissing}}x{{/blockHelperMissing}}", "helper", /the helper "blockHelperMissing" is not available/],
    ['{{#section "time"}}x{{/section}}', "helper", /the helper "section" is not available in a config value/],
  ])("%s", (source, rule, message) => {
    const problems = checkTemplateSource(source, "string");
    expect(problems.map((problem) => problem.rule)).toContain(rule);
    expect(formatTemplateProblem(problems[0]!)).toMatch(message);
    // The renderer refuses it at compile time, before it runs, with the same words and the name.
    expect(() => compileTemplate(source, "issue.title", { kind: "string" })).toThrowError(`template issue.title: ${formatTemplateProblem(problems[0]!)}`);
  });

  it("allows what the presets and titles use, a mustache-style section over data, and a raw block", () => {
    for (const source of ["{{host}} {{name}} Meeting {{date}}", "{{#if host}}[{{host}}] {{/if}}{{name}}", "{{#agenda}}{{label}}{{/agenda}}", "{{{{raw}}}}{{log}}{{{{/raw}}}}"]) {
      expect(checkTemplateSource(source, "file")).toEqual([]);
    }
    for (const preset of TEMPLATE_PRESETS) {
      for (const part of ["issue", "minutes-doc", "minutes"] as const) expect(checkTemplateSource(loadTemplate(preset, part), "file")).toEqual([]);
    }
  });

  it("names where a repository template breaks a rule, and the alarm for it names the file, the rule and the place", () => {
    const source = "## Agenda\n\n{{#*inline \"item\"}}* {{title}}{{/inline}}\n";
    const error = thrown(() => repoIssue(source));
    expect(error.message).toBe("template .github/meeting-issue.md.hbs: line 3, column 1: inline partials ({{#*inline}}) are not allowed in a template");

    const view = july21();
    const series = { ...view.series, issue: { ...view.series.issue, template: ".github/meeting-issue.md.hbs" } };
    const context = { webUrl: "https://github.com", repository: "nodejs/security-wg", defaultBranch: "main", series, now: new Date("2022-07-18T14:00:00Z"), meetingStart: view.occurrence.start };
    expect(failureKind(error, context)).toBe("template");
    const { body } = alarmText(seriesFailureAlarm(error, context)!);
    expect(body).toContain(
      "The meeting issue template `.github/meeting-issue.md.hbs` could not be rendered: " +
        "`template .github/meeting-issue.md.hbs: line 3, column 1: inline partials ({{#*inline}}) are not allowed in a template`.",
    );
    expect(body).toContain("https://github.com/nodejs/security-wg/blob/main/.github/meeting-issue.md.hbs");
  });

  it("reports a syntax error on one line, with its line", () => {
    expect(checkTemplateSource("ok\n{{#if x}}\n{{/each}}", "file").map(formatTemplateProblem)).toEqual(["line 2, column 4: if doesn't match each"]);
    expect(checkTemplateSource("ok\n\n{{name", "file").map(formatTemplateProblem)).toEqual([
      "line 3: parse error near \"ok{{name\": Expecting 'ID', 'STRING', 'NUMBER', 'BOOLEAN', 'UNDEFINED', 'NULL', 'DATA', got 'INVALID'",
    ]);
  });
});

describe("{{log}}", () => {
  const forged = '{{log "[2024-10-22 14:00:00.000] INFO (wg-meetings): installation token rotated, new token ghs_FORGED"}}';

  it("is refused, and nothing reaches the console", () => {
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((method) => vi.spyOn(console, method).mockImplementation(() => {}));
    const error = thrown(() => repoIssue(`# Meeting\n\n${forged}\n`));
    expect(error.message).toMatch(/^template \.github\/meeting-issue\.md\.hbs: line 3, column 1: the helper "log" is not available in templates/);
    expect(() => title(`{{name}} {{log "forged line"}}`)).toThrowError(/^template issue\.title: line 1, column 10: the helper "log" is not available in a config value/);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });

  it("is not even registered on the App's Handlebars instance, and neither is any decorator", () => {
    expect(registeredHelpers()).toEqual([...TEMPLATE_HELPERS.file, "blockHelperMissing", "helperMissing"].sort());
    expect(registeredHelpers()).not.toContain("log");
    expect(registeredDecorators()).toEqual([]);
  });
});

describe("limits on a template's source", () => {
  it("refuses an oversized template before parsing it", () => {
    expect(checkTemplateSource("x".repeat(64 * 1024 + 1), "file").map(formatTemplateProblem)).toEqual([
      "the template is 65,537 characters long; a template file may have at most 65,536",
    ]);
    expect(checkTemplateSource(`${"{{name}}".repeat(100)}x`.repeat(2), "string")[0]!.message).toBe(
      "the template is 1,602 characters long; a template in a config value may have at most 1,024",
    );
    expect(checkTemplateSource("{{a}}".repeat(501), "file")[0]!.message).toBe("the template has 501 tags ({{…}}); a template file may have at most 500");
    expect(checkTemplateSource("{{#if a}}{{/if}}".repeat(101), "file")[0]!.message).toBe(
      "the template has 101 blocks ({{#…}}, {{else}}, {{^…}}); a template file may have at most 100",
    );
    expect(checkTemplateSource(`{{a ${"b".repeat(17000)}}}`, "file")[0]!.message).toBe(
      "the template has 17,006 characters inside tags ({{…}}); a template file may have at most 16,384",
    );
    expect(checkTemplateSource(`{{lookup ${"a ".repeat(60)}}}`.repeat(60), "file")[0]!.message).toBe(
      "the template has 3,720 expressions (paths, literals, calls); a template file may have at most 3,000",
    );
  });

  it("refuses nesting that would run Handlebars' compiler out of stack", () => {
    expect(checkTemplateSource(`{{pad ${"(pad ".repeat(11)}"x" 1${") 1".repeat(11)} 1}}`, "file").map(formatTemplateProblem)).toEqual([
      "line 1, column 57: sub-expressions nest more than 10 deep",
    ]);
    expect(checkTemplateSource(`{{${"a.".repeat(10)}b}}`, "file").map(formatTemplateProblem)).toEqual([
      'line 1, column 3: the path "a.a.a.a.a.a.a.a.a.a.b" has more than 10 segments',
    ]);
  });

  it("refuses a date pattern longer than any real one", () => {
    expect(() => compileTemplate(`{{formatInZone start "UTC" "${"y".repeat(101)}"}}`, "t")({ start: new Date() })).toThrowError(
      /\{\{formatInZone\}\}: the pattern is 101 characters long; at most 100/,
    );
  });
});

describe("a render is bounded", () => {
  it("stops nested {{#each}} early: 200 × 200 × 200 runs asked, the work limit ends it after a small part", () => {
    let runs = 0;
    const context = {
      list: Array.from({ length: 200 }, (_, index) => index),
      get probe() {
        runs++;
        return "";
      },
    };
    const render = compileTemplate("{{#each list}}{{#each @root.list}}{{#each @root.list}}{{@root.probe}}{{/each}}{{/each}}{{/each}}", ".github/x.md.hbs");
    const error = thrown(() => render(context));
    expect(error).toBeInstanceOf(RenderLimitError);
    expect(error.message).toBe(
      "template .github/x.md.hbs: stopped after 1,048,576 steps, the most one render may take (in the block at line 1, column 35): " +
        "a block runs too often (look for {{#each}} inside {{#each}})",
    );
    expect(runs).toBeGreaterThan(0);
    expect(runs).toBeLessThan(200 ** 3 / 50);
  });

  it("stops a six-deep {{#each}} over the invited lines of a repository template, as an alarm-worthy template error", () => {
    const series = { ...july21().series, issue: { ...july21().series.issue, invited: Array.from({ length: 1000 }, (_, index) => `@person${index}`) } };
    const each = (depth: number) => "{{#each @root.invited}}".repeat(depth) + "{{this}}" + "{{/each}}".repeat(depth);
    const error = thrown(() => repoIssue(`# {{title}}\n\n${each(6)}\n`, { series }));
    expect(error).toBeInstanceOf(RenderLimitError);
    expect(error.name).toBe("TemplateError");
    expect(error.message).toMatch(/^template \.github\/meeting-issue\.md\.hbs: stopped after 1,048,576 steps/);
  });

  it("a mustache-style section over a list ({{#list}}) is counted like {{#each}}", () => {
    const render = compileTemplate("{{#list}}{{#@root.list}}{{#@root.list}}{{/@root.list}}{{/@root.list}}{{/list}}", "t");
    expect(() => render({ list: Array.from({ length: 200 }, (_, index) => index) })).toThrowError(/^template t: stopped after 1,048,576 steps/);
  });

  it("counts a list's length even when its items are holes", () => {
    const render = compileTemplate("{{#each list}}x{{/each}}", "t");
    expect(() => render({ list: new Array(50_000_000) })).toThrowError(/^template t: stopped after 1,048,576 steps/);
  });

  it("stops at the output limit: repeated long text at the top level, and in a block", () => {
    const joining = "j".repeat(10_000);
    expect(() => compileTemplate("{{joining}}".repeat(30), "t")({ joining })).toThrowError(
      new RenderLimitError("template t: stopped: the output passed 262,144 characters, the most one render may produce"),
    );
    expect(() => compileTemplate(`{{#if joining}}${"{{joining}}".repeat(30)}{{/if}}`, "t")({ joining })).toThrowError(
      "template t: stopped: the output passed 262,144 characters, the most one render may produce (in the block at line 1, column 1)",
    );
  });

  it("changes nothing a template renders: counted blocks give what plain Handlebars gives", () => {
    const plain = Handlebars.create();
    const context = {
      list: ["a", "b", "c"],
      object: { x: 1, y: 2 },
      nested: { inner: { value: "deep" } },
      groups: [{ repository: "o/r", items: [{ n: 1 }, { n: 2 }] }, { repository: "o/s", items: [] }],
      yes: true,
      no: false,
      none: null,
      empty: [],
      zero: 0,
    };
    const sources = [
      "{{#each list}}{{@index}}:{{this}}{{#if @first}}^{{/if}}{{#if @last}}${{/if}},{{/each}}",
      "{{#each object}}{{@key}}={{this}};{{/each}}",
      "{{#each list as |item i|}}[{{i}} {{item}} {{../yes}}]{{/each}}",
      "{{#each groups}}{{repository}}:{{#each items}}{{n}}@{{../repository}}{{else}}none{{/each}};{{/each}}",
      "{{#with nested.inner as |inner|}}{{inner.value}} {{value}} {{@root.yes}}{{/with}}",
      "{{#if no}}1{{else if zero}}2{{else if none}}3{{else}}4{{/if}}{{#unless no}}5{{/unless}}{{#if zero includeZero=true}}6{{/if}}",
      "{{#list}}<{{this}}>{{/list}}{{#yes}}y{{/yes}}{{#no}}n{{else}}not{{/no}}{{#nested}}{{inner.value}}{{/nested}}{{#empty}}e{{else}}empty{{/empty}}",
      '{{lookup list 1}} {{lookup object "y"}} {{#each list}}{{lookup @root.list @index}}{{/each}}',
      "{{{{yes}}}}{{not rendered}}{{{{/yes}}}}",
      "{{#each empty}}x{{else}}{{#each list}}{{this}}{{/each}}{{/each}}",
    ];
    for (const source of sources) {
      const expected = plain.compile(source, { noEscape: true, strict: true })(context);
      expect(compileTemplate(source, "t")(context), source).toBe(expected);
    }
  });

  it("charges the App's helpers for their work, also where their result is not output", () => {
    const list = Array.from({ length: 2000 }, (_, index) => index);
    const start = new Date("2022-07-21T14:00:00Z");
    // Formatting a date in a zone costs about 300 plain fields: 2,000 of them pass the limit.
    expect(() => compileTemplate('{{#each list}}{{#if (formatInZone @root.start "UTC" "y")}}{{/if}}{{/each}}', "t")({ list, start })).toThrowError(
      /^template t: stopped after 1,048,576 steps/,
    );
    expect(compileTemplate('{{#each list}}{{#if (formatInZone @root.start "UTC" "y")}}{{/if}}{{/each}}', "t")({ list: list.slice(0, 500), start })).toBe("");
    // A padded or encoded text costs its length, output or not.
    const long = Array.from({ length: 10_000 }, (_, index) => index);
    expect(() => compileTemplate('{{#each list}}{{#if (pad "x" 200)}}{{/if}}{{/each}}', "t")({ list: long })).toThrowError(/stopped after 1,048,576 steps/);
    expect(() => compileTemplate("{{#each list}}{{#if (encodeURIComponent @root.text)}}{{/if}}{{/each}}", "t")({ list: long, text: "é".repeat(100) })).toThrowError(
      /stopped after 1,048,576 steps/,
    );
  });

  it("charges a loop only for its own body, not for the costliest body elsewhere in the template", () => {
    // A 1,900-tag body elsewhere; the loop's body is small. Charging every run the biggest body
    // would end this legitimate template at the work limit.
    const big = `{{#if true}}${"{{a}}".repeat(450)}{{/if}}`;
    const loop = "{{#each items}}{{#if this}}x{{else if @first}}y{{else}}z{{/if}}{{/each}}";
    const items = Array.from({ length: 20_000 }, (_, index) => index % 3);
    expect(compileTemplate(big + loop, "t")({ a: "", items })).toHaveLength(20_000);
  });

  it("refuses an issue body longer than GitHub takes, with the numbers", () => {
    const error = thrown(() => repoIssue(`# {{title}}\n\n${"x".repeat(61_000)}\n`));
    expect(error).toBeInstanceOf(RenderLimitError);
    expect(error.message).toBe(
      "template .github/meeting-issue.md.hbs: the issue body is 61,045 characters, over the App's limit of 60,000 (GitHub takes at most 65,536); the agenda has 6 items",
    );
    expect(MAX_ISSUE_BODY).toBeLessThan(65_536);
  });

  it("cuts a title to GitHub's 256 characters, never inside a character", () => {
    const long = title("{{name}} {{date}}", { name: "Very long group name ".repeat(20) });
    expect(long).toHaveLength(256);
    expect(long.endsWith("…")).toBe(true);
    expect(long.startsWith("Very long group name Very long")).toBe(true);

    const emoji = title("{{name}}", { name: "🦀".repeat(300) });
    expect(Array.from(emoji)).toHaveLength(256);
    expect(emoji).toBe(`${"🦀".repeat(255)}…`);
    expect(title("{{name}}", { name: "🦀".repeat(256) })).toBe("🦀".repeat(256));
  });

  it("still renders the largest agenda a search returns into the presets' minutes doc", () => {
    const items = Array.from({ length: 1000 }, (_, index) => ({
      repository: "o/r",
      number: index + 1,
      title: `${"Item title ".repeat(20)}${index}`,
      url: `https://github.com/o/r/issues/${index + 1}`,
      kind: "issue" as const,
    }));
    const { markdown } = renderMinutesDoc(july21({ agenda: groupAgenda(items, true), issueUrl: "https://github.com/o/r/issues/1" }));
    expect(markdown.match(/^\* Item title /gm)).toHaveLength(1000);
    expect(RENDER_LIMITS.output).toBeLessThan(markdown.length);
  });
});
