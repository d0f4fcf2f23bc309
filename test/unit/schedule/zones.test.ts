import { describe, expect, it } from "vitest";
import { ZONE_PRESETS, isValidZone, resolveZones } from "../../../src/schedule/zones.js";

describe("isValidZone", () => {
  it.each(["America/New_York", "Europe/London", "Asia/Kolkata", "Australia/Sydney", "Pacific/Chatham", "UTC", "Etc/GMT-2"])(
    "accepts %s",
    (zone) => expect(isValidZone(zone)).toBe(true),
  );
  it.each(["", " ", "+02:00", "-05:00", "UTC+2", "GMT-5", "Mars/Olympus", "America/New York", " UTC", "EDT5"])(
    "rejects %j",
    (zone) => expect(isValidZone(zone)).toBe(false),
  );
});

describe("ZONE_PRESETS / resolveZones", () => {
  it("nodejs is the Node.js Security WG table, in order", () => {
    expect(ZONE_PRESETS.nodejs.map((row) => `${row.label}=${row.zone}`)).toEqual([
      "US / Pacific=America/Los_Angeles",
      "US / Mountain=America/Denver",
      "US / Central=America/Chicago",
      "US / Eastern=America/New_York",
      "EU / Western=Europe/London",
      "EU / Central=Europe/Amsterdam",
      "EU / Eastern=Europe/Helsinki",
      "Moscow=Europe/Moscow",
      "Chennai=Asia/Kolkata",
      "Hangzhou=Asia/Shanghai",
      "Tokyo=Asia/Tokyo",
      "Sydney=Australia/Sydney",
    ]);
  });

  it.each(Object.entries(ZONE_PRESETS))("every zone of preset %s is valid", (_name, rows) => {
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(isValidZone(row.zone), row.zone).toBe(true);
  });

  it("resolves presets and lists to fresh copies", () => {
    const nodejs = resolveZones("nodejs");
    expect(nodejs).toEqual(ZONE_PRESETS.nodejs);
    nodejs[0]!.label = "changed";
    expect(ZONE_PRESETS.nodejs[0]!.label).toBe("US / Pacific");
    expect(resolveZones("default")[0]).toEqual({ label: "UTC", zone: "UTC" });
    const custom = [{ label: "Here", zone: "Europe/Paris" }];
    expect(resolveZones(custom)).toEqual(custom);
  });
});
