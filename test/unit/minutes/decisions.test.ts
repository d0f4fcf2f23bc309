import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MAX_DECISIONS, decisionKey, parseDecisions } from "../../../src/minutes/decisions.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/minutes/${name}`, import.meta.url), "utf8");
const texts = (markdown: string) => parseDecisions(markdown).decisions.map((decision) => decision.text);

describe("parseDecisions on exported minutes", () => {
  it("finds the decisions of the Node.js export, each with the agenda item it was under", () => {
    expect(parseDecisions(fixture("loop/nodejs-2026-11-26.export.md"))).toEqual({
      decisions: [
        {
          text: "the channel stays private until the CNA work lands",
          section: "OpenJS Foundation Slack channel [#812](https://github.com/nodejs/security-wg/issues/812)",
          anchor: "nodejssecurity-wg",
          itemUrl: "https://github.com/nodejs/security-wg/issues/812",
          line: 31,
          details: "",
        },
        {
          text: "land it once CI is green",
          section: "[StepSecurity] Apply security best practices [#1392](https://github.com/nodejs/security-wg/pull/1392)",
          anchor: "nodejssecurity-wg",
          itemUrl: "https://github.com/nodejs/security-wg/pull/1392",
          line: 35,
          details: "",
        },
        {
          text: "symlinks are followed only inside the allowed paths",
          section: "Permission model: --allow-fs-read with symlinks [#55031](https://github.com/nodejs/node/issues/55031)",
          anchor: "nodejsnode",
          itemUrl: "https://github.com/nodejs/node/issues/55031",
          line: 44,
          details: "",
        },
        { text: "the meeting moves to 15:00 UTC from January", section: "Q&A, Other", anchor: "qa-other", itemUrl: null, line: 50, details: "" },
      ],
      omitted: 0,
      truncated: false,
    });
  });

  it("finds the default preset's decisions under item headings and in Other business", () => {
    expect(parseDecisions(fixture("loop/default-2026-11-26.md")).decisions.map(({ text, section, anchor, itemUrl }) => ({ text, section, anchor, itemUrl }))).toEqual([
      {
        text: "rotate every November, starting now",
        section: "Rotate the signing keys ([acme/wg#31](https://github.com/acme/wg/issues/31))",
        anchor: "rotate-the-signing-keys-acmewg31",
        itemUrl: "https://github.com/acme/wg/issues/31",
      },
      { text: "the next meeting is on 2026-12-10", section: "Other business", anchor: "other-business", itemUrl: null },
    ]);
  });

  it("finds none in the real 2022-07-21 minutes, which had no marked decisions", () => {
    expect(texts(fixture("nodejs-2022-07-21.expected.md"))).toEqual([]);
  });
});

describe("decision markers", () => {
  it.each([
    "Decision: ship it",
    "DECISION: ship it",
    "decision: ship it",
    "Decided: ship it",
    "RESOLVED: ship it",
    "Resolved: ship it",
    "Resolution: ship it",
    "Agreed: ship it",
    "Consensus: ship it",
    "**Decision**: ship it",
    "**Decision:** ship it",
    "*Decision*: ship it",
    "_Agreed_: ship it",
    "__RESOLVED__: ship it",
    "**RESOLVED: ship it**",
    "\\*\\*Decision\\*\\*: ship it",
    "Decision：ship it",
    "Decision\u00A0: ship it",
    "* Decision: ship it",
    "- RESOLVED: ship it",
    "+ Agreed: ship it",
    "1. Decision: ship it",
    "2) Decision: ship it",
    "* [x] Decision: ship it",
    "    * Decision: ship it",
    "> RESOLVED: ship it",
    "* Decision: ship it  ",
  ])("%j", (line) => {
    expect(texts(`## Notes\n\n${line}`)).toEqual(["ship it"]);
  });

  it.each([
    ["mid-sentence", "* We decided: ship it"],
    ["no colon", "* Decision pending on the CVE"],
    ["another word", "* Decisions will be made next week: maybe"],
    ["a plural with text", "* Decisions: see below"],
    ["in fenced code", "```\nDecision: ship it\n```"],
    ["a heading", "### Decision: ship it"],
    ["an empty decision", "* Decision:"],
    ["struck through", "* ~~Decision: ship it~~"],
    ["its text struck through", "* Decision: ~~ship it~~"],
  ])("not %s", (_why, markdown) => {
    expect(texts(`## Notes\n\n${markdown}`)).toEqual([]);
  });

  it("does not read a ## Decisions heading's bullets: that is where the App gathers them", () => {
    expect(texts("## Decisions\n\n* ship it\n* Decision: marked, so read")).toEqual(["marked, so read"]);
  });

  it("reads each item of the list under a marker alone, with their sub-bullets as details", () => {
    const markdown = [
      "### nodejs/node",
      "",
      "* Permission model [#55031](https://github.com/nodejs/node/issues/55031)",
      "  * **Decisions:**",
      "    * symlinks are followed inside allowed paths",
      "      * and only there",
      "    * the flag stays experimental",
      "",
      "**Resolutions:**",
      "",
      "1. meet at 15:00 UTC",
      "2. skip the December meeting",
      "",
      "Text after the list.",
      "",
      "* not a resolution",
    ].join("\n");
    expect(parseDecisions(markdown).decisions.map(({ text, itemUrl, details, line }) => ({ text, itemUrl, details, line }))).toEqual([
      { text: "symlinks are followed inside allowed paths", itemUrl: "https://github.com/nodejs/node/issues/55031", details: "* and only there", line: 5 },
      { text: "the flag stays experimental", itemUrl: "https://github.com/nodejs/node/issues/55031", details: "", line: 7 },
      { text: "meet at 15:00 UTC", itemUrl: null, details: "", line: 11 },
      { text: "skip the December meeting", itemUrl: null, details: "", line: 12 },
    ]);
  });

  it("keeps a marked decision's sub-bullets as its details", () => {
    const [decision] = parseDecisions("## Notes\n\n* Decision: we adopt the threat model\n  * with the VM section rephrased\n  * reviewed again in March\n* next").decisions;
    expect(decision?.details).toBe("* with the VM section rephrased\n* reviewed again in March");
  });

  it("reads CRLF exports and counts lines from 1", () => {
    expect(parseDecisions("# T\r\n\r\n## Notes\r\n\r\n* Decision: ship it  \r\n").decisions.map((d) => [d.text, d.line])).toEqual([["ship it", 5]]);
  });

  it("gives a decision above every heading no section and no anchor", () => {
    expect(parseDecisions("Decision: ship it").decisions).toEqual([{ text: "ship it", section: null, anchor: null, itemUrl: null, line: 1, details: "" }]);
  });
});

describe("repeats and bounds", () => {
  it("reports the same text under the same anchor once, and again under another", () => {
    expect(parseDecisions("## A\n\n* Decision: ship it\n* DECISION: Ship  it\n\n## B\n\n* Decision: ship it").decisions.map((d) => [d.anchor, d.line])).toEqual([
      ["a", 3],
      ["b", 8],
    ]);
  });

  it(`returns ${MAX_DECISIONS} decisions and counts the rest as omitted`, () => {
    const lines = Array.from({ length: MAX_DECISIONS + 3 }, (_, i) => `* Decision: number ${i + 1}`);
    const result = parseDecisions(`## Notes\n\n${lines.join("\n")}`);
    expect(result.decisions).toHaveLength(MAX_DECISIONS);
    expect(result.omitted).toBe(3);
  });
});

describe("docs/templates.md", () => {
  it("reads the Decisions example as the docs describe it", () => {
    const docs = readFileSync(new URL("../../../docs/templates.md", import.meta.url), "utf8");
    const section = docs.split(/^### /m).find((part) => part.startsWith("Decisions\n")) ?? "";
    const example = /```md\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
    expect(texts(example)).toEqual(["the channel stays private until the CNA work lands", "land it once CI is green", "meet at 15:00 UTC from January", "skip the December meeting"]);
  });
});

describe("agenda titles", () => {
  it("never reads an agenda item's title as a decision", () => {
    expect(texts("### nodejs/node\n\n* Decision: drop Windows support [#9](https://github.com/nodejs/node/issues/9)\n  * Decision: not yet")).toEqual(["not yet"]);
  });
});

describe("decisionKey", () => {
  it("is the same for the same meeting and text however it is typed, and differs across meetings and words", () => {
    const key = decisionKey("https://github.com/o/r/issues/1", "Ship it.");
    expect(key).toMatch(/^[0-9a-f]{16}$/);
    expect(decisionKey("https://github.com/o/r/issues/1", "  **ship**   it ")).toBe(key);
    expect(decisionKey("https://github.com/o/r/issues/2", "Ship it.")).not.toBe(key);
    expect(decisionKey("https://github.com/o/r/issues/1", "Ship it later")).not.toBe(key);
  });
});
