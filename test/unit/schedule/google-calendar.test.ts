import { readFileSync } from "node:fs";
import { auth, calendar as calendarClient } from "@googleapis/calendar";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { listCalendarEvents } from "../../../src/google/calendar.js";

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../fixtures/calendar/${name}`, import.meta.url), "utf8"));

const CALENDAR_ID = "c_5f1e0c7b2a@group.calendar.google.com";
const EVENTS_PATH = `/calendar/v3/calendars/${encodeURIComponent(CALENDAR_ID)}/events`;

/** A real client with a plain access token: no token exchange to mock. */
function client() {
  const oauth = new auth.OAuth2();
  oauth.setCredentials({ access_token: "t" });
  return calendarClient({ version: "v3", auth: oauth, retry: false });
}

const query = {
  calendarId: CALENDAR_ID,
  summary: "Security-WG meeting",
  timeMin: new Date("2024-02-01T00:00:00Z"),
  timeMax: new Date("2024-12-01T00:00:00Z"),
};

/** The query string Google must receive (page 1; later pages add pageToken). */
const expectedQuery = {
  singleEvents: "true",
  orderBy: "startTime",
  showDeleted: "false",
  timeMin: "2024-02-01T00:00:00.000Z",
  timeMax: "2024-12-01T00:00:00.000Z",
  q: "Security-WG meeting",
  maxResults: "2500",
};

describe("listCalendarEvents", () => {
  it("asks for expanded single events in a window, follows nextPageToken, keeps only the meeting", async () => {
    const page1 = fixture("events-list.page-1.json");
    const scope = nock("https://www.googleapis.com", { reqheaders: { authorization: "Bearer t" } })
      .get(EVENTS_PATH)
      .query(expectedQuery)
      .reply(200, page1)
      .get(EVENTS_PATH)
      .query({ ...expectedQuery, pageToken: String(page1.nextPageToken) })
      .reply(200, fixture("events-list.page-2.json"));

    const list = await listCalendarEvents(client(), query);

    expect(scope.isDone()).toBe(true);
    expect(list.timeZone).toBe("America/New_York");
    expect(list.events.map((e) => `${e.start.toISOString().slice(0, 16)}Z`)).toEqual([
      "2024-02-22T15:00Z",
      "2024-03-07T15:00Z",
      // 03-21 cancelled; 04-04 moved to Friday 11:00 EDT; US DST from 03-10: 10:00 EDT = 14:00Z.
      "2024-04-05T15:00Z",
      "2024-04-18T14:00Z",
      // The all-day "Security-WG meeting" (04-25) and the "(prep)" series are left out; 05-02 was deleted.
      "2024-05-16T14:00Z",
      "2024-05-30T14:00Z",
      "2024-06-13T14:00Z",
      "2024-06-27T14:00Z",
      "2024-07-11T14:00Z",
      "2024-07-25T14:00Z",
      "2024-08-08T14:00Z",
      "2024-08-22T14:00Z",
      "2024-09-05T14:00Z",
      "2024-09-19T14:00Z",
      "2024-10-03T14:00Z",
      "2024-10-17T14:00Z",
      "2024-10-31T14:00Z",
      "2024-11-14T15:00Z",
    ]);
    expect(list.events[2]).toEqual({
      id: "5q1v0h3s7k2m9c4b8n6d1f0g2a_20240404T140000Z",
      summary: "Security-WG meeting",
      start: new Date("2024-04-05T15:00:00Z"),
      zone: "America/New_York",
    });
  });

  it("drops a cancelled instance even if Google returns it with its fields", async () => {
    nock("https://www.googleapis.com")
      .get(EVENTS_PATH)
      .query(expectedQuery)
      .reply(200, {
        kind: "calendar#events",
        timeZone: "Europe/Berlin",
        items: [
          { kind: "calendar#event", id: "a_1", status: "cancelled", summary: "Security-WG meeting", start: { dateTime: "2024-03-07T10:00:00+01:00" } },
          { kind: "calendar#event", id: "b", status: "confirmed", summary: " security-wg MEETING", start: { dateTime: "2024-03-08T10:00:00+01:00" } },
        ],
      });
    const list = await listCalendarEvents(client(), query);
    // No start.timeZone on the event: the calendar's zone is the fallback, reported separately.
    expect(list).toEqual({ timeZone: "Europe/Berlin", events: [{ id: "b", summary: " security-wg MEETING", start: new Date("2024-03-08T09:00:00Z"), zone: null }] });
  });

  it.each([
    [404, { error: { code: 404, message: "Not Found", errors: [{ reason: "notFound" }] } }, /"c_5f1e0c7b2a@group.calendar.google.com" was not found, or is not shared with the App's Google account/],
    [403, { error: { code: 403, message: "Forbidden", errors: [{ reason: "forbidden" }] } }, /may not read it \(forbidden\); share the calendar with it/],
    [503, { error: { code: 503, message: "Backend Error", errors: [{ reason: "backendError" }] } }, /could not be read: Google answered 503 \(backendError\); the next tick retries/],
  ])("explains HTTP %s without leaking the request", async (status, body, message) => {
    nock("https://www.googleapis.com").get(EVENTS_PATH).query(true).reply(status, body);
    const error: unknown = await listCalendarEvents(client(), query).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain("Bearer");
  });
});
