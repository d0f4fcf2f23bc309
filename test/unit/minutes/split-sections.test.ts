import { describe, expect, it } from "vitest";
import { sectionKey, splitSections } from "../../../src/minutes/split-sections.js";

describe("splitSections", () => {
  it("splits a Google Docs export into title, preamble and sections, in order", () => {
    const doc = [
      "# **Node.js Security team Meeting 2022-07-21**  ",
      "",
      "* **When**: today",
      "",
      "## **Present**   ",
      "",
      "* Rafael Gonzaga: @rafaelgss",
      "",
      "",
      "## Announcements ##",
      "",
      "### nodejs/security-wg",
      "",
      "* Threat Model",
      "## **Q\\&A, Other**",
      "##",
      "text under an empty heading",
    ].join("\r\n");
    expect(splitSections(doc)).toEqual({
      title: "Node.js Security team Meeting 2022-07-21",
      preamble: "* **When**: today",
      sections: [
        { heading: "Present", key: "present", level: 2, body: "* Rafael Gonzaga: @rafaelgss" },
        { heading: "Announcements", key: "announcements", level: 2, body: "### nodejs/security-wg\n\n* Threat Model" },
        { heading: "Q\\&A, Other", key: "q&a, other", level: 2, body: "" },
        { heading: "", key: "", level: 2, body: "text under an empty heading" },
      ],
    });
  });

  it("keeps headings inside fenced code as text", () => {
    const { sections } = splitSections("# T\n\n## Notes\n\n```md\n## not a section\n```\n~~~\n# nor this\n~~~\nafter");
    expect(sections).toEqual([{ heading: "Notes", key: "notes", level: 2, body: "```md\n## not a section\n```\n~~~\n# nor this\n~~~\nafter" }]);
  });

  it("reads later # headings as sections of level 1 and a document without a title", () => {
    expect(splitSections("intro\n## A\na\n# B\nb")).toEqual({
      title: null,
      preamble: "intro",
      sections: [
        { heading: "A", key: "a", level: 2, body: "a" },
        { heading: "B", key: "b", level: 1, body: "b" },
      ],
    });
  });

  it("does not take #hashtags or ### headings for sections", () => {
    expect(splitSections("# T\n#hashtag\n### Sub\ntext").sections).toEqual([]);
    expect(splitSections("# T\n#hashtag\n### Sub\ntext").preamble).toBe("#hashtag\n### Sub\ntext");
  });

  it("unwraps one emphasis around the whole heading only", () => {
    const headings = (text: string) => splitSections(`# T\n${text}`).sections.map((s) => s.heading);
    expect(headings("## ***Present***\n## **A** and **B**\n## _Notes_\n## __Links__")).toEqual(["Present", "**A** and **B**", "Notes", "Links"]);
  });
});

describe("sectionKey", () => {
  it.each([
    ["Q&A, Other", "q&a, other"],
    ["**Q\\&A,  Other:**", "q&a, other"],
    ["Present:", "present"],
    ["Action_items", "actionitems"],
  ])("%s → %s", (heading, key) => {
    expect(sectionKey(heading)).toBe(key);
  });
});
