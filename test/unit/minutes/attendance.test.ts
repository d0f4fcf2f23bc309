import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type Attendee, MAX_ATTENDEES, type MeetingAttendance, attendanceSummary, parseAttendance, quorum } from "../../../src/minutes/attendance.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/minutes/${name}`, import.meta.url), "utf8");
/** Attendees as `[name, login, email]`. */
const people = (markdown: string) => parseAttendance(markdown).attendees.map((a) => [a.name, a.login, a.email]);
const present = (...lines: string[]) => people(["# M", "", "## Present", "", ...lines, "", "## Agenda", "", "* Not: @present"].join("\n"));

describe("parseAttendance", () => {
  it("reads every real Present form of the hand-written Node.js minutes", () => {
    const result = parseAttendance(fixture("loop/present-forms.md"));
    expect(result.attendees.map((a) => [a.name, a.login, a.email, a.line])).toEqual([
      ["Rafael Gonzaga", "RafaelGSS", null, 10],
      ["Bradley Farias", "bmeck", null, 11],
      // Named by the later `[Michael Dawson](https://github.com/mhdawson)` line.
      ["Michael Dawson", "mhdawson", null, 12],
      ["Vladimir de Turckheim", "vdeturckheim", null, 13],
      ["Liran Tal", "lirantal", null, 14],
      ["Marcos Bérgamo", null, "marcos@example.com", 15],
      // A line that lost its bullet.
      ["Matteo Collina", "mcollina", null, 16],
      ["Ulises Gascón", null, "ulises@example.org", 17],
      // The prompt and the struck-through name are skipped.
      ["Jane Doe (Example Corp)", null, null, 24],
      [null, "guest-one", null, 25],
      [null, "guest-two", null, 25],
    ]);
    expect(result.teams).toEqual(["nodejs/security-wg"]);
    expect(result.found).toBe(true);
    expect(result.attendees[0]?.raw).toBe("Rafael Gonzaga: @RafaelGSS");
  });

  it("reads the Google export's Present: bold heading, non-breaking spaces, trailing spaces, an e-mail", () => {
    expect(people(fixture("loop/nodejs-2026-11-26.export.md"))).toEqual([
      ["Rafael Gonzaga", "RafaelGSS", null],
      ["Marco Ippolito", "marco-ippolito", null],
      [null, "ulisesgascon", null],
      ["Michael Dawson", null, "michael.dawson@example.com"],
      ["Thomas Gentilhomme", "fraxken", null],
    ]);
  });

  it("reads the committed 2022-07-21 minutes", () => {
    const logins = ["rafaelgss", "ulisesgascon", "mhdawson", "facutuesca", "naugtur", "fraxken"];
    expect(parseAttendance(fixture("nodejs-2022-07-21.expected.md")).attendees.map((a) => a.login)).toEqual(logins);
    expect(parseAttendance(fixture("nodejs-2022-07-21.export.md")).attendees.map((a) => a.login)).toEqual(logins);
  });

  it.each([
    ["* Ada Lovelace: @ada", "Ada Lovelace", "ada", null],
    ["* Ada Lovelace (@ada)", "Ada Lovelace", "ada", null],
    ["* Ada Lovelace - @ada", "Ada Lovelace", "ada", null],
    ["* Ada Lovelace – @ada", "Ada Lovelace", "ada", null],
    ["* Ada Lovelace @ada", "Ada Lovelace", "ada", null],
    ["* @ada (Ada Lovelace)", "Ada Lovelace", "ada", null],
    ["* @ada", null, "ada", null],
    ["* ada", null, "ada", null],
    ["* **Ada Lovelace**: @ada", "Ada Lovelace", "ada", null],
    ["* [Ada Lovelace](https://github.com/ada)", "Ada Lovelace", "ada", null],
    ["* [@ada](https://github.com/ada)", null, "ada", null],
    ["* Ada Lovelace: https://github.com/ada", "Ada Lovelace", "ada", null],
    ["* Ada Lovelace: ada@example.com", "Ada Lovelace", null, "ada@example.com"],
    ["* Ada Lovelace <ada@example.com>", "Ada Lovelace", null, "ada@example.com"],
    ["* [Ada Lovelace](mailto:ada@example.com)", "Ada Lovelace", null, "ada@example.com"],
    ["* ada@example.com", null, null, "ada@example.com"],
    ["* Ada Lovelace", "Ada Lovelace", null, null],
    ["* Ada Lovelace (Analytical Engines): @ada", "Ada Lovelace (Analytical Engines)", "ada", null],
    ["* Ada Lovelace: @ada (joined late)", "Ada Lovelace (joined late)", "ada", null],
    ["1. Ada Lovelace: @ada", "Ada Lovelace", "ada", null],
    ["- Ada\u00A0Lovelace:\u00A0@ada  ", "Ada Lovelace", "ada", null],
    ["+ Ada Lovelace: \\@ada", "Ada Lovelace", "ada", null],
    ["Ada Lovelace: @ada", "Ada Lovelace", "ada", null],
    ["* Ada Lovelace: @ada_x", "Ada Lovelace: @ada_x", null, null],
  ])("%j", (line, name, login, email) => {
    expect(present(line)).toEqual([[name, login, email]]);
  });

  it("keeps teams apart from people", () => {
    const result = parseAttendance("## Present\n\n* Security wg team: @nodejs/security-wg\n* @nodejs/tsc\n* Ada (@ada), for @nodejs/tsc");
    expect(result.teams).toEqual(["nodejs/security-wg", "nodejs/tsc"]);
    // `Ada (@ada), for @nodejs/tsc` names two handles: it is split into Ada and the team.
    expect(result.attendees.map((a) => [a.name, a.login])).toEqual([["Ada", "ada"]]);
  });

  it("splits lines holding several people, but not one person's name and affiliation", () => {
    expect(present("* @ada, @grace; @linus", "Alan Turing, Barbara Liskov", "* Hopper, Grace: @grace", "* Ken Thompson (Bell Labs, Google): @ken")).toEqual([
      [null, "ada", null],
      // `Hopper, Grace: @grace` is one person (one handle), who names the earlier `@grace`.
      ["Hopper, Grace", "grace", null],
      [null, "linus", null],
      ["Alan Turing", null, null],
      ["Barbara Liskov", null, null],
      ["Ken Thompson (Bell Labs, Google)", "ken", null],
    ]);
  });

  it("skips the template prompt, labels, None and struck-through names, and reads each person once", () => {
    expect(present("* Name: @handle", "* Guests:", "**Members**", "* None", "* ~~Sam: @sam~~", "* @ada", "* Ada Lovelace: @ADA", "* (notes)")).toEqual([["Ada Lovelace", "ada", null]]);
  });

  it.each([
    ["## Attendees", "## Attendees\n\n* @ada\n\n## Notes\n\n* @nope"],
    ["### Attendance:", "# T\n\n### Attendance:\n\n- @ada"],
    ["## **In attendance**", "## **In attendance**\n\n* @ada"],
    ["## Participants", "## Participants\n\n* @ada"],
    ["## Present (1)", "## Present (1)\n\n* @ada"],
    ["a Present: label with the list under it", "**Present:**\n\n* @ada\n\nNext paragraph @nope"],
    ["an inline Present: list", "Present: @ada"],
    ["an inline bold Attendees list", "* **Attendees**: Ada Lovelace (@ada)"],
    ["Present with sub-headings", "## Present\n\n### Members\n\n* @ada\n\n## Agenda\n\n* @nope"],
  ])("finds the section as %s", (_form, markdown) => {
    expect(parseAttendance(markdown).attendees.map((a) => a.login)).toEqual(["ada"]);
  });

  it("reads an inline list of several people", () => {
    expect(people("Attendees: Ada Lovelace (@ada), @grace, Linus Torvalds <linus@example.com>")).toEqual([
      ["Ada Lovelace", "ada", null],
      [null, "grace", null],
      ["Linus Torvalds", null, "linus@example.com"],
    ]);
  });

  it("says when the minutes have no Present section at all", () => {
    expect(parseAttendance("# T\n\n## Notes\n\n* @ada: hello")).toEqual({ attendees: [], teams: [], found: false, omitted: 0, truncated: false });
    expect(parseAttendance("## Present\n\n## Notes").found).toBe(true);
  });

  it(`returns ${MAX_ATTENDEES} attendees and counts the rest as omitted`, () => {
    const lines = Array.from({ length: MAX_ATTENDEES + 2 }, (_, i) => `* @user${i}`);
    const result = parseAttendance(`## Present\n\n${lines.join("\n")}`);
    expect(result.attendees).toHaveLength(MAX_ATTENDEES);
    expect(result.omitted).toBe(2);
  });
});

const person = (login: string | null, name: string | null = null, email: string | null = null): Attendee => ({ name, login, email, raw: login ?? name ?? email ?? "", line: 1 });
const meeting = (date: string, ...logins: string[]): MeetingAttendance => ({ date, attendees: logins.map((login) => person(login)) });

describe("attendanceSummary", () => {
  const meetings = [
    meeting("2026-10-29", "ada", "grace"),
    meeting("2026-11-26", "ada", "guest"),
    meeting("2026-11-12", "ada", "grace", "guest"),
    meeting("2026-10-15", "linus"),
    { date: "2026-10-01", attendees: [person(null, "Linus Torvalds"), person(null, null, "ADA@example.com")] },
  ];

  it("counts each member over the last N meetings, newest first, with the guests apart", () => {
    expect(attendanceSummary(meetings, ["ada", "@Grace", "linus"], 3)).toEqual({
      meetings: ["2026-11-26", "2026-11-12", "2026-10-29"],
      members: [
        { login: "ada", attended: 3, of: 3, dates: ["2026-11-26", "2026-11-12", "2026-10-29"], missed: [], lastAttended: "2026-11-26" },
        { login: "Grace", attended: 2, of: 3, dates: ["2026-11-12", "2026-10-29"], missed: ["2026-11-26"], lastAttended: "2026-11-12" },
        { login: "linus", attended: 0, of: 3, dates: [], missed: ["2026-11-26", "2026-11-12", "2026-10-29"], lastAttended: null },
      ],
      others: [{ who: "@guest", attended: 2 }],
    });
  });

  it("matches hand-written minutes by a member's known names and e-mails", () => {
    const summary = attendanceSummary(meetings, [{ login: "linus", names: ["Linus  Torvalds"] }, { login: "ada", emails: ["ada@example.com"] }], 10);
    expect(summary.members.map((m) => [m.login, m.attended, m.of])).toEqual([
      ["linus", 2, 5],
      ["ada", 4, 5],
    ]);
    expect(summary.others).toEqual([
      { who: "@grace", attended: 2 },
      { who: "@guest", attended: 2 },
    ]);
  });

  it("counts fewer meetings when there are fewer than N", () => {
    expect(attendanceSummary([meeting("2026-11-26", "ada")], ["ada"], 5).members[0]).toMatchObject({ attended: 1, of: 1 });
  });

  it.each([0, -1, 1.5, Number.NaN])("refuses lastN = %s", (lastN) => {
    expect(() => attendanceSummary(meetings, ["ada"], lastN)).toThrow(RangeError);
  });
});

describe("quorum", () => {
  const members = ["ada", "grace", "linus", "ken", "barbara", "alan"];
  const history = [meeting("2026-11-12", "ada", "grace"), meeting("2026-10-29", "ada", "linus"), meeting("2026-10-15", "ken"), meeting("2026-10-01", "barbara")];

  it("counts only members active in the window: two of the three active is a majority", () => {
    expect(quorum({ members, ratio: 0.5, window: 2 }, meeting("2026-11-26", "ada", "grace"), history)).toEqual({
      quorate: true,
      present: ["ada", "grace"],
      counted: ["ada", "grace", "linus"],
      inactive: ["ken", "barbara", "alan"],
      needed: 2,
      basis: "recent",
    });
  });

  it("is not quorate when too few of the active members came", () => {
    expect(quorum({ members, ratio: 0.75, window: 2 }, meeting("2026-11-26", "ada", "grace"), history)).toMatchObject({ quorate: false, needed: 3 });
  });

  it("counts a returning member: being at this meeting makes them active", () => {
    expect(quorum({ members, ratio: 0.5, window: 2 }, meeting("2026-11-26", "ada", "ken"), history)).toMatchObject({
      quorate: true,
      present: ["ada", "ken"],
      counted: ["ada", "grace", "linus", "ken"],
      needed: 2,
    });
  });

  it("counts every member while the history is shorter than the window, or with window 0", () => {
    const now = meeting("2026-11-26", "ada", "grace", "linus");
    expect(quorum({ members, ratio: 0.5, window: 10 }, now, history)).toMatchObject({ quorate: true, counted: members, inactive: [], needed: 3, basis: "all" });
    expect(quorum({ members, ratio: 0.5, window: 0 }, now, history)).toMatchObject({ counted: members, needed: 3, basis: "all" });
    expect(quorum({ members, ratio: 0.51, window: 0 }, now, history)).toMatchObject({ quorate: false, needed: 4 });
  });

  it("uses only meetings before this one, whatever order they come in", () => {
    const later = meeting("2026-12-10", "ken", "barbara", "alan");
    const result = quorum({ members, ratio: 0.5, window: 1 }, meeting("2026-11-26", "ada"), [later, ...history]);
    expect(result.counted).toEqual(["ada", "grace"]);
  });

  it("needs at least one member present", () => {
    expect(quorum({ members, ratio: 0.01, window: 0 }, meeting("2026-11-26", "guest"), [])).toMatchObject({ quorate: false, present: [], needed: 1 });
    expect(quorum({ members: [], ratio: 0.5, window: 0 }, meeting("2026-11-26", "ada"), [])).toMatchObject({ quorate: false, counted: [] });
  });

  it.each([
    [{ ratio: 0, window: 1 }, "ratio"],
    [{ ratio: 1.5, window: 1 }, "ratio"],
    [{ ratio: 0.5, window: -1 }, "window"],
    [{ ratio: 0.5, window: 0.5 }, "window"],
  ])("refuses %j", (rule, field) => {
    expect(() => quorum({ members, ...rule }, meeting("2026-11-26", "ada"), [])).toThrow(new RegExp(field));
  });
});

describe("docs/templates.md", () => {
  it("reads the Present examples as the docs describe them", () => {
    const docs = readFileSync(new URL("../../../docs/templates.md", import.meta.url), "utf8");
    const section = docs.split(/^### /m).find((part) => part.startsWith("Present\n")) ?? "";
    const block = /```md\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
    const inline = /or inline: `([^`]+)`/.exec(section)?.[1] ?? "";
    const result = parseAttendance(block);
    expect(result.teams).toEqual(["nodejs/security-wg"]);
    expect(result.attendees.map((a) => [a.name, a.login, a.email])).toEqual([
      ["Rafael Gonzaga", "RafaelGSS", null],
      ["Bradley Farias", "bmeck", null],
      ["Vladimir de Turckheim", "vdeturckheim", null],
      ["Liran Tal", "lirantal", null],
      ["Michael Dawson", "mhdawson", null],
      ["Marcos Bérgamo", null, "marcos@example.com"],
      ["Ulises Gascón", null, "ulises@example.org"],
      ["Matteo Collina", "mcollina", null],
    ]);
    expect(people(inline)).toEqual([
      ["Ada Lovelace", "ada", null],
      [null, "grace", null],
      ["Linus Torvalds", null, "linus@example.com"],
    ]);
  });
});
