import { describe, expect, it } from "vitest";
import { markerLine } from "../../../src/hackmd/note-marker.js";
import { movedNoteContent, noteMarkdown, renderNoteContent } from "../../../src/hackmd/note-content.js";

const SLOT = { repository: "nodejs/security-wg", series: "security-team", start: "2024-10-24T14:00:00.000Z" };
const MARKER = markerLine(SLOT);
const TITLE = "Node.js Security team Meeting 2024-10-24";

describe("renderNoteContent", () => {
  it("is front-matter (title, tag), a blank line, the Markdown, a blank line, the marker", () => {
    expect(renderNoteContent(TITLE, "# T\n\nbody\n", SLOT).split("\n")).toEqual([
      "---",
      `title: "${TITLE}"`,
      "tags: wg-meetings",
      "---",
      "",
      "# T",
      "",
      "body",
      "",
      MARKER,
      "",
    ]);
  });

  it("quotes a title YAML would misread, and ends Markdown without a newline with one", () => {
    expect(renderNoteContent('WG: "sync" #12', "x", SLOT).split("\n").slice(1, 2)).toEqual(['title: "WG: \\"sync\\" #12"']);
    expect(renderNoteContent(TITLE, "x", SLOT).endsWith(`x\n\n${MARKER}\n`)).toBe(true);
  });
});

describe("noteMarkdown (what /minutes commits): line by line", () => {
  it("removes the App's front-matter and the blank line after it", () => {
    expect(noteMarkdown(["---", `title: "${TITLE}"`, "tags: wg-meetings", "---", "", "# T", "text", ""].join("\n"))).toBe("# T\ntext\n");
  });

  it("removes it also when people added keys or tags to it", () => {
    expect(noteMarkdown(["---", "title: T", "tags: [minutes, wg-meetings]", "breaks: false", "---", "# T", ""].join("\n"))).toBe("# T\n");
    expect(noteMarkdown(["---", "tags: notes, 'wg-meetings'", "...", "", "# T"].join("\n"))).toBe("# T");
  });

  it("keeps front-matter that is not the App's, and a rule that only looks like front-matter", () => {
    const theirs = ["---", "title: T", "tags: notes", "---", "", "# T", ""].join("\n");
    expect(noteMarkdown(theirs)).toBe(theirs);
    const rule = ["# T", "", "---", "", "tags: wg-meetings", "---", ""].join("\n");
    expect(noteMarkdown(rule)).toBe(rule);
    const unclosed = ["---", "tags: wg-meetings", "# T", ""].join("\n");
    expect(noteMarkdown(unclosed)).toBe(unclosed);
  });

  it("removes each marker line and the blank line before it, and nothing else", () => {
    expect(noteMarkdown(["# T", "", "text", "", MARKER, ""].join("\n"))).toBe("# T\n\ntext\n");
    expect(noteMarkdown(["# T", MARKER, "after", ""].join("\n"))).toBe("# T\nafter\n");
    expect(noteMarkdown(["# T", "", "", MARKER].join("\n"))).toBe("# T\n");
    expect(noteMarkdown(["# T", "", `  ${MARKER}  `, "", "later notes", ""].join("\n"))).toBe("# T\n\nlater notes\n");
  });

  it("turns CRLF into LF and leaves lone CR, tabs, trailing spaces, HTML comments and blank runs alone", () => {
    const body = ["# T", "", "* item  ", "\tcode", "a\rb", "<!-- a note of the scribe -->", "", "", "", "end"].join("\n");
    expect(noteMarkdown(`${body.replace(/\n/g, "\r\n")}\r\n`)).toBe(`${body}\n`);
  });

  it("gives back what renderNoteContent was given, for any Markdown ending in a newline", () => {
    for (const markdown of ["# T\n", "# T\n\n## Present\n\n* @a\n", "\n\n# T\n\n\n", "---\n\n# not front-matter\n"]) {
      expect(noteMarkdown(renderNoteContent(TITLE, markdown, SLOT))).toBe(markdown);
    }
  });
});

describe("movedNoteContent", () => {
  const to = { title: "Node.js Security team Meeting 2024-10-25", start: "2024-10-25T15:00:00Z" };
  const moved = markerLine({ ...SLOT, movedTo: to.start });

  it("changes the front-matter title, the first heading when it is the old title, and the marker", () => {
    const content = renderNoteContent(TITLE, `# ${TITLE}\n\n## Notes\n\n# ${TITLE}\n`, SLOT);
    expect(movedNoteContent(content, TITLE, to, SLOT).split("\n")).toEqual([
      "---",
      `title: "${to.title}"`,
      "tags: wg-meetings",
      "---",
      "",
      `# ${to.title}`,
      "",
      "## Notes",
      "",
      `# ${TITLE}`,
      "",
      moved,
      "",
    ]);
  });

  it("leaves a first heading people changed, and reads a plain or single-quoted old title", () => {
    const content = ["---", "title: 'Old: title'", "tags: wg-meetings", "---", "", "# Our own heading", "", MARKER, ""].join("\n");
    expect(movedNoteContent(content, "HackMD's title", to, SLOT).split("\n")).toEqual([
      "---",
      `title: "${to.title}"`,
      "tags: wg-meetings",
      "---",
      "",
      "# Our own heading",
      "",
      moved,
      "",
    ]);
    const plain = ["---", "title: Old title", "tags: wg-meetings", "---", "# Old title", MARKER].join("\n");
    expect(movedNoteContent(plain, "something else", to, SLOT).split("\n")[4]).toBe(`# ${to.title}`);
  });

  it("reads a heading with closing #s, skips ## headings and #tags, and copes with a very long line", () => {
    expect(movedNoteContent(`## Agenda\n#tag\n#  ${TITLE}  ##\n`, TITLE, to, SLOT).split("\n").slice(0, 3)).toEqual(["## Agenda", "#tag", `# ${to.title}`]);
    expect(movedNoteContent(`# C# ${TITLE}\n`, `C# ${TITLE}`, to, SLOT).split("\n")[0]).toBe(`# ${to.title}`);
    const long = `# ${" ".repeat(500_000)}x`;
    expect(movedNoteContent(`${long}\n`, TITLE, to, SLOT).split("\n")[0]).toBe(long);
  });

  it("adds the marker at the end when people removed it, and keeps a copy pasted above the App's", () => {
    expect(movedNoteContent("# T\n", "T", to, SLOT)).toBe(`# ${to.title}\n\n${moved}\n`);
    const copy = markerLine({ ...SLOT, repository: "evil/repo" });
    const lines = movedNoteContent(`# X\n${copy}\n\n${MARKER}\n`, "T", to, SLOT).split("\n");
    expect(lines).toEqual(["# X", copy, "", moved, ""]);
  });
});
