import { lookup } from "node:dns/promises";
import { describe, expect, it } from "vitest";

describe("the test environment", () => {
  it("answers no DNS query (nock covers HTTP; setup.ts covers name look-ups)", async () => {
    await expect(lookup("calendar.example.org", { all: true })).rejects.toMatchObject({ code: "ENOTFOUND" });
  });
});
