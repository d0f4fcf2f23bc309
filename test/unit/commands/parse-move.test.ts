import { describe, expect, it } from "vitest";
import { parseMoveArgs } from "../../../src/commands/parse-move.js";

describe("/move arguments", () => {
  it.each([
    // 10:00 New York is 14:00 UTC before the US change (2024-11-03) and 15:00 UTC after it.
    ["2024-10-31 10:00", "America/New_York", "2024-10-31T14:00:00.000Z"],
    ["2024-11-07 10:00", "America/New_York", "2024-11-07T15:00:00.000Z"],
    ["2024-11-07 16:00 Europe/Berlin", "America/New_York", "2024-11-07T15:00:00.000Z"],
    ["2024-11-07 9:30 UTC", "America/New_York", "2024-11-07T09:30:00.000Z"],
  ])("%s (series in %s) → %s", (args, zone, expected) => {
    expect(parseMoveArgs(args, zone).start.toISOString()).toBe(expected);
  });

  it.each([
    ["", "expected /move YYYY-MM-DD HH:mm"],
    ["tomorrow", "expected /move YYYY-MM-DD HH:mm"],
    ["2024-11-07 ten", "is not a date and time"],
    ["2024-02-30 10:00", "is not a real date and time"],
    ["2024-11-07 10:00 Mars/Olympus", 'unknown time zone "Mars/Olympus"'],
  ])("refuses %j with the expected form", (args, message) => {
    expect(() => parseMoveArgs(args, "America/New_York")).toThrow(message);
  });
});
