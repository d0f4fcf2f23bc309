import nock from "nock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { formatActionItemMarker } from "../../src/state/action-item-marker.js";
import { API, mockApp } from "../helpers/github.js";
import { createTestProbot } from "../helpers/probot.js";
import { recordUnmatched } from "../helpers/unmatched.js";

/**
 * Closing or reopening an action-item issue refreshes the *Open action items* section of the
 * series' next meeting (src/meetings/refresh-action-items.ts). The meeting is found from the
 * issue's marker, and a marker is only text in an issue body that anyone with write access to
 * that repository can edit: the App follows it only to a meeting of the same owner, so people
 * of one organization can never make it read or write another organization's meetings.
 */
const REPO = "acme/web";
const BOT = "wg-meetings[bot]";
const NOW = new Date("2026-11-30T17:00:00Z");

afterEach(() => {
  vi.useRealTimers();
  nock.cleanAll();
});

/** An action-item issue the App opened in acme/web whose marker (edited by someone) names `meeting`. */
function closedEvent(meeting: string) {
  const marker = formatActionItemMarker({ v: 1, meeting, series: "web", date: "2026-11-25", key: "0123456789abcdef" });
  return {
    id: `closed-${Math.random()}`,
    name: "issues" as const,
    payload: {
      action: "closed",
      installation: { id: 9 },
      repository: { name: "web", full_name: REPO, owner: { login: "acme" }, private: false, default_branch: "main" },
      issue: {
        number: 11,
        html_url: `https://github.com/${REPO}/issues/11`,
        title: "Draft the announcement",
        body: `An action item from the [Web team 2026-11-25](https://github.com/${REPO}/issues/1).\n\n> Draft the announcement\n\n- **Owners:** @alice\n\n${marker}\n`,
        state: "closed",
        labels: [],
        user: { login: BOT, type: "Bot" },
      },
      sender: { login: "alice", type: "User" },
    },
  } as never;
}

describe("closing an action-item issue whose marker names another owner's meeting", () => {
  it("is ignored: nothing of the other owner's repository is read or written", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: NOW });
    const unmatched = recordUnmatched();
    const scope = nock(API);
    mockApp(scope);
    const { probot } = await createTestProbot();

    await probot.receive(closedEvent("other-org/meetings"));

    // Only the App's own login was asked (once per process): no token, no config, no listing.
    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });
});
