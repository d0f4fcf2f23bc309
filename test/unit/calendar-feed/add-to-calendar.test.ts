import { describe, expect, it, vi } from "vitest";
import {
  googleCalendarUrl,
  googleSubscribeUrl,
  meetingCalendarLinks,
  meetingEnd,
  seriesFeedUrl,
  webcalUrl,
} from "../../../src/calendar-feed/add-to-calendar.js";
import { publicBaseUrl } from "../../../src/calendar-feed/public-url.js";

const occurrence = { start: new Date("2024-03-07T15:00:00Z"), zone: "America/New_York", date: "2024-03-07" };

describe("add to calendar", () => {
  it("builds a Google Calendar template link with UTC dates, every value percent-encoded", () => {
    const url = googleCalendarUrl({
      title: "Node.js Security team (WG) Meeting 2024-03-07",
      start: occurrence.start,
      end: new Date("2024-03-07T16:00:00Z"),
      details: "Agenda & join: https://github.com/nodejs/security-wg/issues/1",
      zone: "America/New_York",
    });
    expect(url).toBe(
      "https://calendar.google.com/calendar/render?action=TEMPLATE" +
        "&text=Node.js%20Security%20team%20%28WG%29%20Meeting%202024-03-07" +
        "&dates=20240307T150000Z%2F20240307T160000Z" +
        "&details=Agenda%20%26%20join%3A%20https%3A%2F%2Fgithub.com%2Fnodejs%2Fsecurity-wg%2Fissues%2F1" +
        "&ctz=America%2FNew_York",
    );
    const params = new URL(url).searchParams;
    expect(params.get("dates")).toBe("20240307T150000Z/20240307T160000Z");
    expect(params.get("text")).toBe("Node.js Security team (WG) Meeting 2024-03-07");
    // Usable as a Markdown link destination as is.
    expect(url).not.toMatch(/[\s()<>]/);
  });

  it("leaves out ctz for a zone that is not an IANA name", () => {
    const url = googleCalendarUrl({ title: "x", start: occurrence.start, end: occurrence.start, zone: "+02:00" });
    expect(new URL(url).searchParams.has("ctz")).toBe(false);
  });

  it("ends a meeting after the series' duration", () => {
    expect(meetingEnd({ duration: "PT90M" }, occurrence).toISOString()).toBe("2024-03-07T16:30:00.000Z");
  });

  it("reads WG_MEETINGS_PUBLIC_URL: unset or invalid means no feed links", () => {
    const warn = vi.fn();
    expect(publicBaseUrl({})).toBeNull();
    expect(publicBaseUrl({ WG_MEETINGS_PUBLIC_URL: "  " })).toBeNull();
    expect(publicBaseUrl({ WG_MEETINGS_PUBLIC_URL: "not a url" }, { warn })).toBeNull();
    expect(publicBaseUrl({ WG_MEETINGS_PUBLIC_URL: "http://meetings.example.org" }, { warn })).toBeNull();
    expect(publicBaseUrl({ WG_MEETINGS_PUBLIC_URL: "https://meetings.example.org/?x=1" }, { warn })).toBeNull();
    expect(warn).toHaveBeenCalledTimes(3);
    expect(publicBaseUrl({ WG_MEETINGS_PUBLIC_URL: "https://meetings.example.org" })?.href).toBe("https://meetings.example.org/");
    expect(publicBaseUrl({ WG_MEETINGS_PUBLIC_URL: "http://localhost:3000" })?.href).toBe("http://localhost:3000/");
  });

  it("builds the feed URL under the base, keeping a path prefix", () => {
    expect(seriesFeedUrl("https://meetings.example.org", "nodejs", "security-wg", "security-wg")).toBe(
      "https://meetings.example.org/meetings/nodejs/security-wg/security-wg.ics",
    );
    expect(seriesFeedUrl(new URL("https://example.org/wg/"), "o", "r.js", "s")).toBe("https://example.org/wg/meetings/o/r.js/s.ics");
    expect(seriesFeedUrl(null, "o", "r", "s")).toBeNull();
    const feed = "https://example.org/meetings/o/r/s.ics";
    expect(webcalUrl(feed)).toBe("webcal://example.org/meetings/o/r/s.ics");
    expect(googleSubscribeUrl(feed)).toBe(
      "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2Fexample.org%2Fmeetings%2Fo%2Fr%2Fs.ics",
    );
  });

  it("gives a template every link, null feed links without a public URL", () => {
    const input = {
      repo: { owner: "nodejs", repo: "security-wg" },
      series: { id: "security-wg", duration: "PT1H" },
      occurrence,
      title: "Node.js Security team Meeting 2024-03-07",
    };
    const without = meetingCalendarLinks({ ...input, issueUrl: null, publicUrl: null });
    expect(without).toEqual({ google: expect.stringContaining("&dates=20240307T150000Z%2F20240307T160000Z"), feed: null, webcal: null, googleSubscribe: null });
    // Before the issue exists, the event links to a search that finds it by title.
    expect(new URL(without.google).searchParams.get("details")).toBe(
      "Agenda and how to join: https://github.com/nodejs/security-wg/issues?q=is%3Aissue%20in%3Atitle%20%22Node.js%20Security%20team%20Meeting%202024-03-07%22",
    );
    const withAll = meetingCalendarLinks({ ...input, issueUrl: "https://github.com/nodejs/security-wg/issues/7", publicUrl: "https://m.example.org" });
    expect(withAll.feed).toBe("https://m.example.org/meetings/nodejs/security-wg/security-wg.ics");
    expect(withAll.webcal).toBe("webcal://m.example.org/meetings/nodejs/security-wg/security-wg.ics");
    expect(withAll.googleSubscribe).toContain("cid=webcal%3A%2F%2Fm.example.org");
    expect(new URL(withAll.google).searchParams.get("details")).toBe("Agenda and how to join: https://github.com/nodejs/security-wg/issues/7");
  });

  it("searches for the meeting on the App's GitHub web host before the issue exists (github.com, or GitHub Enterprise Server)", () => {
    const input = {
      repo: { owner: "nodejs", repo: "security-wg" },
      series: { id: "security-wg", duration: "PT1H" },
      occurrence,
      title: 'Node.js "Security" team Meeting 2024-03-07',
      issueUrl: null,
      publicUrl: null,
    };
    const details = (links: { google: string }) => new URL(links.google).searchParams.get("details");
    const query = "is%3Aissue%20in%3Atitle%20%22Node.js%20Security%20team%20Meeting%202024-03-07%22";
    expect(details(meetingCalendarLinks({ ...input, webUrl: "https://ghe.example.test" }))).toBe(
      `Agenda and how to join: https://ghe.example.test/nodejs/security-wg/issues?q=${query}`,
    );
    expect(details(meetingCalendarLinks({ ...input, webUrl: "http://ghe.example.test:8080/" }))).toBe(
      `Agenda and how to join: http://ghe.example.test:8080/nodejs/security-wg/issues?q=${query}`,
    );
    expect(details(meetingCalendarLinks({ ...input, webUrl: "https://github.com" }))).toBe(
      `Agenda and how to join: https://github.com/nodejs/security-wg/issues?q=${query}`,
    );
    // Once the issue exists its own URL, as GitHub returned it, is the link.
    expect(details(meetingCalendarLinks({ ...input, webUrl: "https://ghe.example.test", issueUrl: "https://ghe.example.test/nodejs/security-wg/issues/7" }))).toBe(
      "Agenda and how to join: https://ghe.example.test/nodejs/security-wg/issues/7",
    );
  });
});
