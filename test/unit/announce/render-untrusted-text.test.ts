import { describe, expect, it } from "vitest";
import { renderAnnouncement } from "../../../src/announce/render-announcement.js";
import { announcementFacts } from "../../helpers/announcement-facts.js";

/** Issue 14: text the App does not control is shown as written, and cannot turn the message around. */
const FACTS = announcementFacts();

describe("announcement messages: untrusted text", () => {
  it("drops bidi overrides and isolates from an issue title, so it cannot show the rest of the line reversed", () => {
    const text = renderAnnouncement({ ...FACTS, title: "Meeting \u202Egnp.exe\u202C \u2066x\u2069 2024-10-31" }).text;
    expect(text.split("\n")[0]).toBe("**Meeting gnp.exe x 2024-10-31** is on Thu 31 Oct 2024 10:00 America/New_York (2024-10-31 14:00 UTC).");
    expect(text).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
  });
});
