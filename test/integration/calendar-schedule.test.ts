import { readFileSync } from "node:fs";
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { parseMarker } from "../../src/state/meeting-marker.js";
import { fetchFeedText } from "../../src/schedule/fetch-feed.js";
import { runTick } from "../../src/meetings/tick.js";
import { fakeWorld, type FakeWorld } from "../helpers/fake-world.js";
import { createTestProbot } from "../helpers/probot.js";

const FEED_URL = "https://calendar.example.org/security-wg.ics";
/** The feed host's look-up: a public address (nock answers before any socket opens). */
const fetchText = (url: string) => fetchFeedText(url, { resolve: async () => [{ address: "93.184.215.14" }] });

const feed = readFileSync(new URL("../fixtures/calendar/security-wg.google-export.ics", import.meta.url), "utf8");

const CONFIG = `meetings:
  - id: security-wg
    name: Security team
    host: Node.js
    schedule:
      ical: { url: "${FEED_URL}", summary: Security-WG meeting }
    createBefore: P3D
    agenda: { label: security-wg-agenda, orgs: [nodejs] }
`;

let world: FakeWorld | undefined;
afterEach(() => world?.close());

async function tick(now: Date, feedText = feed) {
  nock("https://calendar.example.org").get("/security-wg.ics").reply(200, feedText, { "content-type": "text/calendar" });
  const { probot } = await createTestProbot();
  return runTick({ auth: (id) => probot.auth(id), log: probot.log, fetchText }, { now, installationId: 9, repository: "nodejs/security-wg" });
}

describe("a series scheduled by an iCalendar feed", () => {
  it("skips the cancelled meeting: on 2024-03-18 the next one is the moved 2024-04-05 11:00 New York", async () => {
    world = fakeWorld({ repo: "nodejs/security-wg", installationId: 9, config: CONFIG });
    const report = await tick(new Date("2024-03-18T15:00:00Z"));
    expect(report.series[0]!.outcome).toEqual({
      action: "not-due",
      next: "2024-04-05T15:00:00.000Z",
      opensAt: "2024-04-02T15:00:00.000Z",
    });
    expect(world.issues).toEqual([]);
  });

  it("opens the moved meeting when due, and recognises it when it moves again (no second issue)", async () => {
    world = fakeWorld({ repo: "nodejs/security-wg", installationId: 9, config: CONFIG });
    const first = await tick(new Date("2024-04-02T16:00:00Z"));
    expect(first.series[0]!.outcome).toMatchObject({ action: "created", number: 1 });
    expect(world.issues[0]!.title).toBe("Node.js Security team Meeting 2024-04-05");
    const marker = parseMarker(world.issues[0]!.body);
    expect(marker).toMatchObject({ series: "security-wg", at: "2024-04-05T15:00:00.000Z", date: "2024-04-05" });
    expect(marker?.event).toBeTruthy();

    // The chair moves it once more, by an hour, after the issue opened.
    const movedAgain = feed.replace("DTSTART;TZID=America/New_York:20240405T110000", "DTSTART;TZID=America/New_York:20240405T120000");
    expect(movedAgain).not.toBe(feed);
    const second = await tick(new Date("2024-04-03T16:00:00Z"), movedAgain);
    expect(second.series[0]!.outcome).toMatchObject({ action: "exists", number: 1 });
    expect(world.issues).toHaveLength(1);
  });

  it("a feed that cannot be read fails that series with a clear error, and the tick goes on", async () => {
    world = fakeWorld({ repo: "nodejs/security-wg", installationId: 9, config: CONFIG });
    const report = await tick(new Date("2024-04-02T16:00:00Z"), "<html>not a calendar</html>");
    expect(report.series[0]!.outcome).toMatchObject({ action: "failed" });
    expect(JSON.stringify(report.series[0]!.outcome)).toMatch(/iCalendar|VCALENDAR|calendar/i);
    // No meeting, but the group hears about it: one alarm issue for the series.
    expect(world.issues).toHaveLength(1);
    expect(world.issues[0]!.body).toContain("<!-- wg-meetings:alarm ");
    expect(report.alarms).toEqual([expect.objectContaining({ scope: "series", series: "security-wg", action: "opened" })]);
  });
});

describe("a series scheduled by a Google Calendar", () => {
  it("reads the calendar with the App's Google credentials, honouring moved and cancelled instances", async () => {
    const { loadGoogleCalendar } = await import("../../src/google/google-docs.js");
    const { FAST_RETRY, keyJson } = await import("../helpers/google.js");
    const page1 = JSON.parse(readFileSync(new URL("../fixtures/calendar/events-list.page-1.json", import.meta.url), "utf8"));
    const page2 = JSON.parse(readFileSync(new URL("../fixtures/calendar/events-list.page-2.json", import.meta.url), "utf8"));
    const config = CONFIG.replace(
      `ical: { url: "${FEED_URL}", summary: Security-WG meeting }`,
      "googleCalendar: { id: c_security@group.calendar.google.com, summary: Security-WG meeting }",
    );
    world = fakeWorld({ repo: "nodejs/security-wg", installationId: 9, config });
    const queries: Array<Record<string, string>> = [];
    nock("https://www.googleapis.com")
      .get("/calendar/v3/calendars/c_security%40group.calendar.google.com/events")
      .query((query) => (queries.push(query as Record<string, string>), true))
      .times(2)
      .reply((uri) => [200, uri.includes("pageToken=") ? page2 : page1]);

    const { probot } = await createTestProbot();
    const report = await runTick(
      {
        auth: (id) => probot.auth(id),
        log: probot.log,
        calendar: () => loadGoogleCalendar({ GOOGLE_CREDENTIALS_JSON: keyJson() }, { retry: FAST_RETRY }),
      },
      { now: new Date("2024-03-18T15:00:00Z"), installationId: 9, repository: "nodejs/security-wg" },
    );

    expect(report.series[0]!.outcome).toMatchObject({ action: "not-due", next: "2024-04-05T15:00:00.000Z" });
    expect(queries[0]).toMatchObject({ singleEvents: "true", orderBy: "startTime", q: "Security-WG meeting" });
  });

  it("without Google credentials the series fails with a message naming what to set", async () => {
    const config = CONFIG.replace(
      `ical: { url: "${FEED_URL}", summary: Security-WG meeting }`,
      "googleCalendar: { id: c_security@group.calendar.google.com, summary: Security-WG meeting }",
    );
    world = fakeWorld({ repo: "nodejs/security-wg", installationId: 9, config });
    const { probot } = await createTestProbot();
    const report = await runTick(
      { auth: (id) => probot.auth(id), log: probot.log, calendar: async () => null },
      { now: new Date("2024-03-18T15:00:00Z"), installationId: 9, repository: "nodejs/security-wg" },
    );
    expect(report.series[0]!.outcome).toEqual({
      action: "failed",
      error: "googleCalendar schedules need Google credentials: set GOOGLE_APPLICATION_CREDENTIALS or GOOGLE_CREDENTIALS_JSON",
    });
  });
});
