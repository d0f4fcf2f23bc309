import { readFileSync } from "node:fs";
import { lint } from "markdownlint/sync";
import { describe, expect, it } from "vitest";
import { HeadingSlugger, headingSlug } from "../../../src/minutes/heading-slug.js";
import { parseItemNotes } from "../../../src/minutes/item-notes.js";
import { scanMinutes } from "../../../src/minutes/minutes-lines.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/minutes/${name}`, import.meta.url), "utf8");
const parse = (markdown: string) => parseItemNotes(markdown, { meeting: "https://github.com/nodejs/security-wg/issues/1500" });
/** Items as `[url, anchor, notes]`. */
const brief = (markdown: string) => parse(markdown).items.map((item) => [item.url, item.anchor, item.notes]);

describe("parseItemNotes, the nodejs layout (### owner/repo groups, notes indented under each item)", () => {
  it("splits the Node.js export by agenda item, with each item's notes, decisions and action items", () => {
    const result = parse(fixture("loop/nodejs-2026-11-26.export.md"));
    expect(result.omitted).toBe(0);
    expect(
      result.items.map((item) => ({
        url: item.url,
        repository: item.repository,
        number: item.number,
        line: item.line,
        anchor: item.anchor,
        notes: item.notes,
        decisions: item.decisions.map((d) => d.text),
        actionItems: item.actionItems.map((a) => [a.owners, a.text]),
      })),
    ).toEqual([
      {
        url: "https://github.com/nodejs/security-wg/issues/812",
        repository: "nodejs/security-wg",
        number: 812,
        line: 29,
        anchor: "nodejssecurity-wg",
        notes: "* Rafael: the channel is live; invite the triage team \\- done\n* **Decision**: the channel stays private until the CNA work lands",
        decisions: ["the channel stays private until the CNA work lands"],
        actionItems: [],
      },
      {
        url: "https://github.com/nodejs/security-wg/pull/1392",
        repository: "nodejs/security-wg",
        number: 1392,
        line: 32,
        anchor: "nodejssecurity-wg",
        notes: [
          "* Ulises: the PR pins actions to SHAs\\. Needs one more review",
          "* ACTION: @marco-ippolito to review the workflow\\_dispatch permissions (due 2026-12-03)",
          "* RESOLVED: land it once CI is green",
        ].join("\n"),
        decisions: ["land it once CI is green"],
        actionItems: [[["marco-ippolito"], "review the workflow_dispatch permissions"]],
      },
      // Only the template's `(notes)` prompt was under it: no notes.
      { url: "https://github.com/nodejs/security-wg/issues/799", repository: "nodejs/security-wg", number: 799, line: 36, anchor: "nodejssecurity-wg", notes: "", decisions: [], actionItems: [] },
      {
        url: "https://github.com/nodejs/node/issues/55031",
        repository: "nodejs/node",
        number: 55031,
        line: 41,
        anchor: "nodejsnode",
        notes: "1. Rafael will write the threat model first\n1. AI(@RafaelGSS): write the symlink section of the threat model\n1. Agreed: symlinks are followed only inside the allowed paths",
        decisions: ["symlinks are followed only inside the allowed paths"],
        actionItems: [[["RafaelGSS"], "write the symlink section of the threat model"]],
      },
      { url: "https://github.com/nodejs/node/pull/55100", repository: "nodejs/node", number: 55100, line: 45, anchor: "nodejsnode", notes: "", decisions: [], actionItems: [] },
    ]);
    // The whole meeting's items and decisions come along, so the minutes are read once.
    expect(result.actionItems).toHaveLength(9);
    expect(result.decisions).toHaveLength(4);
  });

  it("reads the committed 2022-07-21 minutes: quotes and nested numbered lists stay in the notes", () => {
    const items = parse(fixture("nodejs-2022-07-21.expected.md")).items;
    expect(items.map((item) => [item.number, item.anchor, item.notes === "" ? 0 : item.notes.split("\n").length])).toEqual([
      [812, "nodejssecurity-wg", 1],
      [811, "nodejssecurity-wg", 5],
      [802, "nodejssecurity-wg", 9],
      [799, "nodejssecurity-wg", 14],
      [791, "nodejssecurity-wg", 0],
      [488, "nodejssecurity-wg", 0],
    ]);
    expect(items[1]?.notes).toBe(
      [
        "* The current statement in the Threat Model is not clear:",
        "> The `vm` module aims to run code in a different V8 context, therefore, it’s not a security mechanism",
        "* Instead of expose threats directly in the docs, we'll rephrase that statement to:",
        "> The `vm` module was not created to hold a secure context. It doesn't provide enough isolation from popular threats.",
        "> Therefore is not a security mechanism. Don’t run untrusted code on it (see).",
      ].join("\n"),
    );
  });

  it("takes the link into the group's repository, a bare #N as the group's, and no nested link for an item", () => {
    const markdown = [
      "## Announcements",
      "",
      "### nodejs/node",
      "",
      "* Backport of [nodejs/security-wg#5](https://github.com/nodejs/security-wg/issues/5) to [#42](https://github.com/nodejs/node/pull/42?x=1#issuecomment-9)",
      "  * see https://github.com/nodejs/node/issues/43 for the history",
      "* Hand-typed item #44",
      "+ Another with a reference nodejs/undici#7",
      "",
      "Standing note with no link.",
    ].join("\n");
    expect(brief(markdown)).toEqual([
      ["https://github.com/nodejs/node/pull/42", "nodejsnode", "* see https://github.com/nodejs/node/issues/43 for the history"],
      ["https://github.com/nodejs/node/issues/44", "nodejsnode", ""],
      ["https://github.com/nodejs/undici/issues/7", "nodejsnode", ""],
    ]);
  });

  it("reads a list of linked items directly under ## Agenda, without groups", () => {
    expect(brief("## Agenda\n\n* Threat model [#799](https://github.com/nodejs/security-wg/issues/799)\n  * reviewed\n\n## Q&A\n\n* [#800](https://github.com/nodejs/security-wg/issues/800) came up")).toEqual([
      ["https://github.com/nodejs/security-wg/issues/799", "agenda", "* reviewed"],
    ]);
  });
});

describe("parseItemNotes, the default layout (one heading per item)", () => {
  it("splits the default preset's minutes by item heading, merging an item that appears twice", () => {
    const result = parseItemNotes(fixture("loop/default-2026-11-26.md"), { meeting: "https://github.com/acme/wg/issues/40" });
    expect(result.items.map(({ url, title, line, anchor, notes, decisions, actionItems }) => ({ url, title, line, anchor, notes, decisions: decisions.map((d) => d.text), actionItems: actionItems.map((a) => a.text) }))).toEqual([
      {
        url: "https://github.com/acme/wg/issues/31",
        title: "Rotate the signing keys ([acme/wg#31](https://github.com/acme/wg/issues/31))",
        line: 15,
        anchor: "rotate-the-signing-keys-acmewg31",
        notes: [
          "* We agreed on a yearly rotation.",
          "* Decision: rotate every November, starting now",
          "* ACTION: @ada to write the runbook (due 2026-12-15)",
          "",
          "#### Open questions",
          "",
          "* Who holds the backup key?",
          "",
          "* (second time on the agenda: the backup key is with the foundation)",
        ].join("\n"),
        decisions: ["rotate every November, starting now"],
        actionItems: ["write the runbook"],
      },
      { url: "https://github.com/acme/tools/pull/7", title: "PR: Pin the release workflow ([acme/tools#7](https://github.com/acme/tools/pull/7))", line: 29, anchor: "pr-pin-the-release-workflow-acmetools7", notes: "", decisions: [], actionItems: [] },
      { url: "https://github.com/acme/wg/issues/35", title: "Q&A on the `sbom` format ([acme/wg#35](https://github.com/acme/wg/issues/35))", line: 33, anchor: "qa-on-the-sbom-format-acmewg35", notes: "", decisions: [], actionItems: [] },
    ]);
  });

  it("reads the Google export of item headings: bold, {#id} suffixes, escapes, CRLF", () => {
    const markdown = ["# **M**", "", "## **Agenda**", "", "### **Fix the \\[docs\\] ([nodejs/node\\#1](https://github.com/nodejs/node/issues/1))** {#fix-the-docs}  ", "", "* done\u00A0already  ", ""].join("\r\n");
    expect(brief(markdown)).toEqual([["https://github.com/nodejs/node/issues/1", "fix-the-docs-nodejsnode1", "* done\u00A0already"]]);
  });

  it("takes the heading's last link as the item: the template puts the item's link last", () => {
    expect(brief("## Agenda\n\n### Follow-up to [o/r#1](https://github.com/o/r/issues/1) ([o/r#2](https://github.com/o/r/issues/2))\n\n* ok")).toEqual([["https://github.com/o/r/issues/2", "follow-up-to-or1-or2", "* ok"]]);
  });

  it("treats /issues/N and /pull/N of one repository as one item, keeping the first link", () => {
    const markdown = "## A\n\n### X ([o/r#5](https://github.com/o/r/issues/5))\n\n* one\n\n### Y ([O/R#5](https://github.com/O/R/pull/5))\n\n* two";
    expect(brief(markdown)).toEqual([["https://github.com/o/r/issues/5", "x-or5", "* one\n\n* two"]]);
  });
});

describe("heading anchors", () => {
  it.each([
    ["Q&A, Other", "qa-other"],
    ["nodejs/security-wg", "nodejssecurity-wg"],
    ["Rotate the keys ([acme/wg#31](https://github.com/acme/wg/issues/31))", "rotate-the-keys-acmewg31"],
    ["The `vm` module: **not** a _sandbox_", "the-vm-module-not-a-sandbox"],
    ["workflow_dispatch and __init__", "workflow_dispatch-and-init"],
    ["Ulises Gascón’s ünïcödé 日本語", "ulises-gascóns-ünïcödé-日本語"],
    ["  Two  spaces  ", "two--spaces"],
    ["Escaped \\[brackets\\] and \\#hash", "escaped-brackets-and-hash"],
    ["Image ![logo](logo.png) here", "image--here"],
    ["<b>HTML</b> tags", "html-tags"],
  ])("%j → %j", (heading, anchor) => {
    expect(headingSlug(heading)).toBe(anchor);
  });

  it("numbers repeated anchors in document order", () => {
    const slugger = new HeadingSlugger();
    expect(["Notes", "Notes", "Notes-1", "Notes"].map((h) => slugger.slug(h))).toEqual(["notes", "notes-1", "notes-1-1", "notes-2"]);
  });

  it("agrees with markdownlint's MD051, which checks links against GitHub's anchors", () => {
    const headings = [
      "# Node.js Security team Meeting 2026-11-26",
      "## Q&A, Other",
      "### nodejs/security-wg",
      "### nodejs/security-wg",
      "### Rotate the keys ([acme/wg#31](https://github.com/acme/wg/issues/31))",
      "### The `vm` module: **not** a _sandbox_",
      "### Ulises Gascón’s ünïcödé 日本語",
      "### workflow_dispatch and __init__",
      "### Escaped \\[brackets\\] and \\#hash",
    ];
    const { headings: scanned } = scanMinutes(headings.join("\n\n"));
    const links = scanned.map((heading) => `* [${heading.line}](#${heading.anchor})`);
    const check = (list: string[]) => lint({ strings: { doc: [...headings, "", ...list, ""].join("\n\n") }, config: { default: false, MD051: true } }).doc ?? [];
    expect(check(links)).toEqual([]);
    // The check itself works: a wrong anchor is reported.
    expect(check(["* [x](#nodejssecurity-wg-2)"])).toHaveLength(1);
  });
});

describe("bounds", () => {
  it("returns at most 200 agenda items and counts the rest as omitted", () => {
    const items = Array.from({ length: 205 }, (_, i) => `* Item [#${i + 1}](https://github.com/o/r/issues/${i + 1})`);
    const result = parse(`### o/r\n\n${items.join("\n")}`);
    expect(result.items).toHaveLength(200);
    expect(result.omitted).toBe(5);
  });
});

describe("notes typed without indenting them", () => {
  it("gives a repository group's unlinked bullets to the item above, but not under a plain Agenda heading", () => {
    const markdown = [
      "### nodejs/security_tools",
      "",
      "* Scorecard [#3](https://github.com/nodejs/security_tools/issues/3)",
      "  * indented note",
      "* flat note, Enter in Google Docs keeps the level",
      "* Decision: flat decision",
      "* Next [#4](https://github.com/nodejs/security_tools/issues/4)",
      "",
      "## Agenda",
      "",
      "* [ ] Standing item, not a note",
      "* Item [#5](https://github.com/nodejs/node/issues/5)",
      "* another standing line",
    ].join("\n");
    const result = parse(markdown);
    expect(result.items.map((item) => [item.number, item.anchor, item.notes, item.decisions.map((d) => d.text)])).toEqual([
      [3, "nodejssecurity_tools", "  * indented note\n* flat note, Enter in Google Docs keeps the level\n* Decision: flat decision", ["flat decision"]],
      [4, "nodejssecurity_tools", "", []],
      [5, "agenda", "", []],
    ]);
  });
});

describe("where notes end", () => {
  it("ends an item's notes at fenced code or a paragraph at its level, and keeps code indented under it", () => {
    const markdown = [
      "### o/r",
      "",
      "* One [#1](https://github.com/o/r/issues/1)",
      "  * note",
      "    ```",
      "    $ node --permission app.js",
      "    ```",
      "```",
      "* not a note: in code",
      "```",
      "* Two [#2](https://github.com/o/r/issues/2)",
      "  * note",
      "",
      "Paragraph after the list.",
    ].join("\n");
    expect(brief(markdown)).toEqual([
      ["https://github.com/o/r/issues/1", "or", "* note\n  ```\n  $ node --permission app.js\n  ```"],
      ["https://github.com/o/r/issues/2", "or", "* note"],
    ]);
  });
});
