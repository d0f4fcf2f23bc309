/**
 * The minutes-doc link in a meeting issue sits between two invisible markers, so the App can
 * fill it in later (the doc is created after the issue, so that the doc can link to the issue)
 * without touching anything people wrote in the issue.
 */
export const DOC_OPEN = "<!-- wg-meetings:doc -->";
export const DOC_CLOSE = "<!-- /wg-meetings:doc -->";

const SECTION = /<!-- wg-meetings:doc -->[\s\S]*?<!-- \/wg-meetings:doc -->/;

/** What stands between the markers: the link, or why there is none yet. */
export function docLinkText(docUrl: string | null, docError: string | null): string {
  if (docUrl) return `<${docUrl}>`;
  if (docError) return `_could not be created yet: ${oneLine(docError)} — the App tries again on its next run_`;
  return "_not created yet_";
}

/** Wraps the text in the markers. */
export function docSection(text: string): string {
  return `${DOC_OPEN}${text}${DOC_CLOSE}`;
}

/**
 * Replaces the doc section of an issue body. A body without the markers (a custom template
 * that left the link out) gets a `Minutes doc:` line before the hidden meeting marker, so the
 * link is never lost.
 */
export function replaceDocSection(body: string, text: string): string {
  if (SECTION.test(body)) return body.replace(SECTION, () => docSection(text));
  const line = `* Minutes doc: ${docSection(text)}`;
  const marker = body.indexOf("<!-- wg-meetings:meeting ");
  if (marker === -1) return `${body.replace(/\s+$/, "")}\n\n${line}\n`;
  return `${body.slice(0, marker).replace(/\s+$/, "")}\n\n${line}\n\n${body.slice(marker)}`;
}

/** The text currently between the markers, or null. */
export function readDocSection(body: string): string | null {
  const match = SECTION.exec(body);
  return match ? match[0].slice(DOC_OPEN.length, -DOC_CLOSE.length) : null;
}

function oneLine(text: string): string {
  // Keeps the notice inside its list item and out of Markdown's way.
  return text.replace(/\s+/g, " ").replace(/[<>_*`[\]]/g, (c) => `\\${c}`).trim();
}
