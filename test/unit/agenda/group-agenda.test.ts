import { describe, expect, it } from "vitest";
import { groupAgenda } from "../../../src/agenda/group-agenda.js";
import type { AgendaItem } from "../../../src/agenda/types.js";

function item(repository: string, number: number, kind: AgendaItem["kind"] = "issue"): AgendaItem {
  const path = kind === "issue" ? "issues" : "pull";
  return { repository, number, title: `t${number}`, url: `https://github.com/${repository}/${path}/${number}`, kind };
}

describe("groupAgenda", () => {
  it("groups by repository, alphabetically and case-insensitively, items newest first", () => {
    const agenda = groupAgenda([
      item("nodejs/security-wg", 488),
      item("nodejs/node", 54364, "pull_request"),
      item("nodejs/security-wg", 812),
      item("Nodejs/admin", 7),
      item("nodejs/security-wg", 799),
      item("nodejs/build", 1),
    ]);
    expect(agenda.groups.map((g) => g.repository)).toEqual([
      "Nodejs/admin",
      "nodejs/build",
      "nodejs/node",
      "nodejs/security-wg",
    ]);
    expect(agenda.groups[3]!.items.map((i) => i.number)).toEqual([812, 799, 488]);
    expect(agenda.count).toBe(6);
    expect(agenda.truncated).toBe(false);
  });

  it("removes duplicates (same repository and number, whatever the case)", () => {
    const agenda = groupAgenda([item("nodejs/node", 1), item("nodejs/node", 1), item("NodeJS/Node", 1), item("nodejs/node", 2)]);
    expect(agenda.groups).toHaveLength(1);
    expect(agenda.groups[0]!.repository).toBe("nodejs/node");
    expect(agenda.groups[0]!.items.map((i) => i.number)).toEqual([2, 1]);
    expect(agenda.count).toBe(2);
  });

  it("does not depend on input order", () => {
    const items = [item("b/x", 3), item("a/y", 1), item("b/x", 9), item("A/z", 2)];
    expect(groupAgenda([...items].reverse())).toEqual(groupAgenda(items));
  });

  it("passes truncated through and handles no items", () => {
    expect(groupAgenda([], true)).toEqual({ groups: [], count: 0, truncated: true });
    expect(groupAgenda([])).toEqual({ groups: [], count: 0, truncated: false });
  });

  it("does not mutate its input", () => {
    const items = [item("a/b", 1), item("a/b", 2)];
    const copy = structuredClone(items);
    groupAgenda(items);
    expect(items).toEqual(copy);
  });
});
