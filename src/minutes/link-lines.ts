import { normaliseRecordingUrl } from "./recording-url.js";

/**
 * The `* **Label**: value` lines of the minutes' Links (nodejs) or header (default). The App
 * owns them — it knows the issue, the doc and the recording better than a doc anyone may edit —
 * but a line the chair added there (slides, a second recording) is theirs and is kept.
 */

/** `* **Recording**: …`, also `* **Recording:** …` as people bold it; group 1 is the label. */
const LABELLED = /^[ \t]*[*+-][ \t]+\*\*([^*]+?):?\*\*:?[ \t]*(.*)$/;
const URL_IN_TEXT = /https?:\/\/[^\s<>()[\]]+/;

/** The label of a `* **Label**: value` line, lowercased, or null. */
export function lineLabel(line: string): string | null {
  const label = LABELLED.exec(line)?.[1];
  return label ? label.trim().toLowerCase() : null;
}

/**
 * The recording URL the chair pasted into the doc's Recording line, when the line holds one
 * that is a valid http(s) URL (Google exports links as `[text](url)`: the first URL is taken).
 */
export function recordingFromLines(lines: readonly string[]): string | null {
  for (const line of lines) {
    if (lineLabel(line) !== "recording") continue;
    const found = URL_IN_TEXT.exec(LABELLED.exec(line)?.[2] ?? "")?.[0]?.replace(/[.,;:!?'"*_]+$/, "");
    if (!found) continue;
    try {
      return normaliseRecordingUrl(found);
    } catch {
      // Not a usable URL: the line stays as the chair wrote it (see mergeLinkLines).
    }
  }
  return null;
}

/**
 * Merges the doc's link lines into the template's: lines with a label the template also has are
 * the App's (dropped), except a Recording line with words but no URL and not the doc's prompt
 * (`not published yet …`), which replaces the template's — the chair said something about the
 * recording. Every other doc line is appended after the template's lines.
 */
export function mergeLinkLines(template: string, doc: string, recordingKnown: boolean): string {
  const templateLines = template === "" ? [] : template.split("\n");
  const owned = new Set(templateLines.map(lineLabel).filter((label): label is string => label !== null));
  const kept: string[] = [];
  let recordingLine: string | null = null;
  for (const line of doc.split("\n")) {
    const label = lineLabel(line);
    if (label === null || !owned.has(label)) {
      kept.push(line);
      continue;
    }
    if (label === "recording" && !recordingKnown && !isRecordingPrompt(line) && recordingFromLines([line]) === null) {
      recordingLine = line;
    }
  }
  const merged = recordingLine === null ? templateLines : templateLines.map((line) => (lineLabel(line) === "recording" ? recordingLine! : line));
  // The App's lines leave gaps where they stood: the chair's lines follow the template's directly.
  const extra = kept.join("\n").replace(/^\s*\n|\n\s*$/g, "").replace(/^[ \t]*$/, "");
  return [...merged, ...(extra === "" ? [] : [extra])].join("\n");
}

/** The minutes-doc templates' Recording prompt: `not published yet (paste the link here, …)`. */
function isRecordingPrompt(line: string): boolean {
  return /not published yet/i.test(line);
}
