import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type MinutesInput, composeMinutes } from "../../../src/minutes/compose-minutes.js";
import { parseActionItems } from "../../../src/minutes/action-items.js";
import { parseDecisions } from "../../../src/minutes/decisions.js";
import { parseItemNotes } from "../../../src/minutes/item-notes.js";
import { defaultSeries, july21 } from "../render/series.js";

/** The Decisions section and the previous/next links composeMinutes adds (issue 13). */
const loop = (name: string) => readFileSync(new URL(`../../fixtures/minutes/loop/${name}`, import.meta.url), "utf8");
const ISSUE = "https://github.com/nodejs/security-wg/issues/1500";

function input(overrides: Partial<MinutesInput> = {}): MinutesInput {
  return { view: july21(), issueUrl: ISSUE, docUrl: null, recordingUrl: null, exported: loop("nodejs-2026-11-26.export.md"), present: [], ...overrides };
}

const section = (minutes: string, heading: string) => {
  const start = minutes.indexOf(`\n## ${heading}\n`);
  const end = minutes.indexOf("\n## ", start + 1);
  return minutes.slice(start + 1, end === -1 ? undefined : end);
};

describe("the Decisions section", () => {
  it("gathers the notes' decisions after the Links, each linking where it was decided (the nodejs export of 2026-11-26)", () => {
    const minutes = composeMinutes(input());
    expect(section(minutes, "Decisions")).toBe(
      [
        "## Decisions",
        "",
        "* [OpenJS Foundation Slack channel #812](#nodejssecurity-wg): the channel stays private until the CNA work lands",
        "* [[StepSecurity] Apply security best practices #1392](#nodejssecurity-wg): land it once CI is green".replace("[[StepSecurity]", "[\\[StepSecurity\\]"),
        "* [Permission model: --allow-fs-read with symlinks #55031](#nodejsnode): symlinks are followed only inside the allowed paths",
        "* [Q&A, Other](#qa-other): the meeting moves to 15:00 UTC from January",
        "",
      ].join("\n"),
    );
    expect(minutes.split("\n").filter((line) => line.startsWith("## ")).slice(0, 3)).toEqual(["## Links", "## Decisions", "## Present"]);
  });

  it("is read by no parser a second time: the decisions and action items are those of the notes alone", () => {
    const minutes = composeMinutes(input());
    const withoutSection = minutes.replace(/## Decisions\n\n(?:\* .*\n)+\n/, "");
    expect(parseDecisions(minutes).decisions.map((d) => d.text)).toEqual(parseDecisions(withoutSection).decisions.map((d) => d.text));
    expect(parseActionItems(minutes, { meeting: ISSUE }).items.map((i) => i.key)).toEqual(parseActionItems(withoutSection, { meeting: ISSUE }).items.map((i) => i.key));
    // The section names agenda items (`owner/repo#N` in its link text) but is none of the agenda.
    const items = (markdown: string) => parseItemNotes(markdown, { meeting: ISSUE }).items.map((item) => [item.url, item.notes, item.decisions.length]);
    expect(items(minutes)).toEqual(items(withoutSection));
  });

  it("a decision whose text starts with another marker is not read as one from the section (the link leads its line)", () => {
    const exported = loop("nodejs-2026-11-26.export.md").replace("* Decision: the meeting moves", "* Decision: ACTION: @mhdawson moves");
    const minutes = composeMinutes(input({ exported }));
    expect(section(minutes, "Decisions")).toContain("* [Q&A, Other](#qa-other): ACTION: @mhdawson moves to 15:00 UTC from January");
    // In the notes the line is a decision, not an action item; the section changes nothing.
    expect(parseActionItems(minutes, { meeting: ISSUE }).items.filter((item) => item.text.includes("moves to 15:00"))).toEqual([]);
    expect(parseDecisions(minutes).decisions.filter((d) => d.text.includes("moves to 15:00"))).toHaveLength(1);
  });

  it("is the first section of the default preset, and absent without decisions", () => {
    const view = { ...july21(), series: defaultSeries() };
    const withDecisions = composeMinutes(input({ view, exported: loop("default-2026-11-26.md") }));
    expect(withDecisions.split("\n").filter((line) => line.startsWith("## "))[0]).toBe("## Decisions");
    expect(section(withDecisions, "Decisions")).toContain("* [Rotate the signing keys (acme/wg#31)](#rotate-the-signing-keys-acmewg31): rotate every November, starting now");
    const notes = (markdown: string) => parseItemNotes(markdown, { meeting: ISSUE }).items.map((item) => [item.url, item.anchor, item.notes]);
    expect(notes(withDecisions)).toEqual(notes(withDecisions.replace(/## Decisions\n\n(?:\* .*\n)+\n/, "")));

    const none = composeMinutes(input({ exported: loop("nodejs-2026-11-26.export.md").replace(/^.*(?:Decision|RESOLVED|Agreed).*\n/gm, "") }));
    expect(none).not.toContain("## Decisions");
  });

  it("a doc that has its own Decisions heading keeps it; the links point at the anchors of the final file", () => {
    const exported = loop("nodejs-2026-11-26.export.md").replace("## **Action items**", "## Decisions\n\n* Decision: chosen under the doc's own heading\n\n## **Action items**");
    const minutes = composeMinutes(input({ exported }));
    expect(minutes.match(/^## Decisions$/gm)).toHaveLength(2);
    // GitHub numbers the second "Decisions" heading: the doc's own is #decisions-1.
    expect(minutes).toContain("* [Decisions](#decisions-1): chosen under the doc's own heading");
  });
});

describe("previous and next meeting links", () => {
  const neighbours = {
    previous: { date: "2026-11-12", issueUrl: "https://github.com/nodejs/security-wg/issues/1490", minutesLink: "2026-11-12.md" },
    next: { date: "2026-12-10", issueUrl: "https://github.com/nodejs/security-wg/issues/1510", minutesLink: null },
  };

  it("are the App's lines after its own in the Links (a doc line with the same label is replaced)", () => {
    const exported = loop("nodejs-2026-11-26.export.md").replace("## **Present**", "* **Previous meeting**: typed by hand\n* **Slides**: https://example.com/s\n\n## **Present**");
    const minutes = composeMinutes(input({ exported, neighbours }));
    expect(section(minutes, "Links")).toBe(
      [
        "## Links",
        "",
        "* **Recording**: https://www.youtube.com/watch?v=Xd7Zq%5C_2k9fA",
        `* **GitHub Issue**: ${ISSUE}`,
        "* **Previous meeting**: [minutes of 2026-11-12](2026-11-12.md), [issue of 2026-11-12](https://github.com/nodejs/security-wg/issues/1490)",
        "* **Next meeting**: [2026-12-10](https://github.com/nodejs/security-wg/issues/1510)",
        "* **Slides**: https://example.com/s",
        "",
      ].join("\n"),
    );
  });

  it("link the previous issue alone while its minutes are not merged, and nothing when there is no neighbour", () => {
    const previousOnly = composeMinutes(input({ exported: null, neighbours: { previous: { ...neighbours.previous, minutesLink: null }, next: null } }));
    expect(previousOnly).toContain("* **Previous meeting**: [issue of 2026-11-12](https://github.com/nodejs/security-wg/issues/1490)\n");
    expect(previousOnly).not.toContain("Next meeting");
    expect(composeMinutes(input({ exported: null, neighbours: { previous: null, next: null } }))).toBe(composeMinutes(input({ exported: null })));
  });

  it("go with the header lines in the default preset", () => {
    const view = { ...july21(), series: defaultSeries() };
    const minutes = composeMinutes(input({ view, exported: null, neighbours }));
    const top = minutes.slice(0, minutes.indexOf("\n## "));
    expect(top).toContain(`* **GitHub Issue**: ${ISSUE}\n* **Previous meeting**: [minutes of 2026-11-12](2026-11-12.md)`);
  });
});
