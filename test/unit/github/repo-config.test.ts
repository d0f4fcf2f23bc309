import nock from "nock";
import { describe, expect, it } from "vitest";
import { MAX_CONFIG_BYTES } from "../../../src/config/limits.js";
import { loadRepoConfig } from "../../../src/github/repo-config.js";
import { API, mockToken } from "../../helpers/github.js";
import { createTestProbot } from "../../helpers/probot.js";

const REPO = { owner: "acme", repo: "meetings" };

/** A config over the size limit, whose `_extends` would otherwise make the App fetch another file. */
function oversized(): string {
  const head = "_extends: acme/private-things:.github/meetings.yml\nmeetings: []\n";
  return head + `# ${"x".repeat(MAX_CONFIG_BYTES)}\n`;
}

describe("loadRepoConfig: text from GitHub is bounded like a local file", () => {
  it("refuses a file over the size limit before parsing it or following its _extends (no request)", async () => {
    const { probot } = await createTestProbot();
    // Any request (the token, the _extends target) would be answered here; none may be made.
    const scope = nock(API);
    mockToken(scope, 1);
    scope.get(/\/contents\//).reply(200, {});
    const gh = await probot.auth(1);
    const result = await loadRepoConfig(gh, REPO, oversized());
    expect(result.status).toBe("invalid");
    expect(result.status === "invalid" && result.errors[0]?.message).toMatch(/over the 64 KB limit/);
    expect(scope.pendingMocks()).toHaveLength(2);
  });

  it("refuses a file with NUL bytes as not text, without echoing it", async () => {
    const { probot } = await createTestProbot();
    nock(API).post("/app/installations/1/access_tokens").reply(201, { token: "t", expires_at: "2099-01-01T00:00:00Z" });
    const gh = await probot.auth(1);
    const result = await loadRepoConfig(gh, REPO, "meetings: []\n\u0000\u0001secret-ish");
    expect(result.status).toBe("invalid");
    const message = result.status === "invalid" ? result.errors.map((error) => error.message).join("\n") : "";
    expect(message).toMatch(/not a text file/);
    expect(message).not.toContain("secret-ish");
  });
});
