import { describe, expect, it } from "vitest";
import { hasCalendarPart, parseDuration, timePartMs } from "../../../src/schedule/duration.js";
import { addDuration, subtractDuration } from "../../../src/schedule/zoned-duration.js";

// ISO-8601 durations at their edges: the largest part accepted, and seconds, which a lead time
// may name (PT30S) and which must count like every other part.

describe("parseDuration's size limit", () => {
  it.each(["P1000000D", "PT1000000S", "P1000000Y"])("accepts %s, a part of one million", (text) => {
    expect(() => parseDuration(text)).not.toThrow();
  });

  it.each(["P1000001D", "PT1000001S", "P1000001W"])("refuses %s, a part over one million", (text) => {
    expect(() => parseDuration(text)).toThrow(`ISO-8601 duration "${text}" is too large`);
  });
});

describe("seconds", () => {
  it("count in the exact-time part", () => {
    expect(timePartMs(parseDuration("PT30S"))).toBe(30_000);
    expect(timePartMs(parseDuration("PT1H2M3S"))).toBe(3_723_000);
    expect(hasCalendarPart(parseDuration("PT30S"))).toBe(false);
    expect(hasCalendarPart(parseDuration("P1W"))).toBe(true);
  });

  it("move an instant forward and back", () => {
    const at = new Date("2024-03-09T15:00:00Z");
    expect(addDuration(at, parseDuration("PT45S"), "America/New_York").toISOString()).toBe("2024-03-09T15:00:45.000Z");
    expect(subtractDuration(at, parseDuration("P1DT1S"), "America/New_York").toISOString()).toBe("2024-03-08T14:59:59.000Z");
  });
});
