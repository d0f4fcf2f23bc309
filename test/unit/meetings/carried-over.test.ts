import { describe, expect, it } from "vitest";
import type { MeetingIssue } from "../../../src/github/meeting-issues.js";
import { agendaUrls, carriedOver } from "../../../src/meetings/carried-over.js";

const link = (number: number) => `https://github.com/acme/wg/issues/${number}`;

/** A meeting issue whose agenda section lists `items` the way the presets render them. */
function meeting(number: number, date: string, items: number[], extra: { series?: string; cancelled?: true; body?: string } = {}): MeetingIssue {
  const agenda = items.map((item) => `* Item ${item} [#${item}](${link(item)})`).join("\n");
  return {
    number,
    url: link(number),
    state: "closed",
    title: `Meeting ${date}`,
    body: extra.body ?? `Intro.<!-- wg-meetings:agenda -->\n\n### acme/wg\n\n${agenda}<!-- /wg-meetings:agenda -->\n`,
    marker: { v: 1, series: extra.series ?? "wg", at: `${date}T15:00:00.000Z`, date, doc: null, ...(extra.cancelled ? { cancelled: true as const } : {}) },
  };
}

describe("agendaUrls", () => {
  it("reads the item links of the agenda section only, exactly as written", () => {
    const body =
      `* Outside [#1](${link(1)})\n` +
      `Agenda<!-- wg-meetings:agenda -->\n* PR: Two [#2](${link(2)}) _(carried over from 2026-11-05)_\n` +
      `* Escaped \\[#3\\]\\(${link(3)}\\) and a plain link [text](${link(4)})<!-- /wg-meetings:agenda -->\n`;
    expect([...agendaUrls(body)]).toEqual([link(2)]);
  });

  it("finds nothing without the section", () => {
    expect(agendaUrls(`* Item [#2](${link(2)})`).size).toBe(0);
  });
});

describe("carriedOver", () => {
  it("maps each item on the previous agenda to the first meeting of its unbroken run", () => {
    const meetings = [
      meeting(40, "2026-12-03", [5, 6, 7]),
      meeting(39, "2026-11-26", [5, 7], { series: "other" }),
      meeting(38, "2026-11-19", [5, 6]),
      meeting(37, "2026-11-12", [5], { cancelled: true }),
      meeting(36, "2026-11-05", [5, 7]),
      meeting(35, "2026-10-29", [7]),
    ];
    // For the meeting of 2026-12-10: 5 ran 11-05 → 12-03 (the cancelled one does not break it),
    // 6 since 11-19, 7 was off the agenda on 11-19, so it is carried over from 12-03 only.
    expect(Object.fromEntries(carriedOver(meetings, "wg", "2026-12-10T15:00:00.000Z"))).toEqual({
      [link(5)]: "2026-11-05",
      [link(6)]: "2026-11-19",
      [link(7)]: "2026-12-03",
    });
  });

  it("counts only meetings before this one, and nothing for the first meeting", () => {
    const meetings = [meeting(41, "2026-12-17", [5]), meeting(40, "2026-12-03", [6])];
    expect([...carriedOver(meetings, "wg", "2026-12-10T15:00:00.000Z").keys()]).toEqual([link(6)]);
    expect(carriedOver(meetings, "wg", "2026-12-01T15:00:00.000Z").size).toBe(0);
  });

  it("a meeting whose agenda section was edited away ends every run", () => {
    const meetings = [meeting(40, "2026-12-03", [5]), meeting(39, "2026-11-26", [], { body: "No agenda here" }), meeting(38, "2026-11-19", [5])];
    expect(Object.fromEntries(carriedOver(meetings, "wg", "2026-12-10T15:00:00.000Z"))).toEqual({ [link(5)]: "2026-12-03" });
  });
});
