import { describe, expect, it } from "vitest";
import { openActionItems, ownersNamed, type ListedIssue } from "../../../src/meetings/open-action-items.js";
import { formatActionItemMarker } from "../../../src/state/action-item-marker.js";
import { formatMarker } from "../../../src/state/meeting-marker.js";

const BOT = "wg-meetings[bot]";

function item(number: number, date: string, fields: Partial<ListedIssue> & { owners?: string; meeting?: string; series?: string } = {}): ListedIssue {
  const marker = formatActionItemMarker({ v: 1, meeting: fields.meeting ?? "acme/wg", series: fields.series ?? "wg", date, key: "0123456789abcdef" });
  return {
    number,
    url: `https://github.com/acme/wg/issues/${number}`,
    state: "open",
    title: `Item ${number}`,
    body: `> text\n\n- **Owners:** ${fields.owners ?? "none named in the minutes"}\n\n${marker}\n`,
    author: BOT,
    ...fields,
  };
}

const input = { meeting: "acme/wg", series: "wg", date: "2026-12-10", botLogin: BOT };

describe("openActionItems", () => {
  it("keeps the App's open items of the same meeting repository and series from earlier meetings, oldest first", () => {
    const issues = [
      item(9, "2026-12-03", { owners: "@alice" }),
      item(8, "2026-11-19", { owners: "@bob" }),
      item(7, "2026-12-03", { state: "closed" }),
      item(6, "2026-12-03", { author: "mallory" }),
      item(5, "2026-12-03", { series: "other" }),
      item(4, "2026-12-03", { meeting: "acme/other" }),
      item(3, "2026-12-10"),
      item(2, "2026-11-19", { assignees: ["carol", "bad login!"], owners: "@Carol, @dave (not assignable in this repository), @acme/docs, @\u200Bother/team" }),
    ];
    const open = openActionItems([{ repository: "acme/wg", issues }], input);
    expect(open.total).toBe(3);
    // dave could not be assigned: named (as the App wrote it before naming such owners as code), not mentioned.
    expect(open.items.map((entry) => [entry.number, entry.date, entry.owners, entry.named, entry.teams])).toEqual([
      [2, "2026-11-19", ["carol"], ["dave"], ["acme/docs"]],
      [8, "2026-11-19", ["bob"], [], []],
      [9, "2026-12-03", ["alice"], [], []],
    ]);
  });

  it("a meeting issue is never an action item, and an issue in two listings counts once", () => {
    const meeting = item(1, "2026-12-03");
    meeting.body += formatMarker({ v: 1, series: "wg", at: "2026-12-03T15:00:00.000Z", date: "2026-12-03", doc: null });
    const twice = item(2, "2026-12-03");
    const open = openActionItems(
      [
        { repository: "acme/wg", issues: [meeting, twice] },
        { repository: "ACME/wg", issues: [twice] },
      ],
      input,
    );
    expect(open.items.map((entry) => entry.number)).toEqual([2]);
  });
});

describe("ownersNamed", () => {
  it("reads the Owners line only, not mentions quoted above it", () => {
    expect(ownersNamed("> @eve said so\n\n- **Owners:** @alice, @bob\n- **Due:** 2026-12-10")).toEqual({ owners: ["alice", "bob"], teams: [], named: [] });
    expect(ownersNamed("- **Owners:** none named in the minutes")).toEqual({ owners: [], teams: [], named: [] });
    expect(ownersNamed("no line")).toEqual({ owners: [], teams: [], named: [] });
  });

  it("owners the App could not assign are named, never owners to mention: as code, or (older issues) marked not assignable", () => {
    expect(ownersNamed("- **Owners:** @alice, `@outsider` (not assignable in this repository), @acme/docs, @\u200Bother/team")).toEqual({
      owners: ["alice"],
      teams: ["acme/docs"],
      named: ["outsider"],
    });
    expect(ownersNamed("- **Owners:** @alice, @dave (not assignable in this repository)")).toEqual({ owners: ["alice"], teams: [], named: ["dave"] });
    // A stray backtick names no one as code.
    expect(ownersNamed("- **Owners:** `@eve, @alice")).toEqual({ owners: ["alice"], teams: [], named: [] });
  });

  it("an owner not assignable then, assigned since, is listed once, as an assignee", () => {
    const issue = item(4, "2026-11-19", { assignees: ["Dave"], owners: "@alice, `@dave` (not assignable in this repository)" });
    const [entry] = openActionItems([{ repository: "acme/wg", issues: [issue] }], input).items;
    expect([entry!.owners, entry!.named]).toEqual([["Dave", "alice"], []]);
  });
});
