import nock from "nock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { readSection } from "../../src/render/sections.js";
import { formatActionItemMarker } from "../../src/state/action-item-marker.js";
import { formatMarker } from "../../src/state/meeting-marker.js";
import { API, mockApp, mockToken } from "../helpers/github.js";
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
/** Monday 2026-11-30 17:00 London: Wednesday's meeting (2026-12-02 16:00 UTC) has not started. */
const NOW = new Date("2026-11-30T17:00:00Z");
const CONFIG = `meetings:
  - id: web
    name: Web team
    schedule: { rrule: FREQ=WEEKLY;BYDAY=WE, start: 2026-01-07T16:00, zone: Europe/London }
    createBefore: P2D
    agenda: { label: web-agenda, repos: [${REPO}] }
`;
const CONFIG_FILE = { type: "file", encoding: "base64", size: CONFIG.length, content: Buffer.from(CONFIG).toString("base64") };
const LISTING = { creator: BOT, state: "all", sort: "created", direction: "desc", per_page: "100" };
const url = (number: number) => `https://github.com/${REPO}/issues/${number}`;

afterEach(() => {
  vi.useRealTimers();
  nock.cleanAll();
});

/** An action-item issue the App opened in acme/web whose marker (edited by someone) names `meeting`. */
function actionBody(meeting: string) {
  const marker = formatActionItemMarker({ v: 1, meeting, series: "web", date: "2026-11-25", key: "0123456789abcdef" });
  return `An action item from the [Web team 2026-11-25](${url(1)}).\n\n> Draft the announcement\n\n- **Owners:** @alice\n\n${marker}\n`;
}

/** `issues.closed` for #11, an issue the App opened (or, with `pullRequest`, a pull request). */
function closedEvent(meeting: string, pullRequest = false) {
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
        body: actionBody(meeting),
        state: "closed",
        labels: [],
        user: { login: BOT, type: "Bot" },
        ...(pullRequest ? { pull_request: { url: `https://api.github.com/repos/${REPO}/pulls/11` } } : {}),
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

describe("closing a pull request that carries an action-item marker", () => {
  it("is not an action item: nothing is read or written", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: NOW });
    const unmatched = recordUnmatched();
    const scope = nock(API);
    mockApp(scope);
    const { probot } = await createTestProbot();

    await probot.receive(closedEvent(REPO, true));

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });
});

/** The next meeting's issue: its agenda, the live open action items section listing `items`, and what people wrote. */
function meetingBody(items: string, extra = "") {
  const marker = formatMarker({ v: 1, series: "web", at: "2026-12-02T16:00:00.000Z", date: "2026-12-02", doc: null, zone: "Europe/London" });
  const section = `\n\n## Open action items\n\nAction items from earlier meetings of this series that are still open, oldest first.\n\n${items}`;
  return `## Agenda\n\nText.<!-- wg-meetings:agenda -->\n\n* New item [#7](${url(7)})<!-- /wg-meetings:agenda --><!-- wg-meetings:actions -->${section}<!-- /wg-meetings:actions -->\n\n## Invited\n\n* Added by a person${extra}\n\n${marker}\n`;
}

describe("closing an action-item issue while a chair edits the next meeting's issue", () => {
  it("rewrites only the section, on the body as it is now: a line added since the listing is kept", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: NOW });
    const unmatched = recordUnmatched();
    const listed = meetingBody(`* Draft the announcement [#11](${url(11)}) — @alice · from the 2026-11-25 meeting, 5 days old`);
    const now = meetingBody(`* Draft the announcement [#11](${url(11)}) — @alice · from the 2026-11-25 meeting, 5 days old`, "\n* Added by the chair a moment ago");
    const scope = nock(API);
    mockApp(scope);
    mockToken(scope, 9);
    scope.get(`/repos/${REPO}/contents/.github%2Fmeetings.yml`).reply(200, CONFIG_FILE);
    scope
      .get(`/repos/${REPO}/issues`)
      .query(LISTING)
      .reply(200, [
        { number: 20, html_url: url(20), title: "Web team 2026-12-02", body: listed, state: "open", state_reason: null, user: { login: BOT, type: "Bot" } },
        { number: 11, html_url: url(11), title: "Draft the announcement", body: actionBody(REPO), state: "closed", state_reason: "completed", user: { login: BOT, type: "Bot" } },
      ]);
    scope.get(`/repos/${REPO}/issues/20`).reply(200, { number: 20, html_url: url(20), title: "Web team 2026-12-02", body: now, state: "open", user: { login: BOT, type: "Bot" } });
    let edited: { body: string } | undefined;
    scope.patch(`/repos/${REPO}/issues/20`, (body: { body: string }) => ((edited = body), true)).reply(200, {});
    const { probot } = await createTestProbot();

    await probot.receive(closedEvent(REPO));

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(readSection(edited!.body, "actions")).not.toContain("#11");
    // Everything outside the section is the body as read just before the edit.
    const outside = (body: string) => body.replace(/<!-- wg-meetings:actions -->[\s\S]*<!-- \/wg-meetings:actions -->/, "");
    expect(outside(edited!.body)).toBe(outside(now));
  });
});
