import { describe, expect, it } from "vitest";
import { feedUrl } from "../../../src/schedule/feed-url.js";

describe("feedUrl rewrites only a leading webcal:// and refuses a host by its whole form, not a part of it", () => {
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

  it("accepts a public name with 0x inside it, refusing only a host that starts with 0x", () => {
    expect(feedUrl("https://calendar.sandbox0x.org/wg.ics").hostname).toBe("calendar.sandbox0x.org");
    expect(() => feedUrl("https://0xcafe.example.org/wg.ics")).toThrow(/public host/);
  });

  it("refuses an IP-in-a-name service only when the name ends in it, not when a domain merely contains it", () => {
    expect(() => feedUrl("https://cal.10.0.0.1.nip.io/wg.ics")).toThrow(/public host/);
    // Such a name is judged by what it resolves to, where the fetcher connects.
    expect(feedUrl("https://cal.10.0.0.1.nip.io.example.org/wg.ics").hostname).toBe("cal.10.0.0.1.nip.io.example.org");
  });
});
