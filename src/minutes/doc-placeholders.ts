/**
 * Text in the exported doc that is a prompt, not a note. The minutes-doc templates put
 * `* (notes)` under each agenda item and `* Name: @handle` under Present for people to
 * overwrite; whatever was not overwritten must not reach the committed minutes. Docs copied
 * from an older Node.js template carry `$GITHUB_ISSUE$` and `$MINUTES_DOC$`, which eight real
 * minutes files were committed with: those are filled in here.
 */

/** A bullet holding only one of the minutes-doc templates' prompts (Google may escape the brackets). */
const PROMPT_LINE = /^[ \t]*[*+-][ \t]+(?:\\?\(notes\\?\)|Name: @handle)[ \t]*$/i;

/** Removes the prompt bullets the chair left as they were. */
export function removePrompts(markdown: string): string {
  return markdown
    .split("\n")
    .filter((line) => !PROMPT_LINE.test(line))
    .join("\n");
}

/** Whether a line is one of the prompts. */
export function isPrompt(line: string): boolean {
  return PROMPT_LINE.test(line);
}

/**
 * Fills the placeholders of the pre-bot Node.js doc template (`$GITHUB_ISSUE$`,
 * `$MINUTES_DOC$`), also in the escaped form Google's export may give them (`\$GITHUB\_ISSUE\$`).
 * `$MINUTES_DOC$` stays when there is no doc URL to put there.
 */
export function fillLegacyPlaceholders(markdown: string, links: { issueUrl: string; docUrl: string | null }): string {
  let text = markdown.replace(/\\?\$GITHUB\\?_ISSUE\\?\$/g, () => links.issueUrl);
  const { docUrl } = links;
  if (docUrl) text = text.replace(/\\?\$MINUTES\\?_DOC\\?\$/g, () => docUrl);
  return text;
}
