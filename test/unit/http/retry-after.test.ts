import { describe, expect, it } from "vitest";
import { retryAfterMs } from "../../../src/http/retry-after.js";

describe("retryAfterMs: the wait a Retry-After header asks for (HackMD's and the chat services' answers)", () => {
  const now = Date.parse("2026-12-03T07:00:00Z");
  it.each([
    [null, null],
    [undefined, null],
    ["3", 3000],
    [" 1.5 ", 1500],
    ["0", 0],
    ["Thu, 03 Dec 2026 07:00:10 GMT", 10_000],
    ["Thu, 03 Dec 2026 06:59:00 GMT", 0],
    ["-1", null],
    ["soon", null],
    ["", null],
    ["1".repeat(13), null],
  ])("%j is %j ms", (value, ms) => {
    expect(retryAfterMs(value, now)).toBe(ms);
  });
});
