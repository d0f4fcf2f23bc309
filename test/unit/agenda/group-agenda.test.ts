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

  it("gives the same agenda whatever order the search returned the items in", () => {
    const items = [item("b/x", 3), item("a/y", 1), item("b/x", 9), item("A/z", 2), item("b/x", 10), item("a/y", 100)];
    const expected = {
      groups: [
        { repository: "a/y", items: [item("a/y", 100), item("a/y", 1)] },
        { repository: "A/z", items: [item("A/z", 2)] },
        { repository: "b/x", items: [item("b/x", 10), item("b/x", 9), item("b/x", 3)] },
      ],
      count: 6,
      truncated: false,
    };
    expect(groupAgenda(items)).toEqual(expected);
    expect(groupAgenda([...items].reverse())).toEqual(expected);
    expect(groupAgenda([items[4]!, items[1]!, items[3]!, items[0]!, items[5]!, items[2]!])).toEqual(expected);
  });

  it("orders items by number, not as text (10 after 9, 100 first)", () => {
    const agenda = groupAgenda([item("a/b", 9), item("a/b", 100), item("a/b", 10), item("a/b", 2)]);
    expect(agenda.groups[0]!.items.map((i) => i.number)).toEqual([100, 10, 9, 2]);
  });

  it("orders groups by character code, not by the machine's locale", () => {
    // By code unit "-" (45) < "." (46) < "_" (95) < "a" (97); a locale collation puts "_" first.
    const agenda = groupAgenda([item("o/a_b", 1), item("o/ab", 2), item("o/a.b", 3), item("o/a-b", 4), item("O/A0", 5)]);
    expect(agenda.groups.map((g) => g.repository)).toEqual(["o/a-b", "o/a.b", "O/A0", "o/a_b", "o/ab"]);
  });

  it("keeps the first spelling of a repository for its group, and the first copy of an item", () => {
    const agenda = groupAgenda([{ ...item("NodeJS/Node", 5), title: "first" }, { ...item("nodejs/node", 5), title: "second" }, item("nodejs/node", 6)]);
    expect(agenda.groups).toEqual([{ repository: "NodeJS/Node", items: [item("nodejs/node", 6), { ...item("NodeJS/Node", 5), title: "first" }] }]);
    expect(agenda.count).toBe(2);
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
