import { describe, expect, it } from "vitest";
import Handlebars from "handlebars";
import { groupAgenda } from "../../../src/agenda/group-agenda.js";
import { TemplateError, compileTemplate } from "../../../src/render/renderer.js";
import { loadTemplate } from "../../../src/render/templates.js";
import { itemsFrom, july21, visibleIssue } from "./series.js";

const ZWSP = "\u200B";

describe("hostile titles through the nodejs template", () => {
  const { body } = visibleIssue(july21({ agenda: groupAgenda(itemsFrom("test/fixtures/agenda/hostile-titles.json")) }));

  it("renders each one escaped, on its own line", () => {
    const block = body.slice(body.indexOf("### evil/repo"), body.indexOf("\n## Invited") + 1);
    expect(block).toBe(
      [
        "### evil/repo",
        "",
        "* \\# heading \\*bold\\* \\_it\\_ a\\|b `code @x` [#8](https://github.com/evil/repo/issues/8)",
        "* two lines ## Invited [#7](https://github.com/evil/repo/issues/7)",
        "* \\$MINUTES\\_DOC\\$ [#6](https://github.com/evil/repo/issues/6)",
        "* {{x}} {{docUrl}} {{\\> partial}} [#5](https://github.com/evil/repo/issues/5)",
        "* \\[x\\](javascript:alert(1)) [#4](https://github.com/evil/repo/pull/4)",
        "* \\<img src=x onerror=alert(1)\\> [#3](https://github.com/evil/repo/issues/3)",
        `* cc @${ZWSP}nodejs/tsc [#2](https://github.com/evil/repo/issues/2)`,
        `* @${ZWSP}everyone ping [#1](https://github.com/evil/repo/issues/1)`,
        "",
        "",
      ].join("\n"),
    );
  });

  it("never re-renders data as a template and adds no heading", () => {
    // `{{docUrl}}` in a title stays literal although docUrl is a real field of the context.
    expect(body).toContain("{{x}} {{docUrl}}");
    expect(body.match(/^## Invited$/gm)).toHaveLength(1);
    expect(body).not.toMatch(/@(everyone|nodejs\/tsc)/);
    expect(body).not.toMatch(/(?<!\\)<img/);
  });
});

describe("template override", () => {
  it("renders a repository's own template from a string", () => {
    const { title, body } = visibleIssue(
      july21(),
      "# {{title}}\n{{#each agenda.groups}}{{#each items}}- {{number}}: {{title}}\n{{/each}}{{/each}}{{formatInZone start zone \"EEEE HH:mm\"}} / {{pad \"x\" 3}}|",
    );
    expect(title).toBe("Node.js Security team Meeting 2022-07-21");
    expect(body).toBe(
      "# Node.js Security team Meeting 2022-07-21\n- 812: OpenJS Foundation Slack channel\n- 811: Open discussion about VM module\n" +
        "- 802: Automatic check for dependencies' vulnerabilities in Node.js CI\n- 799: Threat Model\n- 791: Permission Model\n" +
        "- 488: What security guidance would be most useful for Node.js developers?\nThursday 10:00 / x  |\n",
    );
  });

  it("names the template, line, column and expression of an unknown field", () => {
    expect(() => visibleIssue(july21(), "## Agenda\n\nLabel: {{agenda.lable}}\n")).toThrowError(
      /^template nodejs: line 3, column 10: unknown field "lable" in \{\{agenda\.lable\}\} \(top-level fields: agenda, calendar, date, docEnabled/,
    );
  });

  it("reports template syntax errors at compile time, with the name", () => {
    expect(() => compileTemplate("{{#if x}}", ".github/meeting.md.hbs")).toThrowError(
      /^template \.github\/meeting\.md\.hbs: line 1: parse error near "\{\{#if x\}\}": Expecting /,
    );
  });
});

describe("helpers", () => {
  const render = (source: string, context: object = {}) => compileTemplate(source, "t")(context);
  const start = new Date("2022-07-21T14:00:00Z");

  it("formatInZone formats an instant as the zone's clock", () => {
    expect(render('{{formatInZone start "Asia/Kolkata" "yyyy-MM-dd HH:mm"}}', { start })).toBe("2022-07-21 19:30");
    expect(render('{{formatInZone "2022-07-21T14:00:00Z" "UTC" "HHmm"}}')).toBe("1400");
  });

  it("throws a clear error, not 'Invalid time value', when an argument is missing or undefined", () => {
    expect(() => render('{{formatInZone start "UTC"}}', { start })).toThrowError(/\{\{formatInZone\}\} takes 3 argument\(s\) \(instant, zone, pattern\), got 2/);
    // Strict mode does not check helper arguments: a misspelt field arrives as undefined.
    expect(() => render('{{formatInZone strat "UTC" "yyyy"}}', { start })).toThrowError(/formatInZone\}\}: argument 1 \(instant\) is undefined/);
    expect(() => render('{{formatInZone start zone "yyyy"}}', { start, zone: undefined })).toThrowError(/argument 2 \(zone\) is undefined/);
    expect(() => render('{{formatInZone "soon" "UTC" "yyyy"}}')).toThrowError(/instant must be a Date or an ISO-8601 string, got "soon"/);
    expect(() => render('{{formatInZone start "Mars/Olympus" "yyyy"}}', { start })).toThrowError(TemplateError);
    for (const source of ['{{formatInZone start "UTC" "yyyy"}}']) expect(() => render(source, {})).not.toThrowError(/Invalid time value/);
  });

  it("encodeURIComponent and pad validate their arguments", () => {
    expect(render('{{encodeURIComponent "Security team"}}|{{pad "US" 5}}|{{pad "long label" 3}}')).toBe("Security%20team|US   |long label");
    expect(() => render("{{encodeURIComponent nope}}")).toThrowError(/encodeURIComponent\}\}: argument 1 \(text\) is undefined/);
    expect(() => render('{{pad "x" "13"}}')).toThrowError(/width must be an integer/);
    expect(() => render('{{pad "x"}}')).toThrowError(/takes 2 argument/);
  });

  it("does not HTML-escape (Markdown output) and leaves the global Handlebars untouched", () => {
    expect(render("{{v}}", { v: "it's <b>" })).toBe("it's <b>");
    expect(Handlebars.helpers).not.toHaveProperty("formatInZone");
    expect(Handlebars.helpers).not.toHaveProperty("pad");
  });

  it("cannot reach prototype properties from a template", () => {
    expect(render("{{#with v}}{{constructor}}{{/with}}", { v: {} })).toBe("");
  });
});

describe("loadTemplate", () => {
  it("reads the bundled presets", () => {
    expect(loadTemplate("nodejs", "issue")).toContain("## Joining the meeting");
    expect(loadTemplate("default", "issue")).toContain("## Agenda");
  });

  it("rejects an unknown preset and never reads outside templates/", () => {
    expect(() => loadTemplate("../package", "issue")).toThrowError(/unknown template preset "..\/package" \(presets: default, nodejs/);
    expect(() => visibleIssue(july21({ series: { ...july21().series, issue: { ...july21().series.issue, template: ".github/x.hbs" } } }))).toThrowError(
      /unknown template preset/,
    );
  });
});
