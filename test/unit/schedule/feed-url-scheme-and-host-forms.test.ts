import { describe, expect, it } from "vitest";
import { feedUrl } from "../../../src/schedule/feed-url.js";

describe("feedUrl rewrites only a leading webcal:// and refuses only all-digit hosts", () => {
  it("keeps a webcal:// that appears inside an https feed URL's query as written", () => {
    const url = feedUrl("https://calendar.example.org/subscribe?src=webcal://calendar.example.org/wg.ics");
    expect(url.href).toBe("https://calendar.example.org/subscribe?src=webcal://calendar.example.org/wg.ics");
  });

  it("still reads a leading webcal:// as https://", () => {
    expect(feedUrl("webcal://calendar.example.org/wg.ics").href).toBe("https://calendar.example.org/wg.ics");
  });

  it.each(["https://calendar.example.web3/wg.ics", "https://ics.example.org2/wg.ics"])(
    "accepts %s, a public name whose last label ends in a digit",
    (text) => {
      expect(feedUrl(text).href).toBe(text);
    },
  );

  it("refuses a dotted all-digit host", () => {
    expect(() => feedUrl("https://8.8.8.8/wg.ics")).toThrow(/public host/);
  });
});
