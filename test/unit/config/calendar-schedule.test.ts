import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../../src/config/load-config.js";
import { scheduleFromConfig } from "../../../src/schedule/occurrences.js";

/** A minimal config whose schedule (lines 5…) is `schedule`. */
const config = (schedule: string) => `meetings:
  - id: security-wg
    name: Security team
    host: Node.js
${schedule}    agenda:
      label: security-wg-agenda
      orgs: [nodejs]
`;

const errorsOf = (text: string) => {
  const result = parseConfigText(text, ".github/meetings.yml");
  if (result.ok) throw new Error("expected the config to be invalid");
  return result.errors.map((error) => ({ path: error.path, line: error.line, message: error.message }));
};

const scheduleOf = (text: string) => {
  const result = parseConfigText(text);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config.meetings[0]!.schedule;
};

describe("schedule: { googleCalendar }", () => {
  const text = config(`    schedule:
      googleCalendar:
        id: c_5f1e0c7b2a@group.calendar.google.com
        summary: "  Security-WG meeting "
      zone: America/New_York
      skip: [2024-12-26]
`);

  it("parses, trims the title and resolves to a google-calendar schedule", () => {
    const schedule = scheduleOf(text);
    expect(schedule).toEqual({
      googleCalendar: { id: "c_5f1e0c7b2a@group.calendar.google.com", summary: "Security-WG meeting" },
      zone: "America/New_York",
      skip: ["2024-12-26"],
    });
    expect(scheduleFromConfig(schedule)).toEqual({
      kind: "google-calendar",
      calendarId: "c_5f1e0c7b2a@group.calendar.google.com",
      summary: "Security-WG meeting",
      zone: "America/New_York",
      skip: ["2024-12-26"],
    });
  });

  it("leaves the zone to the events when none is configured", () => {
    const schedule = scheduleOf(config(`    schedule:
      googleCalendar: { id: primary, summary: Triage }
`));
    expect(scheduleFromConfig(schedule)).toMatchObject({ kind: "google-calendar", zone: null, skip: [] });
  });

  it.each([
    [
      "missing id",
      "      googleCalendar:\n        summary: Security-WG meeting\n",
      { path: "meetings[0].schedule.googleCalendar.id", line: 6, message: /missing required key "id" \(the calendar's id/ },
    ],
    [
      "missing summary",
      "      googleCalendar: { id: primary }\n",
      { path: "meetings[0].schedule.googleCalendar.summary", line: 6, message: /missing required key "summary" \(the meetings' event title/ },
    ],
    [
      "empty summary",
      '      googleCalendar: { id: primary, summary: "  " }\n',
      { path: "meetings[0].schedule.googleCalendar.summary", line: 6, message: /expected the meetings' event title/ },
    ],
    [
      "unknown key in googleCalendar (typo)",
      "      googleCalendar: { id: primary, sumary: Triage }\n",
      { path: "meetings[0].schedule.googleCalendar.sumary", line: 6, message: /unknown key "sumary" \(did you mean "summary"\?\)/ },
    ],
    [
      "bad zone",
      "      googleCalendar: { id: primary, summary: Triage }\n      zone: Eastern Standard Time\n",
      { path: "meetings[0].schedule.zone", line: 7, message: /unknown time zone "Eastern Standard Time"/ },
    ],
    [
      "misspelt form name",
      "      googleCalender: { id: primary, summary: Triage }\n      zone: America/New_York\n",
      { path: "meetings[0].schedule.googleCalender", line: 6, message: /unknown key "googleCalender" \(did you mean "googleCalendar"\?\)/ },
    ],
  ])("%s", (_name, body, expected) => {
    const errors = errorsOf(config(`    schedule:\n${body}`));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: expected.path, line: expected.line });
    expect(errors[0]!.message).toMatch(expected.message);
  });
});

describe("schedule: { googleCalendar } written flat", () => {
  it("says where summary belongs, and that googleCalendar lacks it", () => {
    expect(errorsOf(config("    schedule:\n      googleCalendar: { id: primary }\n      summary: Triage\n"))).toEqual([
      { path: "meetings[0].schedule.googleCalendar.summary", line: 6, message: expect.stringMatching(/missing required key "summary"/) },
      { path: "meetings[0].schedule.summary", line: 7, message: expect.stringMatching(/unknown key "summary" here \(it belongs under "googleCalendar"\)/) },
    ]);
  });
});

describe("schedule: { ical }", () => {
  it("parses with and without a summary; webcal:// is read as https://", () => {
    const schedule = scheduleOf(config(`    schedule:
      ical:
        url: webcal://outlook.office365.com/owa/calendar/abc/def/calendar.ics
`));
    expect(schedule).toEqual({ ical: { url: "webcal://outlook.office365.com/owa/calendar/abc/def/calendar.ics" }, skip: [] });
    expect(scheduleFromConfig(schedule)).toEqual({
      kind: "ical",
      url: "https://outlook.office365.com/owa/calendar/abc/def/calendar.ics",
      summary: null,
      zone: null,
      skip: [],
    });
    const withSummary = scheduleOf(config(`    schedule:
      ical: { url: "https://calendar.google.com/calendar/ical/abc/private-123/basic.ics", summary: Security-WG meeting }
      zone: Europe/Berlin
`));
    expect(scheduleFromConfig(withSummary)).toMatchObject({ kind: "ical", summary: "Security-WG meeting", zone: "Europe/Berlin" });
  });

  it.each([
    ["not a URL", "calendar.ics", /"calendar.ics" is not a URL/],
    ["plain http", "http://example.org/basic.ics", /must use https:\/\/ \(got http:\/\/\)/],
    ["an internal address", "https://169.254.169.254/latest/meta-data", /must name a public host, not "169.254.169.254"/],
    ["localhost", "https://localhost:8080/basic.ics", /must name a public host, not "localhost"/],
    ["credentials in the URL", "https://me:secret@example.org/basic.ics", /must not contain a user name or password/],
  ])("rejects a bad URL: %s", (_name, url, message) => {
    const errors = errorsOf(config(`    schedule:\n      ical:\n        url: "${url}"\n`));
    expect(errors).toEqual([{ path: "meetings[0].schedule.ical.url", line: 7, message: expect.stringMatching(message) }]);
  });

  it("names a missing url and an unknown key", () => {
    expect(errorsOf(config("    schedule:\n      ical: { summary: Triage }\n"))).toEqual([
      { path: "meetings[0].schedule.ical.url", line: 6, message: expect.stringMatching(/missing required key "url"/) },
    ]);
    expect(errorsOf(config("    schedule:\n      ical: { url: https://example.org/a.ics, title: Triage }\n"))).toEqual([
      { path: "meetings[0].schedule.ical.title", line: 6, message: expect.stringMatching(/unknown key "title" \(valid keys: url, summary\)/) },
    ]);
  });
});

describe("schedule union: picking the form the user meant", () => {
  it("a zone and skip alone match no form in particular", () => {
    const errors = errorsOf(config("    schedule:\n      zone: Europe/Berlin\n"));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(
      /expected either \{ rrule, start, zone \} or \{ interval \} or \{ googleCalendar \} or \{ ical \}, got a mapping with keys: zone/,
    );
  });

  it("an rrule schedule with a bad zone still reports the zone, not the calendar forms", () => {
    const errors = errorsOf(config("    schedule:\n      rrule: FREQ=WEEKLY\n      start: 2024-01-04T10:00\n      zone: Mars/Olympus\n"));
    expect(errors).toEqual([{ path: "meetings[0].schedule.zone", line: 8, message: expect.stringMatching(/unknown time zone "Mars\/Olympus"/) }]);
  });
});
