import { afterEach, describe, expect, it } from "vitest";
import { MAX_HEADING_CHARS, headingPlainText, headingSlug } from "../../../src/minutes/heading-slug.js";

const indexOf = String.prototype.indexOf;
const exec = RegExp.prototype.exec;
afterEach(() => {
  String.prototype.indexOf = indexOf;
  RegExp.prototype.exec = exec;
});

/**
 * Characters `run` makes headingPlainText search for a closing `]`, `)`, `>` or whitespace: each
 * `indexOf` and each global `exec` is charged from where it starts to what it finds (or the end).
 */
function searched(run: () => void): number {
  let charged = 0;
  String.prototype.indexOf = function (this: string, search: string, from?: number) {
    const found = indexOf.call(this, search, from);
    charged += (found === -1 ? this.length : found) - (from ?? 0);
    return found;
  };
  RegExp.prototype.exec = function (this: RegExp, subject: string) {
    const start = this.global ? this.lastIndex : 0;
    const found = exec.call(this, subject);
    if (this.global) charged += (found ? found.index : subject.length) - start;
    return found;
  };
  try {
    run();
  } finally {
    String.prototype.indexOf = indexOf;
    RegExp.prototype.exec = exec;
  }
  return charged;
}

describe("headingPlainText", () => {
  it.each([
    ["Rotate the keys ([acme/wg#31](https://github.com/acme/wg/issues/31))", "Rotate the keys (acme/wg#31)"],
    ["![logo](x.png) Release `v1.0`", "Release v1.0"],
    ["<https://example.com> and <b>bold</b>", "https://example.com and bold"],
    ["a [b](c and [d](e", "a [b](c and [d](e"],
    ["`a``b` c", "a``b c"],
    ["``a` b", "``a` b"],
  ])("%j → %j", (heading, text) => {
    expect(headingPlainText(heading)).toBe(text);
  });

  it(`reads a heading up to ${MAX_HEADING_CHARS} characters`, () => {
    expect(headingSlug("a".repeat(MAX_HEADING_CHARS + 50))).toBe("a".repeat(MAX_HEADING_CHARS));
  });

  // Unclosed brackets, links, images, tags and autolinks: each closing character is searched for once per heading, not once per opener.
  it.each(["[a](https://github.com/acme/wg/issues/1 ", "[", "![a](x ", "<a ", "<http:x", "`a``b```c", "[a]( <b `c ![d]("])("%j repeated: the searches cost a small multiple of the heading's length", (unit) => {
    const heading = unit.repeat(Math.floor(MAX_HEADING_CHARS / unit.length));
    expect(searched(() => headingPlainText(heading))).toBeLessThan(10 * heading.length);
  });
});
