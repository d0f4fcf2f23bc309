import { describe, expect, it } from "vitest";
import { docLinkText, readDocSection, replaceDocSection } from "../../../src/render/doc-section.js";

const MARKER = '<!-- wg-meetings:meeting {"v":1,"series":"a","at":"2024-10-24T14:00:00.000Z","date":"2024-10-24","doc":null} -->';

describe("the doc section of a meeting issue", () => {
  const body = [
    "## Links",
    "",
    "* Minutes Google Doc: <!-- wg-meetings:doc -->_not created yet_<!-- /wg-meetings:doc -->",
    "",
    "## Agenda",
    "",
    "* added by a person after the issue opened",
    "",
    MARKER,
    "",
  ].join("\n");

  it("replaces only what stands between its markers", () => {
    const next = replaceDocSection(body, docLinkText("https://docs.google.com/document/d/D1/edit", null));
    expect(next).toBe(
      body.replace("_not created yet_", "<https://docs.google.com/document/d/D1/edit>"),
    );
    expect(readDocSection(next)).toBe("<https://docs.google.com/document/d/D1/edit>");
  });

  it("says why the doc is missing, in words that cannot break the list item", () => {
    const text = docLinkText(null, "403 on folder <F1>: share it with\nbot@x.iam.gserviceaccount.com");
    expect(text).toBe(
      "_could not be created yet: 403 on folder \\<F1\\>: share it with bot@x.iam.gserviceaccount.com — the App tries again on its next run_",
    );
  });

  it("adds a line before the hidden marker when a custom template left the link out", () => {
    const custom = `Our meeting.\n\n${MARKER}\n`;
    expect(replaceDocSection(custom, "<https://d/1>")).toBe(
      `Our meeting.\n\n* Minutes doc: <!-- wg-meetings:doc --><https://d/1><!-- /wg-meetings:doc -->\n\n${MARKER}\n`,
    );
  });

  it("is idempotent", () => {
    const once = replaceDocSection(body, "<https://d/1>");
    expect(replaceDocSection(once, "<https://d/1>")).toBe(once);
  });
});
