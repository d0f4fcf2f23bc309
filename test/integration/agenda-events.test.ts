import { readFileSync } from "node:fs";
import nock from "nock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { API, installedRepo, mockApp, mockToken, operation } from "../helpers/github.js";
import { createTestProbot } from "../helpers/probot.js";
import { RefreshQueue } from "../../src/meetings/refresh-queue.js";

const labeled = JSON.parse(readFileSync(new URL("../fixtures/issues.labeled.json", import.meta.url), "utf8"));

function labelEvent(n: number, overrides: { action?: string; labels?: string[]; bot?: boolean } = {}) {
  const payload = structuredClone(labeled);
  payload.action = overrides.action ?? "labeled";
  payload.installation = { id: 5 };
  payload.issue.number = 100 + n;
  if (overrides.labels) payload.issue.labels = overrides.labels.map((name) => ({ name }));
  if (overrides.bot) payload.sender.type = "Bot";
  return { id: `label-${n}-${Math.random()}`, name: "issues" as const, payload };
}

afterEach(() => vi.useRealTimers());

describe("agenda events", () => {
  it("a burst of ten labels costs one tick of the installation: one discovery, one listing", async () => {
    // The quiet period is driven by fake timers: no test waits for real time.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { probot } = await createTestProbot();
    for (let n = 0; n < 10; n++) await probot.receive(labelEvent(n));
    const scope = nock(API);
    mockApp(scope);
    mockToken(scope, 5);
    scope.get("/installation/repositories").query(true).reply(200, { total_count: 1, repositories: [installedRepo("acme/meetings")] });
    let discoveries = 0;
    scope.post("/graphql", operation("DiscoverMeetingConfigs")).reply(200, () => {
      discoveries++;
      return { data: { nodes: [{ nameWithOwner: "acme/meetings", config: null }] } };
    });

    // Fake time decides when the run starts; the run itself (HTTP to nock) is awaited, however
    // long it takes in real time.
    vi.advanceTimersByTime(29_999);
    await RefreshQueue.idle();
    expect(discoveries).toBe(0);
    vi.advanceTimersByTime(1);
    // The run is started, not yet running: real timers from here, so nothing it does waits on fake time.
    vi.useRealTimers();
    await RefreshQueue.idle();

    expect(scope.pendingMocks()).toEqual([]);
    expect(discoveries).toBe(1);
  });

  it.each([
    ["an edit that leaves the title alone", labelEvent(1, { action: "edited" })],
    ["closing an item without labels", labelEvent(2, { action: "closed", labels: [] })],
    ["the App's own edits", labelEvent(3, { bot: true })],
  ])("%s schedules nothing", async (_name, event) => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { probot } = await createTestProbot();
    await probot.receive(event);
    expect(vi.getTimerCount()).toBe(0);
  });
});
