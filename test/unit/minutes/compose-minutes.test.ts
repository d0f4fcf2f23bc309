import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { groupAgenda } from "../../../src/agenda/group-agenda.js";
import { type MinutesInput, composeMinutes } from "../../../src/minutes/compose-minutes.js";
import { renderMinutesDoc } from "../../../src/render/templates.js";
import { defaultSeries, july21, nodejsSeries } from "../render/series.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/minutes/${name}`, import.meta.url), "utf8");

// The links of the real 2022-07-21 meeting (examples/2022-07-21.md).
const ISSUE = "https://github.com/nodejs/security-wg/issues/813";
const DOC = "https://docs.google.com/document/d/1h5nVlBnSzEyOxOOWjO4Qm3Dd7Auo33IwdnPOAJOBIsM/edit";
const RECORDING = "https://www.youtube.com/watch?v=g4s439-Lfmw";

function nodejsInput(overrides: Partial<MinutesInput> = {}): MinutesInput {
  return {
    view: july21(),
    issueUrl: ISSUE,
    docUrl: DOC,
    recordingUrl: RECORDING,
    exported: fixture("nodejs-2022-07-21.export.md"),
    present: ["@octocat"],
    ...overrides,
  };
}

/** A line as it should survive: list markers normalised to `*`, trailing spaces gone. */
const comparable = (line: string) => line.replace(/^(\s*)[-+*](?=\s)/, "$1*").trimEnd();

describe("composeMinutes, nodejs preset", () => {
  it("turns the exported doc of 2022-07-21 into the expected minutes file", () => {
    expect(composeMinutes(nodejsInput())).toBe(fixture("nodejs-2022-07-21.expected.md"));
  });

  it("loses nothing the chair wrote", () => {
    const minutes = composeMinutes(nodejsInput()).split("\n");
    const owned = /^\* \*\*(Recording|GitHub Issue)\*\*:|^\s*\* \(notes\)$|^#{1,2} /;
    const written = fixture("nodejs-2022-07-21.export.md")
      .split("\n")
      .map(comparable)
      .filter((line) => line.trim() !== "" && !owned.test(line));
    expect(written.filter((line) => !minutes.includes(line))).toEqual([]);
  });

  it("keeps the sections the chair added, under their headings, before Upcoming Meetings", () => {
    const exported = fixture("nodejs-2022-07-21.export.md").replace(
      "## **Upcoming Meetings**",
      "# Decisions\n\n* Move to Slack\n\n## Q&A, Other\n\n* A second Q&A heading\n\n## **Upcoming Meetings**",
    );
    const minutes = composeMinutes(nodejsInput({ exported }));
    const headings = minutes.split("\n").filter((line) => line.startsWith("#"));
    expect(headings.filter((line) => /^#{1,2} /.test(line))).toEqual([
      "# Node.js Security team Meeting 2022-07-21",
      "## Links",
      "## Present",
      "## Agenda",
      "## Announcements",
      "## Q&A, Other",
      "## Action items",
      "## Decisions",
      "## Q&A, Other",
      "## Upcoming Meetings",
    ]);
    expect(minutes).toContain("## Decisions\n\n* Move to Slack\n\n## Q&A, Other\n\n* A second Q&A heading\n\n## Upcoming Meetings");
  });

  it("without a doc: the agenda with an empty notes bullet per item, Present from the 👍 reactions", () => {
    const minutes = composeMinutes(nodejsInput({ docUrl: null, exported: null, recordingUrl: null, present: ["@octocat", " @hubot "] }));
    expect(minutes).toBe(`# Node.js Security team Meeting 2022-07-21

## Links

* **Recording**: This meeting has no published recording.
* **GitHub Issue**: ${ISSUE}

## Present

* Security wg team: @nodejs/security-wg
* @octocat
* @hubot

## Agenda

## Announcements

*Extracted from **security-wg-agenda** labelled issues and pull requests from the **nodejs org** prior to the meeting.

### nodejs/security-wg

* OpenJS Foundation Slack channel [#812](https://github.com/nodejs/security-wg/issues/812)
  * <!-- notes -->
* Open discussion about VM module [#811](https://github.com/nodejs/security-wg/issues/811)
  * <!-- notes -->
* Automatic check for dependencies' vulnerabilities in Node.js CI [#802](https://github.com/nodejs/security-wg/issues/802)
  * <!-- notes -->
* Threat Model [#799](https://github.com/nodejs/security-wg/issues/799)
  * <!-- notes -->
* Permission Model [#791](https://github.com/nodejs/security-wg/issues/791)
  * <!-- notes -->
* What security guidance would be most useful for Node.js developers? [#488](https://github.com/nodejs/security-wg/issues/488)
  * <!-- notes -->

## Q&A, Other

## Upcoming Meetings

* **Node.js Project Calendar**: <https://nodejs.org/calendar>

Click \`+GoogleCalendar\` at the bottom right to add to your own Google calendar.
`);
  });

  it("takes Present from the 👍 reactions when nobody filled it in the doc", () => {
    const doc = renderMinutesDoc(july21({ issueUrl: ISSUE })).markdown;
    const minutes = composeMinutes(nodejsInput({ exported: doc, present: ["@octocat"] }));
    expect(minutes).toContain("## Present\n\n* Security wg team: @nodejs/security-wg\n* @octocat\n\n## Agenda");
    // The untouched prompts of the doc are gone, the items stay.
    expect(minutes).not.toMatch(/\(notes\)|Name: @handle|not published yet/);
    expect(minutes).toContain("* Permission Model [#791](https://github.com/nodejs/security-wg/issues/791)\n* What security");
  });

  it("uses a recording pasted in the doc when /minutes gave none; the command's URL wins otherwise", () => {
    const exported = fixture("nodejs-2022-07-21.export.md").replace(
      "not published yet (paste the link here, or give it to `/minutes <url>`)",
      "[https://youtu.be/fromTheDoc](https://youtu.be/fromTheDoc).",
    );
    expect(composeMinutes(nodejsInput({ exported, recordingUrl: null }))).toContain(
      `## Links\n\n* **Recording**: https://youtu.be/fromTheDoc\n* **GitHub Issue**: ${ISSUE}\n`,
    );
    const minutes = composeMinutes(nodejsInput({ exported }));
    expect(minutes).toContain(`* **Recording**: ${RECORDING}\n`);
    expect(minutes).not.toContain("fromTheDoc");
  });

  it("keeps what the chair wrote in the Recording line when it is not a link", () => {
    const exported = fixture("nodejs-2022-07-21.export.md").replace(
      "not published yet (paste the link here, or give it to `/minutes <url>`)",
      "the stream failed; audio only, ask @mhdawson",
    );
    expect(composeMinutes(nodejsInput({ exported, recordingUrl: null }))).toContain(
      "* **Recording**: the stream failed; audio only, ask @mhdawson\n* **GitHub Issue**",
    );
  });

  it("fills the old Node.js doc template's placeholders and never renders notes as a template", () => {
    const exported = fixture("nodejs-2022-07-21.export.md").replace(
      "* Michael asked",
      "* Issue: \\$GITHUB\\_ISSUE\\$, doc: $MINUTES_DOC$, template syntax: `{{date}}`\n* Michael asked",
    );
    const minutes = composeMinutes(nodejsInput({ exported }));
    expect(minutes).toContain(`* Issue: ${ISSUE}, doc: ${DOC}, template syntax: \`{{date}}\`\n`);
    expect(minutes).not.toMatch(/\$[A-Z_]+\$/);
  });

  it("renders standing items and a search with no results", () => {
    const series = nodejsSeries();
    series.minutes.standing = ["Vulnerability review - https://github.com/nodejs/security-wg/issues?q=label%3Avuln"];
    const minutes = composeMinutes(
      nodejsInput({ view: { ...july21(), series, agenda: groupAgenda([]) }, exported: null, docUrl: null, recordingUrl: null, present: [] }),
    );
    expect(minutes).toContain(
      "prior to the meeting.\n\n* [ ] Vulnerability review - https://github.com/nodejs/security-wg/issues?q=label%3Avuln\n\n## Q&A, Other",
    );
    expect(minutes).toContain("## Present\n\n* Security wg team: @nodejs/security-wg\n\n## Agenda");
  });

  it("refuses a recording URL that is not http(s)", () => {
    expect(() => composeMinutes(nodejsInput({ recordingUrl: "javascript:alert(1)" }))).toThrow("not an http(s) URL");
  });
});

describe("composeMinutes, default preset", () => {
  const view = () => july21({ series: defaultSeries(), issueUrl: ISSUE });
  const input = (exported: string | null, overrides: Partial<MinutesInput> = {}): MinutesInput => ({
    view: view(),
    issueUrl: ISSUE,
    docUrl: exported === null ? null : DOC,
    recordingUrl: null,
    exported,
    present: ["@octocat"],
    ...overrides,
  });

  it("fills the default template from its doc", () => {
    const doc = renderMinutesDoc(view())
      .markdown.replace("* Name: @handle", "* Ada Lovelace: @ada\n* Grace Hopper: @grace")
      .replace(
        "### Threat Model ([nodejs/security-wg#799](https://github.com/nodejs/security-wg/issues/799))\n\n* (notes)",
        "### Threat Model ([nodejs/security-wg#799](https://github.com/nodejs/security-wg/issues/799))\n\n* Agreed on the outline\n  * Ada drafts it",
      )
      .replace("## Other business", "## Other business\n\n* Next meeting moves to Wednesday")
      .replace("## Action items", "## Parking lot\n\n* Logo\n\n## Action items\n\n* [ ] @ada: draft");
    expect(composeMinutes(input(doc, { recordingUrl: RECORDING }))).toBe(`# Example Tooling group Meeting 2022-07-21

* **When**: Thu 21-Jul-2022 14:00 (02:00 PM) UTC (2022-07-21, America/New_York)
* **Recording**: ${RECORDING}
* **GitHub Issue**: ${ISSUE}
* **Minutes Google Doc**: ${DOC}

## Present

* Tooling team: @example/tooling
* Ada Lovelace: @ada
* Grace Hopper: @grace

## Agenda

### OpenJS Foundation Slack channel ([nodejs/security-wg#812](https://github.com/nodejs/security-wg/issues/812))

### Open discussion about VM module ([nodejs/security-wg#811](https://github.com/nodejs/security-wg/issues/811))

### Automatic check for dependencies' vulnerabilities in Node.js CI ([nodejs/security-wg#802](https://github.com/nodejs/security-wg/issues/802))

### Threat Model ([nodejs/security-wg#799](https://github.com/nodejs/security-wg/issues/799))

* Agreed on the outline
  * Ada drafts it

### Permission Model ([nodejs/security-wg#791](https://github.com/nodejs/security-wg/issues/791))

### What security guidance would be most useful for Node.js developers? ([nodejs/security-wg#488](https://github.com/nodejs/security-wg/issues/488))

## Other business

* Next meeting moves to Wednesday

## Parking lot

* Logo

## Action items

* [ ] @ada: draft
`);
  });

  it("without a doc: each agenda item with an empty notes bullet, Present from reactions", () => {
    const minutes = composeMinutes(input(null));
    expect(minutes).toContain("* **Recording**: This meeting has no published recording.\n* **GitHub Issue**: " + ISSUE + "\n\n## Present");
    expect(minutes).not.toContain("Minutes Google Doc");
    expect(minutes).toContain("## Present\n\n* Tooling team: @example/tooling\n* @octocat\n");
    expect(minutes).toContain("### Threat Model ([nodejs/security-wg#799](https://github.com/nodejs/security-wg/issues/799))\n\n* <!-- notes -->\n");
    expect(minutes).toMatch(/## Other business\n\n## Action items\n$/);
  });

  it("keeps lines the chair added to the header", () => {
    const doc = renderMinutesDoc(view()).markdown.replace("## Present", "* **Slides**: <https://slides.example/1>\n\n## Present");
    expect(composeMinutes(input(doc))).toContain(`* **Minutes Google Doc**: ${DOC}\n* **Slides**: <https://slides.example/1>\n\n## Present`);
  });

  it("says so when nothing was labelled", () => {
    const minutes = composeMinutes({ ...input(null), view: { ...view(), agenda: groupAgenda([]) } });
    expect(minutes).toContain("## Agenda\n\nNothing was labelled **tooling-agenda** for this meeting.\n\n## Other business");
  });
});

describe("composeMinutes output", () => {
  it.each([
    ["nodejs with doc", () => composeMinutes(nodejsInput())],
    ["nodejs without doc", () => composeMinutes(nodejsInput({ exported: null, docUrl: null, recordingUrl: null }))],
    ["default without doc", () => composeMinutes({ ...nodejsInput({ exported: null, docUrl: null }), view: july21({ series: defaultSeries() }) })],
  ])("%s: no placeholder, no template syntax, one trailing newline", (_, compose) => {
    const minutes = compose();
    expect(minutes).not.toMatch(/\$[A-Z_]+\$|\{\{|\}\}/);
    expect(minutes).toMatch(/[^\n]\n$/);
    expect(minutes).not.toMatch(/\n\n\n| +\n/);
  });
});
