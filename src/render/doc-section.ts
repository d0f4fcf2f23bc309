import { readSection, replaceSection, wrapSection } from "./sections.js";

/**
 * The minutes-doc link in a meeting issue is a section (see sections.ts): the doc is created
 * after the issue, so that the doc can link to the issue, and its link is filled in later.
 */

/** What stands between the markers: the link, or why there is none yet. */
export function docLinkText(docUrl: string | null, docError: string | null): string {
  if (docUrl) return `<${docUrl}>`;
  if (docError) return `_could not be created yet: ${oneLine(docError)} — the App tries again on its next run_`;
  return "_not created yet_";
}

/** Wraps the text in the doc section's markers. */
export function docSection(text: string): string {
  return wrapSection("doc", text);
}

/**
 * Replaces the doc section of an issue body. A body without it (a custom template that left
 * the link out) gets a `Minutes doc:` line before the hidden meeting marker, so the link is
 * never lost.
 */
export function replaceDocSection(body: string, text: string): string {
  if (readSection(body, "doc") !== null) return replaceSection(body, "doc", text);
  const line = `* Minutes doc: ${docSection(text)}`;
  const marker = body.indexOf("<!-- wg-meetings:meeting ");
  if (marker === -1) return `${body.replace(/\s+$/, "")}\n\n${line}\n`;
  return `${body.slice(0, marker).replace(/\s+$/, "")}\n\n${line}\n\n${body.slice(marker)}`;
}

/** The text currently between the doc markers, or null. */
export function readDocSection(body: string): string | null {
  return readSection(body, "doc");
}

function oneLine(text: string): string {
  // Keeps the notice inside its list item and out of Markdown's way.
  return text.replace(/\s+/g, " ").replace(/[<>_*`[\]]/g, (c) => `\\${c}`).trim();
}
