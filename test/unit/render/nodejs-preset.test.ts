import { describe, expect, it } from "vitest";
import { groupAgenda } from "../../../src/agenda/group-agenda.js";
import { itemsFrom, july21, nodejsSeries, visibleIssue } from "./series.js";

const ROWS = `| Timezone      | Date/Time             |
|---------------|-----------------------|
| US / Pacific  | Thu 21-Jul-2022 07:00 (07:00 AM) |
| US / Mountain | Thu 21-Jul-2022 08:00 (08:00 AM) |
| US / Central  | Thu 21-Jul-2022 09:00 (09:00 AM) |
| US / Eastern  | Thu 21-Jul-2022 10:00 (10:00 AM) |
| EU / Western  | Thu 21-Jul-2022 15:00 (03:00 PM) |
| EU / Central  | Thu 21-Jul-2022 16:00 (04:00 PM) |
| EU / Eastern  | Thu 21-Jul-2022 17:00 (05:00 PM) |
| Moscow        | Thu 21-Jul-2022 17:00 (05:00 PM) |
| Chennai       | Thu 21-Jul-2022 19:30 (07:30 PM) |
| Hangzhou      | Thu 21-Jul-2022 22:00 (10:00 PM) |
| Tokyo         | Thu 21-Jul-2022 23:00 (11:00 PM) |
| Sydney        | Fri 22-Jul-2022 00:00 (12:00 AM) |
`;

const AGENDA = `### nodejs/security-wg

* OpenJS Foundation Slack channel [#812](https://github.com/nodejs/security-wg/issues/812)
* Open discussion about VM module [#811](https://github.com/nodejs/security-wg/issues/811)
* Automatic check for dependencies' vulnerabilities in Node.js CI [#802](https://github.com/nodejs/security-wg/issues/802)
* Threat Model [#799](https://github.com/nodejs/security-wg/issues/799)
* Permission Model [#791](https://github.com/nodejs/security-wg/issues/791)
* What security guidance would be most useful for Node.js developers? [#488](https://github.com/nodejs/security-wg/issues/488)
`;

describe("nodejs preset: the 2022-07-21 Security WG meeting", () => {
  const { title, body } = visibleIssue(july21());

  it("has the real title", () => {
    expect(title).toBe("Node.js Security team Meeting 2022-07-21");
  });

  it("has the UTC line, the header and the 12 rows exactly", () => {
    expect(body).toContain("## Time\n\n**UTC Thu 21-Jul-2022 14:00 (02:00 PM)**:\n\n" + ROWS + "\nOr in your local time:\n");
  });

  it("has the local-time links exactly", () => {
    expect(body).toContain(
      "Or in your local time:\n" +
        "* https://www.timeanddate.com/worldclock/fixedtime.html?msg=Node.js+Foundation+Security%20team+Meeting+2022-07-21&iso=20220721T1400\n" +
        "* or https://www.wolframalpha.com/input/?i=02PM+UTC%2C+Jul+21%2C+2022+in+local+time\n",
    );
  });

  it("lists the agenda grouped, newest first", () => {
    expect(body).toContain(
      "## Agenda\n\nExtracted from **security-wg-agenda** labelled issues and pull requests from the **nodejs org** prior to the meeting.\n\n" +
        AGENDA +
        "\n## Invited\n",
    );
  });

  it("shows a missing minutes doc as a visible line, never a placeholder", () => {
    expect(body).toContain(
      "## Links\n\n* Minutes Google Doc: _not created yet_\n\n## Agenda",
    );
    expect(body).not.toMatch(/\$[A-Z_]+\$/);
  });

  it("links the minutes doc once it exists", () => {
    const withDoc = visibleIssue(july21({ docUrl: "https://docs.google.com/document/d/ID/edit" })).body;
    expect(withDoc).toContain(
      "## Links\n\n* Minutes Google Doc: <https://docs.google.com/document/d/ID/edit>\n\n## Agenda",
    );
  });

  it("renders the whole issue", () => {
    expect(body).toMatchInlineSnapshot(`
      "## Time

      **UTC Thu 21-Jul-2022 14:00 (02:00 PM)**:

      | Timezone      | Date/Time             |
      |---------------|-----------------------|
      | US / Pacific  | Thu 21-Jul-2022 07:00 (07:00 AM) |
      | US / Mountain | Thu 21-Jul-2022 08:00 (08:00 AM) |
      | US / Central  | Thu 21-Jul-2022 09:00 (09:00 AM) |
      | US / Eastern  | Thu 21-Jul-2022 10:00 (10:00 AM) |
      | EU / Western  | Thu 21-Jul-2022 15:00 (03:00 PM) |
      | EU / Central  | Thu 21-Jul-2022 16:00 (04:00 PM) |
      | EU / Eastern  | Thu 21-Jul-2022 17:00 (05:00 PM) |
      | Moscow        | Thu 21-Jul-2022 17:00 (05:00 PM) |
      | Chennai       | Thu 21-Jul-2022 19:30 (07:30 PM) |
      | Hangzhou      | Thu 21-Jul-2022 22:00 (10:00 PM) |
      | Tokyo         | Thu 21-Jul-2022 23:00 (11:00 PM) |
      | Sydney        | Fri 22-Jul-2022 00:00 (12:00 AM) |

      Or in your local time:
      * https://www.timeanddate.com/worldclock/fixedtime.html?msg=Node.js+Foundation+Security%20team+Meeting+2022-07-21&iso=20220721T1400
      * or https://www.wolframalpha.com/input/?i=02PM+UTC%2C+Jul+21%2C+2022+in+local+time
      * Add it to your calendar: [Google Calendar](https://calendar.google.com/calendar/render?action=TEMPLATE&text=Node.js%20Security%20team%20Meeting%202022-07-21&dates=20220721T140000Z%2F20220721T150000Z&ctz=America%2FNew_York)

      ## Links

      * Minutes Google Doc: _not created yet_

      ## Agenda

      Extracted from **security-wg-agenda** labelled issues and pull requests from the **nodejs org** prior to the meeting.

      ### nodejs/security-wg

      * OpenJS Foundation Slack channel [#812](https://github.com/nodejs/security-wg/issues/812)
      * Open discussion about VM module [#811](https://github.com/nodejs/security-wg/issues/811)
      * Automatic check for dependencies' vulnerabilities in Node.js CI [#802](https://github.com/nodejs/security-wg/issues/802)
      * Threat Model [#799](https://github.com/nodejs/security-wg/issues/799)
      * Permission Model [#791](https://github.com/nodejs/security-wg/issues/791)
      * What security guidance would be most useful for Node.js developers? [#488](https://github.com/nodejs/security-wg/issues/488)

      ## Invited

      * Security wg team: @nodejs/security-wg

      ### Observers/Guests

      ## Notes

      The agenda comes from issues labelled with \`security-wg-agenda\` across **all of the repositories in the nodejs org**. Please label any additional issues that should be on the agenda before the meeting starts.

      ## Joining the meeting

      * link for participants: <https://zoom.us/j/92309450775>
      * For those who just want to watch: We stream our conference call straight to YouTube so anyone can listen to it live, it should start playing at <https://www.youtube.com/c/nodejs+foundation/live> when we turn it on. There's usually a short cat-herding time at the start of the meeting and then occasionally we have some quick private business to attend to before we can start recording & streaming. So be patient and it should show up.

      ---

      **Invitees**

      Please use the following emoji reactions in this post to indicate your
      availability.

      * :+1: - Attending
      * :-1: - Not attending
      * :confused: - Not sure yet
      "
    `);
  });
});

describe("nodejs preset: other meetings", () => {
  it("goes straight from the Agenda text to Invited when nothing is labelled", () => {
    const { body } = visibleIssue(july21({ agenda: groupAgenda([]) }));
    expect(body).toContain("prior to the meeting.\n\n## Invited\n\n* Security wg team: @nodejs/security-wg\n\n### Observers/Guests\n\n## Notes\n");
  });

  it("reproduces issue nodejs/security-wg#1396 (2024-10-24, after Europe's but before the US' DST change)", () => {
    const { title, body } = visibleIssue(
      july21({
        occurrence: { start: new Date("2024-10-24T14:00:00Z"), zone: "America/New_York", date: "2024-10-24" },
        agenda: groupAgenda([
          {
            repository: "nodejs/node",
            number: 54364,
            title: "src: add WDAC integration (Windows)",
            url: "https://github.com/nodejs/node/pull/54364",
            kind: "pull_request",
          },
        ]),
        docUrl: "https://docs.google.com/document/d/ID/edit",
      }),
    );
    expect(title).toBe("Node.js Security team Meeting 2024-10-24");
    expect(body).toContain("**UTC Thu 24-Oct-2024 14:00 (02:00 PM)**:");
    expect(body).toContain("| US / Pacific  | Thu 24-Oct-2024 07:00 (07:00 AM) |");
    expect(body).toContain("| EU / Western  | Thu 24-Oct-2024 15:00 (03:00 PM) |");
    expect(body).toContain("| Sydney        | Fri 25-Oct-2024 01:00 (01:00 AM) |");
    expect(body).toContain(
      "* https://www.timeanddate.com/worldclock/fixedtime.html?msg=Node.js+Foundation+Security%20team+Meeting+2024-10-24&iso=20241024T1400\n" +
        "* or https://www.wolframalpha.com/input/?i=02PM+UTC%2C+Oct+24%2C+2024+in+local+time\n",
    );
    expect(body).toContain(
      "prior to the meeting.\n\n### nodejs/node\n\n* src: add WDAC integration (Windows) [#54364](https://github.com/nodejs/node/pull/54364)\n\n## Invited\n",
    );
    expect(body).toContain(
      "## Notes\n\nThe agenda comes from issues labelled with `security-wg-agenda` across **all of the repositories in the nodejs org**. Please label any additional issues that should be on the agenda before the meeting starts.\n\n## Joining the meeting\n\n",
    );
    expect(body.endsWith(
      "\n\n---\n\n**Invitees**\n\nPlease use the following emoji reactions in this post to indicate your\navailability.\n\n* :+1: - Attending\n* :-1: - Not attending\n* :confused: - Not sure yet\n",
    )).toBe(true);
  });

  it("handles the 2021-03-25 instant (US on summer time, Europe not yet)", () => {
    const { body } = visibleIssue(
      july21({ occurrence: { start: new Date("2021-03-25T14:00:00Z"), zone: "America/New_York", date: "2021-03-25" } }),
    );
    expect(body).toContain("| US / Pacific  | Thu 25-Mar-2021 07:00 (07:00 AM) |");
    expect(body).toContain("| EU / Western  | Thu 25-Mar-2021 14:00 (02:00 PM) |");
    expect(body).toContain("| Moscow        | Thu 25-Mar-2021 17:00 (05:00 PM) |");
    expect(body).toContain("| Sydney        | Fri 26-Mar-2021 01:00 (01:00 AM) |");
  });

  it("warns visibly when the search was truncated", () => {
    const { body } = visibleIssue(july21({ agenda: groupAgenda(itemsFrom("examples/agenda-2022-07-21.json"), true) }));
    expect(body).toContain("prior to the meeting.\n\n> [!WARNING]\n> GitHub's search returned only its first 1,000 results: this agenda is incomplete.\n\n### nodejs/security-wg\n");
  });

  it("lists observers under their heading", () => {
    const series = nodejsSeries();
    const { body } = visibleIssue(july21({ series: { ...series, issue: { ...series.issue, observers: ["Jane: @jane"] } } }));
    expect(body).toContain("### Observers/Guests\n\n* Jane: @jane\n\n## Notes\n");
  });
});
