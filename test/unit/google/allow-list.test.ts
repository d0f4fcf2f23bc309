import nock from "nock";
import { describe, expect, it } from "vitest";
import {
  allowListWarning,
  checkGoogleAllowList,
  isAllowed,
  parseGoogleAllowList,
  readGoogleAllowList,
} from "../../../src/google/allow-list.js";
import { calendarForOwner, listCalendarEvents } from "../../../src/google/calendar.js";
import { loadGoogleCalendar, loadGoogleDocs } from "../../../src/google/google-docs.js";
import { FAST_RETRY, keyJson } from "../../helpers/google.js";

describe("WG_MEETINGS_GOOGLE_ALLOW", () => {
  it("reads kind:ID entries, for any owner or one owner, separated by commas or white space", () => {
    const list = parseGoogleAllowList(" folder:1Folder, acme=template:1Tpl\n  Acme-Labs=calendar:c_1@group.calendar.google.com en=calendar:en.usa#holiday@group.v.calendar.google.com ");
    expect(list).toEqual({
      mode: "listed",
      entries: [
        { kind: "folder", id: "1Folder", owner: null },
        { kind: "template", id: "1Tpl", owner: "acme" },
        { kind: "calendar", id: "c_1@group.calendar.google.com", owner: "acme-labs" },
        { kind: "calendar", id: "en.usa#holiday@group.v.calendar.google.com", owner: "en" },
      ],
    });
  });

  it("unset or empty allows everything (and warns); `*` allows everything on purpose (no warning)", () => {
    expect(parseGoogleAllowList(undefined).mode).toBe("unset");
    expect(parseGoogleAllowList("  ").mode).toBe("unset");
    expect(allowListWarning(parseGoogleAllowList(undefined))).toMatch(/^WG_MEETINGS_GOOGLE_ALLOW is not set: any installation's config may use any Drive folder/);
    expect(parseGoogleAllowList("*")).toEqual({ mode: "everything", entries: [] });
    expect(allowListWarning(parseGoogleAllowList("*"))).toBeNull();
    expect(isAllowed(parseGoogleAllowList("*"), "folder", "anything", "anyone")).toBe(true);
  });

  it.each([
    ["folder", 'WG_MEETINGS_GOOGLE_ALLOW: entry 1 ("folder"): expected folder:ID, template:ID or calendar:ID, optionally after OWNER='],
    ["folder:1A, doc:1B", 'WG_MEETINGS_GOOGLE_ALLOW: entry 2 ("doc:1B"): expected folder:ID, template:ID or calendar:ID, optionally after OWNER='],
    ["folder:", 'WG_MEETINGS_GOOGLE_ALLOW: entry 1 ("folder:"): "" is not a folder id'],
    ["-acme=folder:1A", 'WG_MEETINGS_GOOGLE_ALLOW: entry 1 ("-acme=folder:1A"): "-acme" before "=" is not a GitHub owner name'],
    ["*, folder:1A", 'WG_MEETINGS_GOOGLE_ALLOW: "*" allows everything and cannot be combined with entries'],
  ])("%j is refused with a message naming the variable and the entry", (value, message) => {
    expect(() => parseGoogleAllowList(value)).toThrow(message);
  });

  it("an owner's entry is for that owner's repositories only (GitHub names ignore case); an unscoped one for all", () => {
    const list = parseGoogleAllowList("acme=folder:F1 folder:SHARED calendar:CAL");
    expect(isAllowed(list, "folder", "F1", "acme")).toBe(true);
    expect(isAllowed(list, "folder", "F1", "ACME")).toBe(true);
    expect(isAllowed(list, "folder", "F1", "mallory")).toBe(false);
    expect(isAllowed(list, "folder", "F1", null)).toBe(false);
    expect(isAllowed(list, "folder", "SHARED", "mallory")).toBe(true);
    // Kinds do not mix: a folder id is not a template.
    expect(isAllowed(list, "template", "SHARED", "acme")).toBe(false);
    expect(isAllowed(list, "calendar", "CAL", null)).toBe(true);
  });

  it("the start-up check throws naming the variable, and warns once when Google is set up but the list is not", () => {
    expect(() => checkGoogleAllowList({ WG_MEETINGS_GOOGLE_ALLOW: "folder" }, { warn: () => {} })).toThrow(/^WG_MEETINGS_GOOGLE_ALLOW: entry 1/);
    const warnings: string[] = [];
    const log = { warn: (msg: string) => warnings.push(msg) };
    checkGoogleAllowList({}, log);
    expect(warnings).toEqual([]);
    checkGoogleAllowList({ GOOGLE_CREDENTIALS_JSON: "{}" }, log);
    checkGoogleAllowList({ GOOGLE_CREDENTIALS_JSON: "{}" }, log);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("WG_MEETINGS_GOOGLE_ALLOW is not set");
  });

  it("is parsed once per value", () => {
    const env = { WG_MEETINGS_GOOGLE_ALLOW: "folder:1A" };
    expect(readGoogleAllowList(env)).toBe(readGoogleAllowList({ ...env }));
  });

  it("a malformed list keeps Google from being used, in words that quote no entry (other owners' ids)", async () => {
    const env = { GOOGLE_CREDENTIALS_JSON: keyJson(), WG_MEETINGS_GOOGLE_ALLOW: "acme=folder:1SecretFolder, oops" };
    for (const load of [loadGoogleDocs, loadGoogleCalendar]) {
      const error = await load(env, { retry: FAST_RETRY }).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: "GoogleDocsError", kind: "not-configured" });
      expect((error as Error).message).toBe(
        "the App's WG_MEETINGS_GOOGLE_ALLOW setting is malformed, so it uses no Google folder, template doc or calendar: the App's operator must fix it",
      );
    }
  });
});

describe("the Calendar client obeys the list", () => {
  const query = { calendarId: "c_acme@group.calendar.google.com", summary: "Acme", timeMin: new Date("2024-01-01T00:00:00Z"), timeMax: new Date("2024-02-01T00:00:00Z") };
  const env = { GOOGLE_CREDENTIALS_JSON: keyJson(), WG_MEETINGS_GOOGLE_ALLOW: "acme=calendar:c_acme@group.calendar.google.com" };

  it("a calendar not on the list is refused before any request (not even the token exchange)", async () => {
    const google = nock("https://www.googleapis.com").get(/.*/).reply(200, {});
    const token = nock("https://oauth2.googleapis.com").post("/token").reply(200, {});
    const calendar = (await loadGoogleCalendar(env, { retry: FAST_RETRY }))!;

    const error = await listCalendarEvents(calendarForOwner(calendar, "mallory"), query).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: "GoogleDocsError", kind: "not-allowed" });
    expect((error as Error).message).toBe(
      "Google Calendar c_acme@group.calendar.google.com is not on the App's Google allow-list for mallory, so the App did not use it: ask the App's operator to add mallory=calendar:c_acme@group.calendar.google.com to WG_MEETINGS_GOOGLE_ALLOW, or use one they allow",
    );
    // Read without an owner, an owner's entry does not count either.
    await expect(listCalendarEvents(calendar, query)).rejects.toMatchObject({ kind: "not-allowed" });
    expect(google.isDone()).toBe(false);
    expect(token.isDone()).toBe(false);
  });

  it("the owner it is allowed for reads it", async () => {
    nock("https://oauth2.googleapis.com").post("/token").reply(200, { access_token: "ya29.t", expires_in: 3600, token_type: "Bearer" });
    const api = nock("https://www.googleapis.com")
      .get("/calendar/v3/calendars/c_acme%40group.calendar.google.com/events")
      .query(true)
      .reply(200, { timeZone: "UTC", items: [] });
    const calendar = (await loadGoogleCalendar(env, { retry: FAST_RETRY }))!;

    expect(await listCalendarEvents(calendarForOwner(calendar, "Acme"), query)).toEqual({ timeZone: "UTC", events: [] });
    expect(api.isDone()).toBe(true);
  });
});
