import { describe, expect, it } from "vitest";
import { parseActionItems } from "../../src/minutes/action-items.js";
import { parseItemNotes } from "../../src/minutes/item-notes.js";

/**
 * Who writes it: whoever can put raw HTML in the merged minutes file (a push to the App's
 * minutes branch during review; the Google export escapes `<` as `\<`, which normalize keeps
 * before `!`). An HTML comment hides its content from the rendered file and the rich diff
 * reviewers read, yet the merge step parses the raw text: a hidden heading linking any issue of
 * the org gets the App's comment, and a hidden `ACTION:` line becomes an issue. The PR body
 * previews action items, but nothing previews which items will get a comment.
 */
const MINUTES = `# Hello team meeting 2026-12-02

## Agenda

### Rotate the signing keys ([acme/wg#31](https://github.com/acme/wg/issues/31))

* We talked about how often to rotate.

<!--
### Unrelated ([acme/other#5](https://github.com/acme/other/issues/5))

* hidden notes
* Decision: hidden decision
* ACTION: @mallory: hidden action
-->
`;

describe("issue 13, adversarial: notes hidden in an HTML comment of the minutes", () => {
  // Guarded: scanMinutes reads the lines of a `<!-- … -->` block as blank, never as notes, headings or action items.
  it("an agenda item written only inside an HTML comment gets no comment and its hidden ACTION: line no issue", () => {
    const notes = parseItemNotes(MINUTES, { meeting: "acme/wg:hello:2026-12-02" });
    expect(notes.items.map((item) => `${item.repository}#${item.number}`)).toEqual(["acme/wg#31"]);
    const { items } = parseActionItems(MINUTES, { meeting: "acme/wg:hello:2026-12-02" });
    expect(items.map((item) => item.text)).toEqual([]);
  });

  it.each([
    ["a heading", "### Unrelated <!-- ([acme/other#5](https://github.com/acme/other/issues/5)) -->\n\n* hidden notes\n"],
    ["a list item", "### acme/wg\n\n* Unrelated <!-- acme/other#5 -->\n  * hidden notes\n"],
  ])("a link hidden in an HTML comment of %s names no agenda item", (_, agenda) => {
    const notes = parseItemNotes(`# Meeting\n\n## Agenda\n\n${agenda}`, { meeting: "acme/wg:hello:2026-12-02" });
    expect(notes.items).toEqual([]);
  });
});
