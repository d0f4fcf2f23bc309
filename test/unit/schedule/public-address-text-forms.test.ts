import { describe, expect, it } from "vitest";
import { isPublicAddress, vetAddress } from "../../../src/schedule/public-address.js";

describe("which address texts the feed fetcher may connect to", () => {
  it.each(["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])("%s is public", (text) => {
    expect(isPublicAddress(text)).toBe(true);
  });

  it.each(["127.0.0.1", "::1", "feeds.example.org"])("%s is not public", (text) => {
    expect(isPublicAddress(text)).toBe(false);
  });

  // The URL parser drops tabs and newlines anywhere in its input, so "2606:4700:4700::\t1111"
  // would read as a public IPv6 address; it is no address at all, and no socket takes it.
  it.each(["2606:4700:4700::\t1111", "2606:4700:4700::\n1111", "\t2606:4700:4700::1111", "2606:4700:4700::1111\r"])(
    "%j, an address with a tab or line break in it, is refused",
    (text) => {
      expect(vetAddress(text)).toBeNull();
      expect(isPublicAddress(text)).toBe(false);
    },
  );
});
