import { describe, expect, it } from "vitest";
import { feedUrl } from "../../../src/schedule/feed-url.js";
import { assertPublicHost, isNonPublicAddress } from "../../../src/schedule/public-address.js";

describe("feed hosts the App refuses to fetch from", () => {
  it.each([
    ["127.0.0.1", true], ["10.1.2.3", true], ["172.20.0.1", true], ["192.168.1.1", true],
    ["169.254.169.254", true], ["100.64.0.1", true], ["0.0.0.0", true], ["::1", true],
    ["fd00::1", true], ["fe80::1", true], ["::ffff:10.0.0.1", true],
    ["8.8.8.8", false], ["172.32.0.1", false], ["2606:4700::1111", false],
  ])("%s non-public: %s", (address, expected) => {
    expect(isNonPublicAddress(address)).toBe(expected);
  });

  it.each(["https://localhost./x.ics", "https://kubernetes.default.svc/x.ics", "https://api.cluster.local/x.ics", "https://127.0.0.1.nip.io/x.ics"])(
    "refuses %s by name",
    (url) => {
      expect(() => feedUrl(url)).toThrow("feed URL must name a public host");
    },
  );

  it("refuses a public-looking name that resolves inside the network, and lets unresolvable ones through to the fetch", async () => {
    await expect(assertPublicHost("feeds.example.org", async () => [{ address: "10.0.0.5" }])).rejects.toThrow(
      "feeds.example.org resolves to a private or local address",
    );
    await expect(assertPublicHost("feeds.example.org", async () => [{ address: "93.184.216.34" }])).resolves.toBeUndefined();
    await expect(assertPublicHost("nowhere.invalid", async () => Promise.reject(new Error("ENOTFOUND")))).resolves.toBeUndefined();
  });
});
