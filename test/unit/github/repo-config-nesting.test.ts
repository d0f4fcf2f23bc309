import { describe, expect, it } from "vitest";
import { loadRepoConfig } from "../../../src/github/repo-config.js";
import { createTestProbot } from "../../helpers/probot.js";

describe("loadRepoConfig never hands yaml an unbounded document", () => {
  it("4 KB of nested brackets is refused by the nesting limit on every read, before any _extends check (it once exhausted memory on the second read)", async () => {
    const { probot } = await createTestProbot();
    const gh = await probot.auth(1);
    const text = `meetings: ${"[".repeat(2000)}${"]".repeat(2000)}\n`;
    for (let read = 0; read < 3; read++) {
      const result = await loadRepoConfig(gh, { owner: "acme", repo: "meetings" }, text);
      expect(result.status).toBe("invalid");
      expect(result.status === "invalid" && result.errors.map((error) => error.message).join("\n")).toMatch(/deep|nest/i);
    }
  });
});
