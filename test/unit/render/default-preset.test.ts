import { describe, expect, it } from "vitest";
import { groupAgenda } from "../../../src/agenda/group-agenda.js";
import { renderTitle } from "../../../src/render/templates.js";
import type { MeetingView } from "../../../src/render/types.js";
import { defaultSeries, visibleIssue } from "./series.js";

function view(overrides: Partial<MeetingView> = {}): MeetingView {
  return {
    series: defaultSeries(),
    // 16:00 Berlin in summer time is 14:00 UTC.
    occurrence: { start: new Date("2024-10-22T14:00:00Z"), zone: "Europe/Berlin", date: "2024-10-22" },
    agenda: groupAgenda([
      { repository: "other/tools", number: 5, title: "Release v2?", url: "https://github.com/other/tools/issues/5", kind: "issue" },
      { repository: "example/cli", number: 41, title: "feat: add `--json` output", url: "https://github.com/example/cli/pull/41", kind: "pull_request" },
      { repository: "example/cli", number: 39, title: "Docs for [beta] flags", url: "https://github.com/example/cli/issues/39", kind: "issue" },
    ]),
    docUrl: "https://docs.google.com/document/d/DOC/edit",
    issueUrl: null,
    ...overrides,
  };
}

describe("default preset", () => {
  it("renders the whole issue", () => {
    const { title, body } = visibleIssue(view());
    expect(title).toBe("Example Tooling group Meeting 2024-10-22");
    expect(body).toMatchInlineSnapshot(`
      "## Time

      **Tue 22-Oct-2024 14:00 (02:00 PM) UTC**

      | Time zone | Date/Time |
      | --------- | --------- |
      | UTC           | Tue 22-Oct-2024 14:00 (02:00 PM) |
      | US Pacific    | Tue 22-Oct-2024 07:00 (07:00 AM) |
      | US Eastern    | Tue 22-Oct-2024 10:00 (10:00 AM) |
      | London        | Tue 22-Oct-2024 15:00 (03:00 PM) |
      | Berlin        | Tue 22-Oct-2024 16:00 (04:00 PM) |
      | India         | Tue 22-Oct-2024 19:30 (07:30 PM) |
      | China         | Tue 22-Oct-2024 22:00 (10:00 PM) |
      | Tokyo         | Tue 22-Oct-2024 23:00 (11:00 PM) |
      | Sydney        | Wed 23-Oct-2024 01:00 (01:00 AM) |

      In your own time zone: [timeanddate.com](https://www.timeanddate.com/worldclock/fixedtime.html?msg=Example+Tooling+group+Meeting+2024-10-22&iso=20241022T1400) or [Wolfram Alpha](https://www.wolframalpha.com/input/?i=02PM+UTC%2C+Oct+22%2C+2024+in+local+time).
      Add it to your calendar: [Google Calendar](https://calendar.google.com/calendar/render?action=TEMPLATE&text=Example%20Tooling%20group%20Meeting%202024-10-22&dates=20241022T140000Z%2F20241022T150000Z&ctz=Europe%2FBerlin)

      ## Links

      * Minutes doc: <https://docs.google.com/document/d/DOC/edit>
      * Minutes will be committed to \`meetings/2024-10-22.md\`

      ## Agenda

      Open issues and pull requests labelled **tooling-agenda** in the **example org and the other/tools repository**, newest first.

      ### example/cli

      * PR: feat: add \`--json\` output [#41](https://github.com/example/cli/pull/41)
      * Docs for \\[beta\\] flags [#39](https://github.com/example/cli/issues/39)

      ### other/tools

      * Release v2? [#5](https://github.com/other/tools/issues/5)

      ## Invited

      * Tooling team: @example/tooling

      ## Joining the meeting

      * Call: <https://meet.example/abc>

      ---

      **RSVP**: please react to this issue to show whether you can make it:

      * :+1: - Attending
      * :-1: - Not attending
      * :confused: - Not sure yet
      "
    `);
  });

  it("says so when nothing is labelled, and when the doc does not exist yet", () => {
    const { body } = visibleIssue(view({ agenda: groupAgenda([]), docUrl: null }));
    expect(body).toContain("* Minutes doc: _not created yet_\n");
    expect(body).toContain("_Nothing is labelled yet._ Add the `tooling-agenda` label");
    expect(body).not.toMatch(/\$[A-Z_]+\$/);
  });

  it("has no doc line for a series without a minutes doc", () => {
    const { body } = visibleIssue(view({ series: defaultSeries({ minutes: { doc: "none" } }), docUrl: null }));
    expect(body).not.toContain("Minutes doc");
    expect(body).toContain("* Minutes will be committed to `meetings/2024-10-22.md`\n");
  });

  it("shows a visible warning when the agenda is truncated", () => {
    const { body } = visibleIssue(view({ agenda: groupAgenda([], true) }));
    expect(body).toContain("> [!WARNING]\n> GitHub's search returned only its first 1,000 results: this agenda is incomplete.");
  });

  it("uses the configured time zones", () => {
    const { body } = visibleIssue(
      view({ series: defaultSeries({ timezones: [{ label: "Kathmandu | Nepal", zone: "Asia/Kathmandu" }, { label: "UTC", zone: "UTC" }] }) }),
    );
    expect(body).toContain("| Kathmandu \\| Nepal | Tue 22-Oct-2024 19:45 (07:45 PM) |\n| UTC                | Tue 22-Oct-2024 14:00 (02:00 PM) |\n");
  });

  it("puts minutes into the Wolfram Alpha link when the meeting is not on the hour", () => {
    const { body } = visibleIssue(view({ occurrence: { start: new Date("2024-10-22T14:30:00Z"), zone: "Europe/Berlin", date: "2024-10-22" } }));
    expect(body).toContain("https://www.wolframalpha.com/input/?i=02%3A30PM+UTC%2C+Oct+22%2C+2024+in+local+time");
  });
});

describe("renderTitle", () => {
  const occurrence = { start: new Date("2024-10-22T14:00:00Z"), zone: "Europe/Berlin", date: "2024-10-22" };

  it("does not leave a double or leading space for an empty host", () => {
    expect(renderTitle({ series: defaultSeries({ host: "" }), occurrence })).toBe("Tooling group Meeting 2024-10-22");
  });

  it("follows issue.title and collapses whitespace", () => {
    const series = defaultSeries({ issue: { title: "  [{{id}}]   {{name}}\n— {{date}} " } });
    expect(renderTitle({ series, occurrence })).toBe("[tooling] Tooling group — 2024-10-22");
  });

  it("refuses a title that renders empty, or one naming an unknown field", () => {
    expect(() => renderTitle({ series: defaultSeries({ host: "", issue: { title: "{{host}}" } }), occurrence })).toThrow(/empty title/);
    expect(() => renderTitle({ series: defaultSeries({ issue: { title: "{{group}} {{date}}" } }), occurrence })).toThrow(
      /template issue\.title: line 1, column 3: unknown field "group"/,
    );
  });
});
