import { describe, expect, it } from "vitest";
import { escapeTitle } from "../../src/agenda/escape-title.js";
import { hackmdBackend } from "../../src/hackmd/hackmd-backend.js";
import { noteMarkdown } from "../../src/hackmd/note-content.js";
import { hackmd, MEETING, SETTINGS, TEAM, teamNote, testClient, TITLE } from "../unit/hackmd/hackmd-kit.js";

/**
 * Who does it: anyone whose issue lands on the agenda (they open it, a triager labels it, they
 * retitle it). Its title is escaped for GitHub's Markdown and goes into the minutes note the App
 * creates. HackMD reads more than GitHub does: `{%pdf URL %}`, `{%youtube id %}`, `{%gist …%}`,
 * `{%hackmd noteId %}` and friends embed another page, video or note wherever they stand in the
 * text, headings included. GitHub shows such a title as text; in the group's note it became an
 * embed of whatever the title's author chose, shown to everyone taking notes. The App breaks
 * `{%` with a zero-width space in what it writes to a note (the note's template is the App's
 * own, so it never means an embed), which reads the same and embeds nothing.
 */

const RAW_TITLES = [
  "{%pdf https://evil.example/phish.pdf %}",
  "Please review {%youtube dQw4w9WgXcQ %}",
  "{%hackmd SomeOtherTeamsNoteId %} sync",
  "{% gist mallory/0123456789abcdef %}",
];

describe("issue 14, adversarial: HackMD embeds in an agenda title", () => {
  it("the note the App creates embeds nothing, and reads the same", async () => {
    const agenda = RAW_TITLES.map((title, index) => `### ${escapeTitle(title)} ([acme/wg#${index + 1}](https://github.com/acme/wg/issues/${index + 1}))\n\n* (notes)\n`).join("\n");
    const markdown = `# ${TITLE}\n\n## Agenda\n\n${agenda}`;
    const created: Array<{ content: string }> = [];
    const scope = hackmd()
      .get(`/v1/teams/${TEAM}/notes`)
      .reply(200, [])
      .post(`/v1/teams/${TEAM}/notes`, (body: { content: string }) => (created.push(body), true))
      .reply(201, teamNote());
    const { client } = testClient();

    await hackmdBackend(client, SETTINGS, "nodejs").ensureDoc({ meeting: MEETING, title: TITLE, markdown, replacements: {} });

    expect(created).toHaveLength(1);
    const content = created[0]!.content;
    expect(content).not.toContain("{%");
    expect(content).toContain("### {\u200B%pdf https://evil.example/phish.pdf %} ([acme/wg#1](https://github.com/acme/wg/issues/1))");
    expect(content).toContain("### {\u200B% gist mallory/0123456789abcdef %} ([acme/wg#4]");
    // What people read (zero-width spaces aside) is the title as written.
    expect(noteMarkdown(content).replace(/\u200B/g, "")).toContain("### {%hackmd SomeOtherTeamsNoteId %} sync ([acme/wg#3]");
    expect(scope.isDone()).toBe(true);
  });
});
