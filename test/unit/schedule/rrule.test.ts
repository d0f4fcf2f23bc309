import { describe, expect, it } from "vitest";
import { parseRRule } from "../../../src/schedule/rrule.js";

describe("parseRRule", () => {
  it.each([
    [
      "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
      { freq: "WEEKLY", interval: 2, byDay: [{ weekday: "TH", ordinal: null }], byMonthDay: [], byMonth: [], bySetPos: [], count: null, until: null, wkst: "MO" },
    ],
    ["RRULE:FREQ=MONTHLY;BYDAY=2TH", { freq: "MONTHLY", byDay: [{ weekday: "TH", ordinal: 2 }] }],
    ["FREQ=MONTHLY;BYDAY=-1FR", { byDay: [{ weekday: "FR", ordinal: -1 }] }],
    ["freq=monthly;byday=+1mo;", { freq: "MONTHLY", byDay: [{ weekday: "MO", ordinal: 1 }] }],
    ["FREQ=MONTHLY;BYMONTHDAY=1,-1", { byMonthDay: [1, -1] }],
    ["FREQ=YEARLY;BYMONTH=1,7;BYDAY=1MO", { freq: "YEARLY", byMonth: [1, 7] }],
    ["FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", { bySetPos: [-1] }],
    ["FREQ=DAILY;COUNT=10", { freq: "DAILY", count: 10 }],
    ["FREQ=WEEKLY;UNTIL=20251231", { until: { kind: "date", date: "2025-12-31" } }],
    ["FREQ=WEEKLY;UNTIL=20251231T100000", { until: { kind: "local", local: "2025-12-31T10:00:00" } }],
    ["FREQ=WEEKLY;UNTIL=20251231T235959Z", { until: { kind: "utc", instant: new Date("2025-12-31T23:59:59Z") } }],
    ["FREQ=WEEKLY;WKST=SU;INTERVAL=2", { wkst: "SU", interval: 2 }],
  ])("parses %j", (text, expected) => {
    expect(parseRRule(text)).toMatchObject(expected);
  });

  it.each([
    ["", /empty RRULE/],
    ["RRULE:", /empty RRULE/],
    ["INTERVAL=2", /RRULE needs FREQ/],
    ["FREQ=HOURLY", /FREQ must be one of DAILY, WEEKLY, MONTHLY, YEARLY \(got "HOURLY"\)/],
    ["FREQ=FORTNIGHTLY", /FREQ must be one of DAILY, WEEKLY, MONTHLY, YEARLY/],
    ["FREQ=WEEKLY;BYHOUR=10", /unsupported RRULE part "BYHOUR"/],
    ["FREQ=WEEKLY;BYMINUTE=0", /unsupported RRULE part "BYMINUTE"/],
    ["FREQ=YEARLY;BYWEEKNO=20", /unsupported RRULE part "BYWEEKNO"/],
    ["FREQ=YEARLY;BYYEARDAY=100", /unsupported RRULE part "BYYEARDAY"/],
    ["FREQ=WEEKLY;FOO=1", /unknown RRULE part "FOO"/],
    ["FREQ=WEEKLY;BYDAY", /malformed RRULE part "BYDAY"/],
    ["FREQ=WEEKLY;BYDAY=", /malformed RRULE part "BYDAY="/],
    ["FREQ=WEEKLY;;BYDAY=TH", /malformed RRULE part ""/],
    ["FREQ=WEEKLY;FREQ=DAILY", /"FREQ" appears more than once/],
    ["FREQ=WEEKLY;INTERVAL=0", /"INTERVAL" must be a whole number from 1/],
    ["FREQ=WEEKLY;INTERVAL=two", /"INTERVAL" must be a whole number/],
    ["FREQ=WEEKLY;BYDAY=THU", /"BYDAY" has a malformed entry "THU"/],
    ["FREQ=WEEKLY;BYDAY=XX", /"BYDAY" must name weekdays/],
    ["FREQ=WEEKLY;BYDAY=2TH", /ordinal, which needs FREQ=MONTHLY or FREQ=YEARLY/],
    ["FREQ=MONTHLY;BYDAY=6TH", /ordinal outside 1..5/],
    ["FREQ=MONTHLY;BYDAY=0TH", /ordinal outside/],
    ["FREQ=MONTHLY;BYMONTHDAY=32", /"BYMONTHDAY" must be a whole number from 1 to 31/],
    ["FREQ=MONTHLY;BYMONTHDAY=0", /"BYMONTHDAY"/],
    ["FREQ=WEEKLY;BYMONTHDAY=1", /"BYMONTHDAY" cannot be used with FREQ=WEEKLY/],
    ["FREQ=YEARLY;BYMONTH=13", /"BYMONTH" must be a whole number from 1 to 12/],
    ["FREQ=MONTHLY;BYSETPOS=1", /"BYSETPOS" needs BYDAY, BYMONTHDAY or BYMONTH/],
    ["FREQ=WEEKLY;COUNT=0", /"COUNT" must be a whole number from 1/],
    ["FREQ=WEEKLY;COUNT=3;UNTIL=20251231", /cannot have both COUNT and UNTIL/],
    ["FREQ=WEEKLY;UNTIL=2025-12-31", /"UNTIL" must be a date like 20251231/],
    ["FREQ=WEEKLY;UNTIL=20250230", /"UNTIL" is not a real date \(got "20250230"\)/],
    ["FREQ=WEEKLY;UNTIL=20250101T250000Z", /"UNTIL" is not a real date and time/],
    ["FREQ=WEEKLY;WKST=XX", /"WKST" must name weekdays/],
  ])("rejects %j", (text, message) => {
    expect(() => parseRRule(text)).toThrow(message);
  });
});
