import { afterEach, describe, expect, it } from "vitest";
import { MAX_MINUTES_CHARS, scanMinutes } from "../../src/minutes/minutes-lines.js";

/**
 * Who writes it: anyone who can edit the meeting's Google Doc. The minutes are read up to
 * MAX_MINUTES_CHARS (1,000,000) and the App parses them several times per `/minutes` and again
 * on the merge (decisions, action items, item notes, attendance), on the one event loop every
 * installation shares. A heading made of unclosed links (`[a](https://… ` repeated, never a `)`)
 * costs quadratic time: heading-slug.ts's headingPlainText tries `/^\[([^\]]*)\]\([^)]*\)/` at
 * every `[`, and each try scans to the end of the line for a `)` that never comes. Measured
 * here (not asserted): one scanMinutes of such a 1,000,000-character heading takes about 14 s.
 *
 * No clock in the test: the work is counted instead. Every regular expression run with an
 * unbounded "anything but `)`" (`[^)]*`) is charged the characters it must look at for the `)`,
 * from where it starts; a linear reading charges a small multiple of the input.
 */
const UNIT = "[a](https://github.com/acme/wg/issues/1 ";
const SIZE = 100_000;
const MINUTES = `# Meeting\n\n## Agenda\n\n### x ${UNIT.repeat(Math.floor(SIZE / UNIT.length))}\n\n* notes\n`;

const exec = RegExp.prototype.exec;
afterEach(() => {
  RegExp.prototype.exec = exec;
});

/**
 * Characters that `[^)]*` runs must scan while `run` goes: when the part of a pattern before its
 * first `[^)]*` matches, the run is charged the distance from there to the next `)` (or the end).
 */
function parenScans(run: () => void): number {
  let charged = 0;
  const prefixes = new Map<string, RegExp | null>();
  RegExp.prototype.exec = function (this: RegExp, subject: string) {
    const key = `${this.source}/${this.flags}`;
    if (!prefixes.has(key)) {
      const at = this.source.indexOf("[^)]*");
      prefixes.set(key, at === -1 ? null : new RegExp(this.source.slice(0, at), this.flags.replace(/[gy]/g, "") + (this.sticky ? "y" : "")));
    }
    const prefix = prefixes.get(key);
    if (prefix) {
      const start = this.global || this.sticky ? this.lastIndex : 0;
      prefix.lastIndex = start;
      const head = exec.call(prefix, subject);
      if (head) {
        const from = head.index + head[0].length;
        const close = subject.indexOf(")", from);
        charged += (close === -1 ? subject.length : close) - from;
      }
    }
    return exec.call(this, subject);
  };
  try {
    run();
  } finally {
    RegExp.prototype.exec = exec;
  }
  return charged;
}

describe("issue 13, adversarial: a long heading in the doc", () => {
  it("the test's minutes are within the parser's character bound (all of them are read)", () => {
    expect(MINUTES.length).toBeLessThanOrEqual(MAX_MINUTES_CHARS);
  });

  it("the count is linear for a heading of closed links (control: the measure charges only real rescans)", () => {
    const closed = `# Meeting\n\n## Agenda\n\n### x ${"[a](https://github.com/acme/wg/issues/1) ".repeat(2_000)}\n`;
    expect(parenScans(() => scanMinutes(closed))).toBeLessThan(20 * closed.length);
  });

  // Guarded: headingPlainText looks for each link's `)` once, not once per `[` (test/unit/minutes/heading-slug.test.ts counts its searches).
  it("scanning a heading of unclosed links looks for `)` over at most a small multiple of the minutes' length", () => {
    const charged = parenScans(() => scanMinutes(MINUTES));
    expect(charged).toBeLessThan(20 * MINUTES.length);
  });
});
