import { applyFixes } from "markdownlint";
import type { Configuration } from "markdownlint";
import { lint } from "markdownlint/sync";

/**
 * The minutes file's house style, applied by markdownlint's own fixes (the same rules a
 * reviewer's editor would flag). Only rules whose fix cannot change what the Markdown says are
 * on: list indentation (MD005/MD007), emphasis style (MD049/MD050), bare URLs (MD034: the
 * Node.js files print links bare) and line length (MD013) are left as people wrote them.
 */
export const MINUTES_LINT_CONFIG: Configuration = {
  default: false,
  // `*` for every bullet, as the Node.js minutes and our templates write them.
  MD004: { style: "asterisk" },
  // Trailing spaces go, except two at the end of a line inside a paragraph: that is a hard
  // line break somebody typed, and removing it would join their lines.
  MD009: { br_spaces: 2, strict: true, list_item_empty_lines: false },
  MD010: { code_blocks: false, spaces_per_tab: 4 },
  MD012: { maximum: 1 },
  MD018: true,
  MD019: true,
  MD022: { lines_above: 1, lines_below: 1 },
  MD023: true,
  MD031: true,
  MD032: true,
  MD047: true,
  MD058: true,
};

/** Fixes can make new findings (a blank line added around a list next to another one): a few passes settle it. */
const MAX_PASSES = 5;

/**
 * Normalises minutes Markdown with markdownlint's fixes: `*` bullets, no trailing spaces, no
 * runs of blank lines, blank lines around headings, lists, fences and tables, and exactly one
 * newline at the end. Line length is left free. Pure: the same text always gives the same file.
 */
export function lintMinutes(markdown: string): string {
  let text = markdown.replace(/\r\n?/g, "\n");
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const errors = lint({ strings: { minutes: text }, config: MINUTES_LINT_CONFIG, noInlineConfig: true, handleRuleFailures: true }).minutes ?? [];
    if (!errors.some((error) => error.fixInfo)) break;
    text = applyFixes(text, errors);
  }
  // MD047 adds a missing final newline; blank lines before it are MD012's only when there are two.
  return text.replace(/\n+$/, "") + "\n";
}
