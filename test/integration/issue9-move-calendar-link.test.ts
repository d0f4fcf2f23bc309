import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runTick } from "../../src/meetings/tick.js";
import { readSection } from "../../src/render/sections.js";
import { fakeWorld, type FakeWorld } from "../helpers/fake-world.js";
import { createTestProbot } from "../helpers/probot.js";

/**
 * Issue 9: the add-to-calendar link of a meeting names the meeting issue. Before the issue
 * exists (when the tick renders it) the link can only search for its title; once `/move`
 * re-renders the time section, the issue exists and GitHub has given it an address, so the
 * event must link that address and not a search.
 */
const REPO = "Codertocat/Hello-World";
const CONFIG = `meetings:
  - id: sec
    name: Security team
    host: Node.js
    schedule:
      rrule: FREQ=WEEKLY;INTERVAL=2;BYDAY=TH
      start: 2024-10-03T10:00
      zone: America/New_York
    createBefore: P3D
    agenda: { label: sec-agenda, orgs: [Codertocat] }
`;
const commentFixture = JSON.parse(readFileSync(new URL("../fixtures/issue_comment.created.json", import.meta.url), "utf8"));
let world: FakeWorld;

/** The `details` text of the Google Calendar link in an issue's time section. */
function calendarDetails(body: string): string | null {
  const time = readSection(body, "time") ?? "";
  const link = /\((https:\/\/calendar\.google\.com\/calendar\/render\?[^)\s]+)\)/.exec(time)?.[1];
  return link ? new URL(link).searchParams.get("details") : null;
}

beforeEach(async () => {
  world = fakeWorld({ repo: REPO, installationId: 1, config: CONFIG, roles: { Codertocat: "write" } });
  const { probot } = await createTestProbot();
  // Monday 2024-10-28: the Thursday 2024-10-31 meeting opens.
  await runTick({ auth: (id) => probot.auth(id), log: probot.log }, { now: new Date("2024-10-28T15:00:00Z"), installationId: 1, repository: REPO });
  expect(world.issues).toHaveLength(1);
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2024-10-29T12:00:00Z"));
});
afterEach(() => {
  vi.useRealTimers();
  world.close();
});

describe("/move and the meeting's add-to-calendar link", () => {
  it("a moved meeting's calendar event links the meeting issue itself, not a search for its title", async () => {
    const issue = world.issues[0]!;
    // As opened, before the issue had an address: a search of the repository for its title.
    expect(calendarDetails(issue.body)).toMatch(new RegExp(`^Agenda and how to join: https://github\\.com/${REPO}/issues\\?q=`));

    const payload = structuredClone(commentFixture);
    payload.repository.default_branch = "main";
    Object.assign(payload.issue, { number: issue.number, html_url: `https://github.com/${REPO}/issues/${issue.number}`, body: issue.body, state: issue.state });
    payload.issue.user = { ...payload.issue.user, login: "wg-meetings[bot]", type: "Bot" };
    payload.comment.id = 901;
    payload.comment.body = "/move 2024-11-07 10:00";
    payload.comment.user = { ...payload.comment.user, login: "Codertocat", type: "User" };
    const { probot } = await createTestProbot();
    await probot.receive({ id: "d-901", name: "issue_comment", payload });

    const moved = world.issues[0]!;
    expect(moved.title).toBe("Node.js Security team Meeting 2024-11-07");
    expect(calendarDetails(moved.body)).toBe(`Agenda and how to join: https://github.com/${REPO}/issues/${issue.number}`);
  });
});
