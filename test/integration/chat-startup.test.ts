import { Probot, ProbotOctokit } from "probot";
import { afterEach, describe, expect, it, vi } from "vitest";
import wgMeetings from "../../src/index.js";
import { memoryLogger, privateKey } from "../helpers/probot.js";

/**
 * WG_MEETINGS_CHAT is the operator's: a malformed value stops the App at start-up with the
 * variable's name and the entry at fault (never a secret), as a malformed Google allow-list
 * does; a destination open to every owner is warned about once, at start-up.
 */
function probot() {
  const logger = memoryLogger();
  const app = new Probot({ appId: 123, privateKey, log: logger.log, Octokit: ProbotOctokit.defaults((o: object) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } })) });
  /** The messages logged so far. */
  const lines = () => logger.raw.flatMap((chunk) => chunk.split("\n")).filter(Boolean).map((line) => String((JSON.parse(line) as { msg?: unknown }).msg));
  return { app, lines };
}

describe("the App's start-up and WG_MEETINGS_CHAT", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("refuses to load with a malformed value, naming the variable and not repeating the webhook", async () => {
    vi.stubEnv("WG_MEETINGS_CHAT", '{"acme-slack": {"service": "slack", "url": "http://hooks.slack.com/services/T0/B0/SECRETSECRET", "owners": ["acme"]}}');
    const { app } = probot();
    const loading = app.load(wgMeetings);
    await expect(loading).rejects.toThrow(/^WG_MEETINGS_CHAT/);
    await expect(loading).rejects.not.toThrow(/SECRETSECRET/);
  });

  it("warns at start-up about a destination every owner may post to", async () => {
    vi.stubEnv("WG_MEETINGS_CHAT", '{"acme-slack": {"service": "slack", "url": "https://hooks.slack.com/services/T0/B0/SECRETSECRET", "owners": ["*"]}}');
    const { app, lines } = probot();
    await app.load(wgMeetings);
    const warnings = lines().filter((line) => line.includes('chat destination "acme-slack" is open to every owner'));
    expect(warnings).toHaveLength(1);
    expect(lines().join("\n")).not.toContain("SECRETSECRET");
  });

  it("loads quietly without the variable", async () => {
    vi.stubEnv("WG_MEETINGS_CHAT", "");
    const { app, lines } = probot();
    await app.load(wgMeetings);
    await app.auth();
    expect(lines().filter((line) => line.includes("WG_MEETINGS_CHAT"))).toEqual([]);
  });
});
