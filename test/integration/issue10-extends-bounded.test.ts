import nock from "nock";
import { describe, expect, it } from "vitest";
import { MAX_CONFIG_BYTES } from "../../src/config/limits.js";
import { extendsTarget, loadRepoConfig, MAX_EXTENDS_FILES } from "../../src/github/repo-config.js";
import { runTick } from "../../src/meetings/tick.js";
import { API, installedRepo, mockApp, mockToken } from "../helpers/github.js";
import { createTestProbot } from "../helpers/probot.js";

/**
 * Issue 10: the tick resolves a config's `_extends` itself, holding every file of the chain to
 * the limits of a config (64 KB, the bounded reader), and errors name the file and line they
 * are in. Probot's config plugin, which the tick used before, fetched and parsed the extended
 * file with no limit at all.
 */
const SERIES = `meetings:
  - id: wg
    name: Web team
    host: Acme
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=WE
      start: 2026-01-07T16:00
      zone: Europe/London
    createBefore: P2D
    agenda:
      label: web-agenda
      orgs: [acme]
`;
const REPO = { owner: "acme", repo: "web" };
const NOW = new Date("2026-11-30T17:00:00Z");
const OWN_PATH = "/repos/acme/web/contents/.github%2Fmeetings.yml";
const ORG_PATH = "/repos/acme/.github/contents/.github%2Fmeetings.yml";

/**
 * GitHub's contents answer for `text`: base64 JSON with the file's size, or the raw text when
 * the request asks for it (as Probot's config plugin did), so the test speaks to either reader.
 */
function file(text: string) {
  return function (this: nock.ReplyFnContext): [number, string | object] {
    const accept = String(this.req.headers.accept ?? "");
    if (accept.includes("raw")) return [200, text];
    return [200, { type: "file", encoding: "base64", size: Buffer.byteLength(text), content: Buffer.from(text).toString("base64") }];
  };
}

async function gitHub(scope: nock.Scope) {
  mockToken(scope, 1);
  const { probot } = await createTestProbot();
  return probot.auth(1);
}

function errorsOf(result: Awaited<ReturnType<typeof loadRepoConfig>>): string[] {
  return result.status === "invalid" ? result.errors.map((error) => error.message) : [];
}

describe("issue 10: _extends on the tick path is bounded and named", () => {
  it("a tick whose config extends an org file just over 64 KB refuses it by the size limit, naming the file, and opens nothing", async () => {
    // Valid series and a comment that takes the file past the limit: Probot's reader took it.
    const huge = `${SERIES}# ${"x".repeat(MAX_CONFIG_BYTES)}\n`;
    const scope = nock(API);
    mockApp(scope);
    mockToken(scope, 9);
    scope.get("/repos/acme/web").reply(200, installedRepo("acme/web"));
    scope.get(OWN_PATH).reply(file("_extends: .github\n"));
    scope.get(ORG_PATH).reply(file(huge));
    // The config alarm: the App's issues listed, the alarm opened.
    scope.get("/repos/acme/web/issues").query(true).reply(200, []);
    let alarm: { body: string } | undefined;
    scope.post("/repos/acme/web/issues", (body) => ((alarm = body), true)).reply(201, { number: 3, html_url: "https://github.com/acme/web/issues/3" });

    const { probot } = await createTestProbot();
    const report = await runTick({ auth: (id) => probot.auth(id), log: probot.log }, { now: NOW, installationId: 9, repository: "acme/web" });

    expect(scope.isDone()).toBe(true);
    expect(report.configured).toBe(0);
    expect(report.invalidConfigs).toEqual([
      {
        repository: "acme/web",
        omitted: 0,
        errors: [
          {
            path: "_extends",
            line: 1,
            column: 11,
            message: "_extends (line 1): acme/.github:.github/meetings.yml: the file is 64.3 KB, over the 64 KB limit for a meetings config (nothing was parsed)",
          },
        ],
      },
    ]);
    expect(alarm!.body).toContain("acme/.github:.github/meetings.yml: the file is 64.3 KB, over the 64 KB limit");
  });

  it("a file over 1 MB (GitHub sends no content) is refused from its size, not read as empty", async () => {
    const scope = nock(API);
    const gh = await gitHub(scope);
    scope.get(ORG_PATH).reply(200, { type: "file", encoding: "none", size: 5_000_000, content: "" });

    const result = await loadRepoConfig(gh, REPO, `_extends: .github\n${SERIES}`);

    expect(scope.isDone()).toBe(true);
    expect(errorsOf(result)).toEqual([
      "_extends (line 1): acme/.github:.github/meetings.yml: the file is 4.8 MB, over the 64 KB limit for a meetings config (nothing was parsed)",
    ]);
  });

  it("an error in the extended file names that file, the key path and its line", async () => {
    const scope = nock(API);
    const gh = await gitHub(scope);
    scope.get("/repos/acme/shared/contents/config%2Fwg.yml").reply(file(SERIES.replace("Europe/London", "Mars/Olympus")));

    const result = await loadRepoConfig(gh, REPO, "# shared settings\n_extends: acme/shared:config/wg.yml\n");

    expect(scope.isDone()).toBe(true);
    expect(result.status).toBe("invalid");
    const errors = result.status === "invalid" ? result.errors : [];
    expect(errors).toHaveLength(1);
    // No line of its own: a line number would point into .github/meetings.yml (links, annotations).
    expect(errors[0]).toMatchObject({ path: "meetings[0].schedule.zone", line: null });
    expect(errors[0]!.message).toMatch(/^meetings\[0\]\.schedule\.zone: in acme\/shared:config\/wg\.yml \(line 8\): unknown time zone "Mars\/Olympus"/);
  });

  it("the extended file is read with the bounded reader: a duplicate key is an error there, with its line", async () => {
    const scope = nock(API);
    const gh = await gitHub(scope);
    scope.get(ORG_PATH).reply(file(`${SERIES}meetings: []\n`));

    const result = await loadRepoConfig(gh, REPO, "_extends: .github\n");

    expect(scope.isDone()).toBe(true);
    expect(errorsOf(result)).toEqual([expect.stringMatching(/^_extends \(line 1\): acme\/\.github:\.github\/meetings\.yml: line 13: .*duplicate key/i)]);
  });

  it("the repository's own keys win over the extended file's, and its errors keep their own lines", async () => {
    const scope = nock(API);
    const gh = await gitHub(scope);
    scope.get(ORG_PATH).reply(file(SERIES.replace("Web team", "Org team")));
    const own = SERIES.replace("meetings:\n", "_extends: .github\nmeetings:\n");
    const ok = await loadRepoConfig(gh, REPO, own);
    expect(ok.status === "ok" && ok.config.meetings[0]!.name).toBe("Web team");

    scope.get(ORG_PATH).reply(file(SERIES));
    const bad = await loadRepoConfig(gh, REPO, own.replace("createBefore: P2D", "createBefore: soon"));
    expect(scope.isDone()).toBe(true);
    expect(bad.status === "invalid" && bad.errors[0]).toMatchObject({ path: "meetings[0].createBefore", line: 10 });
  });

  it("a chain is followed as Probot follows it, the nearest file's keys winning; a loop and a too-long chain are errors", async () => {
    const scope = nock(API);
    const gh = await gitHub(scope);
    scope.get("/repos/acme/team/contents/.github%2Fmeetings.yml").reply(file("_extends: .github\n"));
    scope.get(ORG_PATH).reply(file(SERIES.replace("Web team", "Org team")));
    const chained = await loadRepoConfig(gh, REPO, "_extends: team\n");
    expect(chained.status === "ok" && chained.config.meetings[0]!.name).toBe("Org team");

    scope.get("/repos/acme/team/contents/.github%2Fmeetings.yml").reply(file("_extends: acme/web\n"));
    expect(errorsOf(await loadRepoConfig(gh, REPO, "_extends: team\n"))).toEqual([
      "_extends (line 1): acme/team:.github/meetings.yml names acme/web:.github/meetings.yml, which is already part of this config (a loop)",
    ]);

    for (let i = 1; i <= MAX_EXTENDS_FILES; i++) scope.get(`/repos/acme/c${i}/contents/.github%2Fmeetings.yml`).reply(file(`_extends: c${i + 1}\n`));
    expect(errorsOf(await loadRepoConfig(gh, REPO, "_extends: c1\n"))).toEqual([
      `_extends (line 1): acme/c${MAX_EXTENDS_FILES}:.github/meetings.yml names acme/c${MAX_EXTENDS_FILES + 1}:.github/meetings.yml: a config may take settings from at most ${MAX_EXTENDS_FILES} files through \`_extends\``,
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("a missing extended file adds nothing, as in Probot; when that leaves the config invalid, the error says so", async () => {
    const scope = nock(API);
    const gh = await gitHub(scope);
    scope.get(ORG_PATH).reply(404, { message: "Not Found" });
    expect((await loadRepoConfig(gh, REPO, `_extends: .github\n${SERIES}`)).status).toBe("ok");

    scope.get(ORG_PATH).reply(404, { message: "Not Found" });
    const errors = errorsOf(await loadRepoConfig(gh, REPO, "_extends: .github\n"));
    expect(scope.isDone()).toBe(true);
    expect(errors[0]).toBe("_extends (line 1): acme/.github:.github/meetings.yml does not exist, or the App cannot read it, so it added nothing");
    expect(errors[1]).toMatch(/^meetings/);
  });

  it("takes the forms Probot takes, and refuses others without a request", async () => {
    expect(extendsTarget(".github", REPO)).toEqual({ owner: "acme", repo: ".github", path: ".github/meetings.yml", name: "acme/.github:.github/meetings.yml" });
    expect(extendsTarget("other/shared", REPO)).toMatchObject({ owner: "other", repo: "shared", path: ".github/meetings.yml" });
    expect(extendsTarget("other/shared:cfg/wg.yaml", REPO)).toMatchObject({ owner: "other", repo: "shared", path: "cfg/wg.yaml" });
    for (const bad of ["../x", "a/b/c", "other/shared:cfg/wg.json", "-x/y", 5, null]) expect(extendsTarget(bad, REPO)).toBeNull();

    const scope = nock(API);
    const gh = await gitHub(scope);
    expect(errorsOf(await loadRepoConfig(gh, REPO, "_extends: [a, b]\n"))).toEqual([
      '_extends (line 1): .github/meetings.yml names "[\\"a\\",\\"b\\"]": `_extends` takes `repo`, `owner/repo` or `owner/repo:path.yml`',
    ]);
    expect(scope.pendingMocks()).toHaveLength(1); // the token only: nothing was fetched
  });

  it("refuses `.` and `..` as a repository name, which would climb out of /repos/{owner}/{repo} in the URL", () => {
    for (const bad of ["acme/..:x.yml", "acme/.:x.yml", "..", ".", "acme/.."]) expect(extendsTarget(bad, REPO)).toBeNull();
    expect(extendsTarget("acme/..x", REPO)).toMatchObject({ repo: "..x" });
  });

  it("a file in the same repository whose path differs only in case is another file, not a loop; owner and repository are case-insensitive", async () => {
    const scope = nock(API);
    const gh = await gitHub(scope);
    scope.get("/repos/acme/web/contents/.github%2FMeetings.yml").reply(file(SERIES));
    const other = await loadRepoConfig(gh, REPO, "_extends: acme/web:.github/Meetings.yml\n");
    expect(other.status).toBe("ok");
    expect(errorsOf(await loadRepoConfig(gh, REPO, "_extends: ACME/Web:.github/meetings.yml\n"))).toEqual([
      "_extends (line 1): .github/meetings.yml names ACME/Web:.github/meetings.yml, which is already part of this config (a loop)",
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("a top-level __proto__ key is reported as unknown with _extends as without it", async () => {
    const scope = nock(API);
    const gh = await gitHub(scope);
    scope.get(ORG_PATH).reply(file(SERIES));
    const errors = errorsOf(await loadRepoConfig(gh, REPO, "_extends: .github\n__proto__:\n  nonsense: true\n"));
    expect(scope.isDone()).toBe(true);
    expect(errors.some((message) => message.includes("__proto__"))).toBe(true);
  });

  it("a missing extended file's note counts within the first 50 errors listed; what it pushes out is counted", async () => {
    const scope = nock(API);
    const gh = await gitHub(scope);
    scope.get(ORG_PATH).reply(404, { message: "Not Found" });
    const unknown = Array.from({ length: 70 }, (_, i) => `unknown${i}: 1`).join("\n");
    const result = await loadRepoConfig(gh, REPO, `_extends: .github\n${unknown}\n`);
    expect(scope.isDone()).toBe(true);
    expect(result.status).toBe("invalid");
    if (result.status !== "invalid") return;
    expect(result.errors).toHaveLength(50);
    expect(result.errors[0]!.message).toContain("does not exist");
    // The note, 70 unknown keys and the missing `meetings`: 72 in all.
    expect(result.errors.length + result.omitted).toBe(72);
  });
});
