import { describe, expect, it } from "vitest";
import { groupAgenda } from "../../../src/agenda/group-agenda.js";
import { readSection } from "../../../src/render/sections.js";
import { renderIssue } from "../../../src/render/templates.js";
import type { FollowUp, MeetingView, OpenActionItemView } from "../../../src/render/types.js";
import { defaultSeries, july21, visibleIssue } from "./series.js";

const item = (number: number, fields: Partial<OpenActionItemView> = {}): OpenActionItemView => ({
  repository: "nodejs/security-wg",
  number,
  url: `https://github.com/nodejs/security-wg/issues/${number}`,
  title: `Item ${number}`,
  owners: ["alice"],
  teams: [],
  date: "2022-07-07",
  ...fields,
});

const FOLLOW_UP: FollowUp = {
  previous: {
    number: 1380,
    url: "https://github.com/nodejs/security-wg/issues/1380",
    date: "2022-07-07",
    minutesPath: "meetings/2022-07-07.md",
    minutesUrl: "https://github.com/nodejs/security-wg/blob/main/meetings/2022-07-07.md",
  },
  carriedOver: new Map([["https://github.com/nodejs/security-wg/issues/799", "2022-06-23"]]),
  openActionItems: {
    total: 2,
    items: [
      item(900, { title: "Ask @everyone <!-- hide --> about [links](https://evil.example)", owners: ["alice", "bad login!"], teams: ["nodejs/security-wg"] }),
      item(14, { repository: "nodejs/tasks", url: "https://github.com/nodejs/tasks/issues/14", owners: [], date: "2022-06-23" }),
    ],
  },
};

const view = (overrides: Partial<MeetingView> = {}) =>
  july21({ repository: { owner: "nodejs", repo: "security-wg" }, followUp: FOLLOW_UP, ...overrides });

describe("the follow-up in the meeting issue", () => {
  it("nodejs preset: previous links, the carried-over mark, and the open action items with owners and age", () => {
    const { body } = visibleIssue(view());
    expect(body).toContain(
      "* Minutes Google Doc: _not created yet_\n" +
        "* Previous meeting: [#1380](https://github.com/nodejs/security-wg/issues/1380) (2022-07-07), minutes: [`meetings/2022-07-07.md`](https://github.com/nodejs/security-wg/blob/main/meetings/2022-07-07.md)\n\n## Agenda",
    );
    expect(body).toContain("* Threat Model [#799](https://github.com/nodejs/security-wg/issues/799) (carried over from 2022-06-23)\n");
    expect(body).toContain(
      "(https://github.com/nodejs/security-wg/issues/488)\n\n## Open action items\n\nAction items from earlier meetings that are still open, oldest first.\n\n" +
        "* Ask @\u200Beveryone \\<!\u200B-- hide --\\> about \\[links\\](https://evil.example) [#900](https://github.com/nodejs/security-wg/issues/900) — @alice, @nodejs/security-wg · from the 2022-07-07 meeting, 14 days old\n" +
        "* Item 14 [nodejs/tasks#14](https://github.com/nodejs/tasks/issues/14) · from the 2022-06-23 meeting, 28 days old\n\n## Invited",
    );
  });

  it("lists at most 25 items and counts the rest", () => {
    const many = Array.from({ length: 30 }, (_, index) => item(index + 1));
    const { body } = renderIssue(july21({ series: defaultSeries(), followUp: { openActionItems: { items: many, total: 30 } } }));
    const section = readSection(body, "actions")!;
    expect(section.match(/^\* Item/gm)).toHaveLength(25);
    expect(section).toContain("* _…and 5 more_");
  });

  it("names an owner the App could not assign as code, never as a mention", () => {
    const { body } = renderIssue(
      july21({ series: defaultSeries(), followUp: { openActionItems: { items: [item(1, { owners: ["alice"], named: ["outsider", "bad login!"], teams: ["nodejs/tsc"] })], total: 1 } } }),
    );
    expect(readSection(body, "actions")).toContain("— @alice, `@outsider`, @nodejs/tsc · from");
  });

  it("shows ten owners at most per item", () => {
    const owners = Array.from({ length: 12 }, (_, index) => `user${index}`);
    const { body } = renderIssue(july21({ series: defaultSeries(), followUp: { openActionItems: { items: [item(1, { owners })], total: 1 } } }));
    expect(readSection(body, "actions")).toContain("— @user0, @user1, @user2, @user3, @user4, @user5, @user6, @user7, @user8, @user9 · from");
  });

  it("without a follow-up, the presets read as before: no previous line, no mark, an empty action items section", () => {
    for (const series of [undefined, defaultSeries()]) {
      const plain = renderIssue(july21(series ? { series } : {})).body;
      expect(plain).not.toContain("Previous meeting");
      expect(plain).not.toContain("carried over");
      expect(readSection(plain, "actions")).toBe("");
      expect(plain).toContain("<!-- /wg-meetings:agenda --><!-- wg-meetings:actions --><!-- /wg-meetings:actions -->\n\n## Invited");
    }
  });

  it("a template without the new fields still renders, with or without a follow-up", () => {
    const template = "## Agenda{{#section \"agenda\"}}\n{{#each agenda.groups}}{{#each items}}\n* {{title}}{{/each}}{{/each}}\n{{/section}}";
    expect(renderIssue(view(), template).body).toContain("* Threat Model");
    expect(renderIssue(july21(), template).body).toContain("* Threat Model");
  });

  it("a template may use them: the carried-over date and the count", () => {
    const template =
      "{{#each agenda.groups}}{{#each items}}{{#if carriedOverFrom}}{{number}} since {{carriedOverFrom}}\n{{/if}}{{/each}}{{/each}}open: {{openActionItems.count}}, more: {{openActionItems.more}}";
    expect(renderIssue(view({ agenda: groupAgenda(july21().agenda.groups.flatMap((group) => group.items)) }), template).body).toBe(
      "799 since 2022-06-23\nopen: 2, more: 0\n",
    );
  });
});
