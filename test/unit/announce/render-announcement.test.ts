import { describe, expect, it } from "vitest";
import { MAX_MESSAGE_CHARS, chatText, leadText, noMassMentions, renderAnnouncement } from "../../../src/announce/render-announcement.js";
import { announcementFacts } from "../../helpers/announcement-facts.js";

const FACTS = announcementFacts({ docUrl: "https://docs.google.com/document/d/DOC1/edit" });

describe("announcement messages", () => {
  it("opened: the title, the start on the series' clock and in UTC, the issue and the doc", () => {
    expect(renderAnnouncement(FACTS).text).toBe(
      [
        "**Node.js Security team Meeting 2024-10-31** is on Thu 31 Oct 2024 10:00 America/New_York (2024-10-31 14:00 UTC).",
        "",
        "- Agenda: [meeting issue](https://github.com/nodejs/security-wg/issues/1396)",
        "- Notes: [minutes doc](https://docs.google.com/document/d/DOC1/edit)",
      ].join("\n"),
    );
    expect(renderAnnouncement({ ...FACTS, docUrl: null }).text).not.toContain("Notes");
  });

  it("reminder: says how long before, in words", () => {
    expect(renderAnnouncement({ ...FACTS, moment: "reminder", lead: "PT1H" }).text).toMatch(/^Reminder: \*\*Node\.js Security team Meeting 2024-10-31\*\* starts in 1 hour, on Thu 31 Oct 2024 10:00 America\/New_York/);
    expect(leadText("P1DT2H")).toBe("1 day 2 hours");
    expect(leadText("PT90M")).toBe("90 minutes");
    expect(leadText("P1W")).toBe("1 week");
  });

  it("moved and cancelled: the old and new times; Pacific/Chatham's quarter-hour offset shown as its clock reads", () => {
    const moved = renderAnnouncement({ ...FACTS, moment: "moved", movedFrom: "2024-10-31T14:00:00.000Z", start: new Date("2024-10-31T15:00:00Z"), zone: "Pacific/Chatham" }).text;
    expect(moved.split("\n")[0]).toBe("**Node.js Security team Meeting 2024-10-31** has moved from 2024-10-31 14:00 UTC to Fri 1 Nov 2024 04:45 Pacific/Chatham (2024-10-31 15:00 UTC).");
    expect(renderAnnouncement({ ...FACTS, moment: "cancelled" }).text.split("\n")[0]).toBe(
      "**Node.js Security team Meeting 2024-10-31** on Thu 31 Oct 2024 10:00 America/New_York (2024-10-31 14:00 UTC) is cancelled. The next meeting of the series goes ahead as usual.",
    );
  });

  it("merged: the minutes link and the open action items with owners and issues, at most 10", () => {
    const items = Array.from({ length: 12 }, (_, index) => ({ text: `Item ${index + 1}`, owners: ["alice"], url: index === 0 ? "https://github.com/nodejs/security-wg/issues/1400" : null }));
    const text = renderAnnouncement({
      ...FACTS,
      moment: "merged",
      minutes: { path: "meetings/2024-10-31.md", url: "https://github.com/nodejs/security-wg/blob/abc/meetings/2024-10-31.md" },
      actionItems: items,
    }).text;
    expect(text).toContain("The minutes of **Node.js Security team Meeting 2024-10-31** are merged: [meetings/2024-10-31.md](https://github.com/nodejs/security-wg/blob/abc/meetings/2024-10-31.md).");
    expect(text).toContain("- Item 1 (alice) [issue](https://github.com/nodejs/security-wg/issues/1400)\n- Item 2 (alice)\n");
    expect(text).toContain("- Item 10 (alice)\n- and 2 more in the minutes");
    expect(text).not.toContain("Item 11");
  });

  it("makes a hostile title inert in the chat's Markdown: no link, no bold, no new line, no mention", () => {
    const text = renderAnnouncement({ ...FACTS, title: "Meeting](https://evil.example) **x** <img src=x> @channel\n- pwned @everyone <!here>" }).text;
    expect(text.split("\n")[0]).toBe(
      "**Meeting]\u200B(https://evil.example) *\u200B*x*\u200B* <img src=x> @\u200Bchannel - pwned @\u200Beveryone <\u200B!here>** is on Thu 31 Oct 2024 10:00 America/New_York (2024-10-31 14:00 UTC).",
    );
    expect(chatText("a".repeat(300))).toHaveLength(257);
    expect(chatText("wg@example.com")).toBe("wg@\u200Bexample.com");
  });

  it("breaks every mass mention of a repository's own template, and keeps email addresses", () => {
    const template = { source: "@channel @here @everyone @room @**all** @_**stream** <!channel> <@U123> {{title}} wg@example.com", name: ".github/announce.hbs" };
    const text = renderAnnouncement(FACTS, template).text;
    expect(text).toBe(
      "@\u200Bchannel @\u200Bhere @\u200Beveryone @\u200Broom @\u200B**all** @\u200B_**stream** <\u200B!channel> <\u200B@\u200BU123> Node.js Security team Meeting 2024-10-31 wg@example.com",
    );
    expect(noMassMentions("@\\*\\*all\\*\\*")).toBe("@\u200B\\*\\*all\\*\\*");
  });

  it("refuses a template that breaks the rules, naming it", () => {
    expect(() => renderAnnouncement(FACTS, { source: "{{> partial}}", name: ".github/a.hbs" })).toThrow(/\.github\/a\.hbs/);
    expect(() => renderAnnouncement(FACTS, { source: "{{nope}}", name: ".github/a.hbs" })).toThrow(/unknown field "nope"/);
  });

  it("keeps a message short enough for every service, cut at a line end", () => {
    const template = { source: Array.from({ length: 100 }, (_, index) => `line ${index} {{title}}`).join("\n"), name: ".github/long.hbs" };
    const text = renderAnnouncement(FACTS, template).text;
    expect(text.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(text.endsWith("2024-10-31\n…")).toBe(true);
  });
});
