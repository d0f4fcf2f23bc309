import { afterEach, describe, expect, it } from "vitest";
import { runTick } from "../../src/meetings/tick.js";
import { readSection } from "../../src/render/sections.js";
import { fakeWorld, type FakeWorld } from "../helpers/fake-world.js";
import { createTestProbot } from "../helpers/probot.js";

const CONFIG = `meetings:
  - id: web
    name: Web team
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=WE
      start: 2026-01-07T16:00
      zone: Europe/London
    createBefore: P2D
    agenda: { label: web-agenda, orgs: [acme] }
`;
let world: FakeWorld | undefined;
afterEach(() => world?.close());

async function tick(now: string) {
  const { probot } = await createTestProbot();
  return runTick({ auth: (id) => probot.auth(id), log: probot.log }, { now: new Date(now), installationId: 9, repository: "acme/web" });
}

describe("the agenda follows its label until the meeting starts", () => {
  it("an item labelled after the issue opened appears; a person's edits elsewhere are kept; nothing changes after the start", async () => {
    world = fakeWorld({ repo: "acme/web", installationId: 9, config: CONFIG });
    world.agenda = [{ repo: "acme/web", number: 3, title: "First item" }];
    await tick("2026-11-30T17:00:00Z");
    expect(readSection(world.issues[0]!.body, "agenda")).toContain("First item");

    // Somebody edits the issue, and another item is labelled the day before the meeting.
    world.issues[0]!.body = world.issues[0]!.body.replace("## Invited", "## Invited\n\n* Jane (guest): @jane");
    world.agenda.push({ repo: "acme/api", number: 41, title: "Second item", pr: true });
    const report = await tick("2026-12-01T09:00:00Z");

    expect(report.series[0]!.outcome).toMatchObject({ action: "exists", agenda: "updated" });
    const body = world.issues[0]!.body;
    expect(readSection(body, "agenda")).toContain("### acme/api\n\n* PR: Second item [#41](https://github.com/acme/api/pull/41)");
    expect(readSection(body, "agenda")).toContain("First item");
    expect(body).toContain("* Jane (guest): @jane");

    // Unchanged agenda: no write.
    const writes = () => world!.log.filter((line) => line.startsWith("PATCH")).length;
    const before = writes();
    await tick("2026-12-01T10:00:00Z");
    expect(writes()).toBe(before);

    // Labelled after the meeting started: the issue is no longer touched.
    world.agenda.push({ repo: "acme/web", number: 50, title: "Too late" });
    await tick("2026-12-02T16:30:00Z");
    expect(world.issues[0]!.body).not.toContain("Too late");
  });
});

describe("two agenda refreshes racing", () => {
  it("the list from the later search wins, whichever run writes last: no item is lost", async () => {
    const { refreshAgenda } = await import("../../src/meetings/refresh-agenda.js");
    const { groupAgenda } = await import("../../src/agenda/group-agenda.js");
    const { parseConfigText } = await import("../../src/config/load-config.js");
    const { parseMarker } = await import("../../src/state/meeting-marker.js");
    const { vi } = await import("vitest");
    world = fakeWorld({ repo: "acme/web", installationId: 9, config: CONFIG });
    await tick("2026-11-30T17:00:00Z");
    const parsed = parseConfigText(CONFIG);
    if (!parsed.ok) throw new Error("config");
    const series = parsed.config.meetings[0]!;
    const { probot } = await createTestProbot();
    const gh = await probot.auth(9);
    const issue = world.issues[0]!;
    const meeting = { number: issue.number, state: "open" as const, marker: parseMarker(issue.body)! };
    const item = (number: number) => ({ repository: "acme/web", number, title: `Item ${number}`, url: `https://github.com/acme/web/issues/${number}`, kind: "issue" as const });
    const refresh = (numbers: number[]) =>
      refreshAgenda({ gh, repo: { owner: "acme", repo: "web" }, series, issue: meeting, now: new Date("2026-12-01T09:00:00Z"), log: probot.log, agenda: groupAgenda(numbers.map(item)) });

    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      // Run B searched at 09:00:05 (after item 2 was labelled) and writes first.
      vi.setSystemTime(new Date("2026-12-01T09:00:05Z"));
      expect(await refresh([1, 2])).toMatchObject({ action: "updated", items: 2 });
      // Run A searched at 09:00:01 (before item 2) and only now gets to write: it must not.
      vi.setSystemTime(new Date("2026-12-01T09:00:01Z"));
      expect(await refresh([1])).toEqual({ action: "skipped", why: "a fresher agenda was written meanwhile" });
    } finally {
      vi.useRealTimers();
    }
    expect(readSection(world.issues[0]!.body, "agenda")).toContain("Item 2 [#2]");
  });
});
