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
