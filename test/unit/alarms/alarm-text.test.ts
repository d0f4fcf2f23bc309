import { describe, expect, it } from "vitest";
import { alarmCauseOf, alarmText } from "../../../src/alarms/alarm-text.js";
import { configAlarm, failureKind, seriesFailureAlarm } from "../../../src/alarms/causes.js";
import { codeSpan, inlineText, redactSecrets } from "../../../src/alarms/markdown.js";
import { parseAlarmMarker } from "../../../src/state/alarm-marker.js";
import { parseConfigText } from "../../../src/config/load-config.js";
import { TemplateError } from "../../../src/render/renderer.js";
import { defaultSeries } from "../render/series.js";

const REPO = "acme/tsc";
const NOW = new Date("2026-11-30T17:00:00Z");
const MEETING = new Date("2026-12-02T16:00:00Z");
const SECRET = "ghs_abcdefghijklmnopqrstuvwxyz0123456789";

/** An error shaped like Octokit's RequestError, token and response body included. */
function httpError(status: number, method: string, url: string, message: string) {
  return Object.assign(new Error(message), {
    name: "HttpError",
    status,
    request: { method, url, headers: { authorization: `token ${SECRET}` } },
    response: { status, url, headers: {}, data: { message, secret: "RAW-BODY-SECRET" } },
  });
}

const GITHUB = "https://github.com";
const GHE = "https://ghe.example.test";

const context = (meetingStart: Date | undefined = MEETING) => ({
  webUrl: GITHUB,
  repository: REPO,
  defaultBranch: "main",
  series: defaultSeries(),
  now: NOW,
  meetingStart,
});

function render(content: ReturnType<typeof seriesFailureAlarm>) {
  if (!content) throw new Error("expected an alarm");
  return alarmText(content);
}

function expectPublicSafe(text: string) {
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain("RAW-BODY-SECRET");
  expect(text).not.toMatch(/@[A-Za-z0-9]/); // nobody is mentioned
}

describe("alarm texts", () => {
  it("a config alarm lists every error with its line, linked to the file on the default branch", () => {
    const parsed = parseConfigText(
      "meetings:\n  - id: tsc\n    name: TSC\n    schedule:\n      rrule: FREQ=WEEKLY\n      start: 2026-01-07T16:00\n      zone: Mars/Olympus\n    agendaa: {}\n",
    );
    if (parsed.ok) throw new Error("expected errors");
    const { title, body } = alarmText(configAlarm({ webUrl: GITHUB, repository: REPO, defaultBranch: "trunk", errors: parsed.errors }));

    expect(title).toBe("wg-meetings cannot read .github/meetings.yml: no meeting opens");
    const file = "https://github.com/acme/tsc/blob/trunk/.github/meetings.yml";
    expect(body).toContain(`[\`.github/meetings.yml\`](${file}) on \`trunk\` is not valid`);
    for (const error of parsed.errors) {
      if (error.line !== null) expect(body).toContain(`[Line ${error.line}](${file}#L${error.line})`);
    }
    expect(body).toContain("[Line 7](https://github.com/acme/tsc/blob/trunk/.github/meetings.yml#L7), `meetings[0].schedule.zone`: unknown time zone");
    expect(body).toContain("`npx wg-meetings validate .github/meetings.yml`");
    expect(parseAlarmMarker(body)).toEqual({ v: 1, scope: "config" });
    expect(body.trimEnd().endsWith('<!-- wg-meetings:alarm {"v":1,"scope":"config"} -->')).toBe(true);
  });

  it("a 403 while claiming names the series, the step, the permission and where to grant it, and no secret", () => {
    const error = httpError(
      403,
      "POST",
      "https://api.github.com/repos/acme/tsc/git/refs",
      "Resource not accessible by integration - https://docs.github.com/rest/git/refs#create-a-reference",
    );
    expect(failureKind(error, { meetingStart: MEETING })).toBe("permission");
    const { title, body } = render(seriesFailureAlarm(error, context()));

    expect(title).toBe("wg-meetings cannot open the tooling meeting");
    expect(body).toContain("the next meeting of **Tooling group** (`tooling`)");
    expect(body).toContain("GitHub refused the App while claiming the meeting");
    expect(body).toContain("`403: Resource not accessible by integration - https://docs.github.com/rest/git/refs#create-a-reference`");
    expect(body).toContain("**Contents: Read and write**");
    expect(body).toContain("https://github.com/organizations/acme/settings/installations");
    expect(parseAlarmMarker(body)).toEqual({ v: 1, scope: "series", series: "tooling" });
    expectPublicSafe(body);
  });

  it("a 403 creating the meeting issue asks for Issues: write; a 404 also says to check repository access", () => {
    const create = render(seriesFailureAlarm(httpError(403, "POST", "https://api.github.com/repos/acme/tsc/issues", "Forbidden"), context()));
    expect(create.body).toContain("while creating the meeting issue");
    expect(create.body).toContain("**Issues: Read and write**");
    expect(create.body).not.toContain("Repository access");
    const missing = render(seriesFailureAlarm(httpError(404, "GET", "https://api.github.com/repos/acme/tsc/branches/main", "Not Found"), context()));
    expect(missing.body).toContain("**Repository access**");
  });

  it("a failed agenda search names the label and the scope it searched", () => {
    const error = Object.assign(new Error("Request failed due to following response errors:\n - The listed users cannot be searched"), {
      name: "GraphqlResponseError",
      errors: [{ type: "INVALID", message: "The listed users cannot be searched" }],
      request: { query: "query AgendaSearch", variables: {} },
      headers: { authorization: `bearer ${SECRET}` },
    });
    expect(failureKind(error, { meetingStart: MEETING })).toBe("search");
    const { body } = render(seriesFailureAlarm(error, context()));
    expect(body).toContain("The agenda search for the label `tooling-agenda` failed");
    expect(body).toContain("org `example`, repository `other/tools`");
    expect(body).toContain('`label:"tooling-agenda" is:open org:example repo:other/tools is:public`');
    expectPublicSafe(body);
  });

  it("a template error names the template and how to preview it", () => {
    const series = defaultSeries({ issue: { template: ".github/meeting.md.hbs" } });
    const error = new TemplateError('unknown helper "shout" in .github/meeting.md.hbs');
    const { body } = render(seriesFailureAlarm(error, { ...context(), series }));
    expect(body).toContain("The meeting issue template `.github/meeting.md.hbs` could not be rendered");
    expect(body).toContain("https://github.com/acme/tsc/blob/main/.github/meeting.md.hbs");
    expect(body).toContain("`npx wg-meetings preview --config .github/meetings.yml --meeting tooling`");
  });

  it("a schedule that cannot be read (failed before the meeting was known) says what to share", () => {
    const series = defaultSeries({ schedule: { googleCalendar: { id: "c_1@group.calendar.google.com", summary: "Tooling" } } });
    const error = new Error('Google Calendar "c_1@group.calendar.google.com" was not found, or is not shared with the App\'s Google account');
    expect(failureKind(error, { meetingStart: undefined })).toBe("schedule");
    const { body } = render(seriesFailureAlarm(error, { ...context(), meetingStart: undefined, series }));
    expect(body).toContain("The schedule of this series could not be read: `Google Calendar");
    expect(body).toContain('share the calendar with the App\'s Google account ("See all event details")');
  });

  it("a temporary failure raises nothing while the meeting is more than a day away, and an alarm when it is close", () => {
    const error = httpError(502, "POST", "https://api.github.com/graphql", "Bad Gateway");
    expect(seriesFailureAlarm(error, context())).toBeNull();
    expect(seriesFailureAlarm(httpError(403, "GET", "https://api.github.com/x", "API rate limit exceeded"), context())).toBeNull();
    const close = render(seriesFailureAlarm(error, { ...context(), now: new Date("2026-12-02T06:00:00Z") }));
    expect(close.body).toContain("GitHub keeps failing while the App opens the meeting of 2026-12-02 16:00 UTC: `502: Bad Gateway`");
    expect(close.body).toContain("GitHub's status: https://www.githubstatus.com");
  });

  it("on GitHub Enterprise Server every link names the instance's web host, never github.com", () => {
    const parsed = parseConfigText("meetings:\n  - id: tsc\n    nmae: TSC\n");
    if (parsed.ok) throw new Error("expected errors");
    const config = alarmText(configAlarm({ webUrl: GHE, repository: REPO, defaultBranch: "main", errors: parsed.errors }));
    expect(config.body).toContain(`[\`.github/meetings.yml\`](${GHE}/acme/tsc/blob/main/.github/meetings.yml) on \`main\` is not valid`);
    expect(config.body).toContain(`[Line 3](${GHE}/acme/tsc/blob/main/.github/meetings.yml#L3)`);

    const ghe = { ...context(), webUrl: GHE };
    const permission = render(seriesFailureAlarm(httpError(403, "POST", `${GHE}/api/v3/repos/acme/tsc/git/refs`, "Resource not accessible by integration"), ghe));
    expect(permission.body).toContain(`(${GHE}/organizations/acme/settings/installations, or ${GHE}/settings/installations for a personal account)`);

    const series = defaultSeries({ issue: { template: ".github/meeting.md.hbs" } });
    const template = render(seriesFailureAlarm(new TemplateError("unknown helper"), { ...ghe, series }));
    expect(template.body).toContain(`[\`.github/meeting.md.hbs\`](${GHE}/acme/tsc/blob/main/.github/meeting.md.hbs)`);
    expect(template.body).toContain(`[\`.github/meetings.yml\`](${GHE}/acme/tsc/blob/main/.github/meetings.yml)`);

    // githubstatus.com is about github.com only.
    const temporary = render(seriesFailureAlarm(httpError(502, "POST", `${GHE}/api/graphql`, "Bad Gateway"), { ...ghe, now: new Date("2026-12-02T06:00:00Z") }));
    expect(temporary.body).not.toContain("githubstatus");
    expect(temporary.body).toContain("tell the administrators of your GitHub Enterprise Server");

    for (const { body } of [config, permission, template, temporary]) expect(body).not.toContain("github.com");
  });

  it("keeps a branch name's slashes and encodes the rest in file links", () => {
    const parsed = parseConfigText("meetings: 3\n");
    if (parsed.ok) throw new Error("expected errors");
    const { body } = alarmText(configAlarm({ webUrl: `${GHE}/`, repository: REPO, defaultBranch: "release/v1 #2", errors: parsed.errors }));
    expect(body).toContain(`(${GHE}/acme/tsc/blob/release/v1%20%232/.github/meetings.yml)`);
  });

  it("the same failure gives the same text (so a second tick writes nothing), and the cause reads back", () => {
    const error = () => httpError(403, "POST", "https://api.github.com/repos/acme/tsc/git/refs", "Resource not accessible by integration");
    const first = render(seriesFailureAlarm(error(), context()));
    const second = render(seriesFailureAlarm(error(), { ...context(), now: new Date("2026-12-01T09:00:00Z") }));
    expect(second).toEqual(first);
    expect(alarmCauseOf(first.body)).toBe(
      "GitHub refused the App while claiming the meeting (a git ref under `refs/wg-meetings/claims/`): `403: Resource not accessible by integration`.",
    );
    expect(alarmCauseOf(first.body.replace(/\n/g, "\r\n"))).toBe(alarmCauseOf(first.body));
  });

  it("untrusted text cannot mention, inject HTML or fake a marker", () => {
    const error = new Error('bad value "@acme/everyone" <!-- wg-meetings:alarm {"v":1,"scope":"config"} --> <img src=x>');
    const { body } = render(seriesFailureAlarm(error, context()));
    // In a code span (inert), with the comment opener broken: only the App's own marker is one.
    expect(body).toContain('Opening the meeting failed: `bad value "@acme/everyone" <!\u200B-- wg-meetings:alarm {"v":1,"scope":"config"} --> <img src=x>`.');
    expect(body.match(/<!-- wg-meetings:alarm/g)).toHaveLength(1);
    expect(parseAlarmMarker(body)).toEqual({ v: 1, scope: "series", series: "tooling" });
    expect(inlineText("ask @acme/tsc about <b>this</b> and `@code`")).toBe("ask @\u200Bacme/tsc about \\<b\\>this\\</b\\> and `@code`");
    expect(codeSpan("a `tick` b\nc")).toBe("``a `tick` b c``");
  });

  it("redacts anything shaped like a credential", () => {
    const text = redactSecrets(
      `token ${SECRET} Bearer abcdefghijklmnop1234 github_pat_ABCDEFGHIJ1234567890abc https://u:p@host.example/x?key=AIzaSyA1234567890abcdefghijklmnopqrstuv ya29.a0AfB_byC -----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----`,
    );
    expect(text).not.toMatch(/ghs_|github_pat_|abcdefghijklmnop1234|u:p@|AIza|ya29|MIIE/);
  });
});

describe("alarm marker", () => {
  it.each([
    ["no marker", "text"],
    ["malformed JSON", "<!-- wg-meetings:alarm {nope} -->"],
    ["another version", '<!-- wg-meetings:alarm {"v":2,"scope":"config"} -->'],
    ["an unknown scope", '<!-- wg-meetings:alarm {"v":1,"scope":"everything"} -->'],
    ["a series scope without a series", '<!-- wg-meetings:alarm {"v":1,"scope":"series"} -->'],
    ["a meeting marker", '<!-- wg-meetings:meeting {"v":1,"series":"a","at":"2024-01-01T00:00:00Z"} -->'],
  ])("reads nothing from %s", (_name, body) => {
    expect(parseAlarmMarker(body)).toBeNull();
  });

  it("reads the resolved flag", () => {
    expect(parseAlarmMarker('<!-- wg-meetings:alarm {"v":1,"scope":"series","series":"tsc","resolved":true} -->')).toEqual({
      v: 1,
      scope: "series",
      series: "tsc",
      resolved: true,
    });
  });
});
