/**
 * Parts of a meeting issue the App keeps up to date (the time, the agenda, the doc link, the
 * open action items) sit between two invisible markers:
 * `<!-- wg-meetings:NAME -->…<!-- /wg-meetings:NAME -->`. The App rewrites only what stands
 * between them, so nothing people wrote elsewhere in the issue is ever touched.
 */
export type SectionName = "time" | "agenda" | "doc" | "actions";

const NAMES: readonly SectionName[] = ["time", "agenda", "doc", "actions"];

export function openMarker(name: SectionName): string {
  return `<!-- wg-meetings:${name} -->`;
}

export function closeMarker(name: SectionName): string {
  return `<!-- /wg-meetings:${name} -->`;
}

function pattern(name: SectionName): RegExp {
  return new RegExp(`${escape(openMarker(name))}[\\s\\S]*?${escape(closeMarker(name))}`);
}

/**
 * Wraps rendered text in a section's markers. The markers stay inline — the open marker right
 * where the section starts, the close marker before its trailing line breaks — so they add no
 * line to the issue and its Markdown renders exactly as without them.
 */
export function wrapSection(name: SectionName, text: string): string {
  const body = text.replace(/\s+$/, "");
  const trailing = text.slice(body.length);
  return `${openMarker(name)}${body}${closeMarker(name)}${trailing}`;
}

/** What stands between a section's markers in `body`, or null when the body has no such section. */
export function readSection(body: string, name: SectionName): string | null {
  const match = pattern(name).exec(body);
  return match ? match[0].slice(openMarker(name).length, -closeMarker(name).length) : null;
}

/** Replaces what stands between a section's markers; the body is returned unchanged without them. */
export function replaceSection(body: string, name: SectionName, text: string): string {
  return body.replace(pattern(name), () => `${openMarker(name)}${text}${closeMarker(name)}`);
}

/**
 * Moves every section's open marker that starts a line to the end of the line before, with the
 * line break after it (inside the section). A line that starts with `<!--` is an HTML block on
 * GitHub, so the markers must never start one; and a section that may be empty (the open action
 * items) can only follow another section's closing line break in a template. Both markers of an
 * empty section then end the line before, adding no line; a filled one starts with that break.
 * (An empty section moves whole, so no close marker starts a line either.)
 */
export function inlineSectionStarts(body: string): string {
  return NAMES.reduce(
    (out, name) => out.replace(new RegExp(`\n(${escape(openMarker(name))}(?:${escape(closeMarker(name))})?)`, "g"), "$1\n"),
    body,
  );
}

/** The text people see: every section marker removed (for `preview`, which shows the issue as read). */
export function stripSectionMarkers(text: string): string {
  return NAMES.reduce((out, name) => out.replaceAll(openMarker(name), "").replaceAll(closeMarker(name), ""), text);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
