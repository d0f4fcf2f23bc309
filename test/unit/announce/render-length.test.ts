import { describe, expect, it } from "vitest";
import { MAX_MESSAGE_CHARS, renderAnnouncement } from "../../../src/announce/render-announcement.js";
import { announcementFacts } from "../../helpers/announcement-facts.js";

/** Issue 14: a message is never longer than the App's bound, ellipsis included, whatever a repository's template writes. */
const FACTS = announcementFacts();

describe("announcement messages: length", () => {
  it(`cuts a template's one long line to at most ${MAX_MESSAGE_CHARS} characters, the ellipsis included`, () => {
    const { text } = renderAnnouncement(FACTS, { source: `{{title}} ${"x".repeat(3000)}`, name: ".github/announce/opened.hbs" });
    expect(text.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(text.startsWith("Node.js Security team Meeting 2024-10-31 xxx")).toBe(true);
    expect(text.endsWith("\n…")).toBe(true);
  });
});
