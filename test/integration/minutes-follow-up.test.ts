import { readFileSync } from "node:fs";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/load-config.js";
import { appPropertyValue, meetingKey } from "../../src/google/doc-key.js";
import { publishMinutes } from "../../src/meetings/publish-minutes.js";
import { parseMarker } from "../../src/state/meeting-marker.js";
import { API, issueJson, mockApp, mockToken, operation } from "../helpers/github.js";
import { ACCESS_TOKEN, DRIVE_HOST, keyJson, mockTokenExchange } from "../helpers/google.js";
import { createTestProbot } from "../helpers/probot.js";

/**
 * `/minutes` on a meeting whose doc has decisions, action items and notes per agenda item: the
 * minutes get a Decisions section and links to the meetings around them, the decisions log
 * changes in the same commit (Git data API: tree, commit, fast-forward), and the PR body
 * previews what merging will do, with the doc's text made inert.
 */
const commentFixture = JSON.parse(readFileSync(new URL("../fixtures/issue_comment.created.json", import.meta.url), "utf8"));

const REPO = "/repos/Codertocat/Hello-World";
const ISSUE_URL = "https://github.com/Codertocat/Hello-World/issues/1";
const COMMENT = 492700400;
const BRANCH = "wg-meetings/minutes-hello-2026-12-02";
const PATH = "meetings/2026-12-02.md";
const LOG = "meetings/decisions.md";
const AT = "2026-12-02T16:00:00.000Z";
const DOC = "DOC1";
const enc = (path: string) => path.split("/").map(encodeURIComponent).join("%2F");
const b64 = (text: string) => Buffer.from(text).toString("base64");

const CONFIG = `meetings:
  - id: hello
    name: Hello team
    host: Acme
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=WE
      start: 2026-01-07T16:00
      zone: Europe/London
    agenda: { label: hello-agenda, repos: [Codertocat/Hello-World] }
    minutes:
      doc: google
      google: { folder: F1 }
`;

const MARKER = `<!-- wg-meetings:meeting {"v":1,"series":"hello","at":"${AT}","date":"2026-12-02","doc":"${DOC}"} -->`;

/** The doc as Google Docs exports it (escapes, trailing spaces, bold headings), after the meeting. */
const EXPORTED = `# **Acme Hello team Meeting 2026-12-02**  

* **When**: Wed 02-Dec-2026 16:00 (04:00 PM) UTC (2026-12-02, Europe/London)
* **Recording**: not published yet (paste the link here, or give it to \`/minutes <url>\`)
* **GitHub Issue**: [${ISSUE_URL}](${ISSUE_URL})

## **Present**

* Mona Lisa: @monalisa  
* The Octocat (@octocat)

## **Agenda**

### Ship the release ([Codertocat/Hello-World#7](https://github.com/Codertocat/Hello-World/issues/7))

* Mona: the changelog is ready\\. CI is green on all platforms  
* **Decision**: ship 2\\.0 on Friday
* ACTION: @octocat to write the release notes (due 2026-12-04)

### Rotate the signing keys ([Codertocat/Hello-World#8](https://github.com/Codertocat/Hello-World/issues/8))

* We agreed on a yearly rotation\\.
* RESOLVED: rotate every November, starting now

## **Other business**

* Nothing else\\.

## **Action items**

* [ ] @monalisa, @octocat: rotate the npm token (due: 2026-12-10)
* TODO: find a volunteer for the triage rotation
* @octocat: announce 2\\.0 by 2026-02-30
* [x] @monalisa: book the room
`;

/** A log someone started by hand, with an entry the App wrote for the previous meeting. */
const BASE_LOG = `# Decisions of the Hello team

Kept since 2025. Older decisions are in the wiki.

<!-- wg-meetings:decisions {"series":"hello","date":"2026-11-25"} -->
## [Acme Hello team Meeting 2026-11-25](2026-11-25.md)

* [Budget](#budget): the budget is approved ([minutes](2026-11-25.md#budget))
<!-- wg-meetings:decisions-end {"series":"hello","date":"2026-11-25"} -->

## 2025-06-01

* We meet weekly.
`;

let probot: Awaited<ReturnType<typeof createTestProbot>>["probot"];
const savedEnv = process.env.GOOGLE_CREDENTIALS_JSON;
beforeEach(async () => {
  // The App reads its Google credentials from the environment, as in production.
  process.env.GOOGLE_CREDENTIALS_JSON = keyJson();
  ({ probot } = await createTestProbot());
});
afterEach(() => {
  if (savedEnv === undefined) delete process.env.GOOGLE_CREDENTIALS_JSON;
  else process.env.GOOGLE_CREDENTIALS_JSON = savedEnv;
});

/** The real example payload, turned into a /minutes comment by a chair on the App's meeting issue. */
function minutesComment(body = "/minutes https://youtu.be/rec") {
  const payload = structuredClone(commentFixture);
  payload.comment.body = body;
  payload.issue.body = `## Time\n\n…\n\n${MARKER}\n`;
  payload.issue.user.login = "wg-meetings[bot]";
  payload.issue.user.type = "Bot";
  return { id: `c-${Math.random()}`, name: "issue_comment" as const, payload };
}

/** Google: the token, the doc's appProperties (it is this meeting's), then its export. */
function googleExport(exported: string) {
  mockTokenExchange();
  const key = appPropertyValue(meetingKey({ repository: "Codertocat/Hello-World", series: "hello", start: AT }));
  const drive = nock(DRIVE_HOST, { reqheaders: { authorization: `Bearer ${ACCESS_TOKEN}` } });
  drive.get(`/drive/v3/files/${DOC}`).query(true).reply(200, { appProperties: { wgMeetingsKey: key } });
  drive.get(`/drive/v3/files/${DOC}/export`).query({ mimeType: "text/markdown" }).reply(200, exported);
  return drive;
}

/** Identity, token, the claim (👀), config, the chair's role, the agenda search and the 👍 reactions. */
function upToMinutes(scope: nock.Scope) {
  mockApp(scope);
  mockToken(scope, 1);
  reaction(scope, "eyes");
  scope.get(`${REPO}/contents/${enc(".github/meetings.yml")}`).reply(200, { type: "file", encoding: "base64", content: b64(CONFIG) });
  scope.get(`${REPO}/collaborators/Codertocat/permission`).reply(200, { permission: "admin", role_name: "admin" });
  scope.post("/graphql", operation("AgendaSearch")).reply(200, {
    data: {
      search: {
        issueCount: 2,
        pageInfo: { hasNextPage: false, endCursor: null },
        nodes: [
          { __typename: "Issue", number: 7, title: "Ship the release", url: "https://github.com/Codertocat/Hello-World/issues/7", repository: { nameWithOwner: "Codertocat/Hello-World", isPrivate: false } },
          { __typename: "Issue", number: 8, title: "Rotate the signing keys", url: "https://github.com/Codertocat/Hello-World/issues/8", repository: { nameWithOwner: "Codertocat/Hello-World", isPrivate: false } },
        ],
      },
      rateLimit: { cost: 1, remaining: 1 },
    },
  });
  scope.get(`${REPO}/issues/1/reactions`).query({ content: "+1", per_page: "100" }).reply(200, []);
  // The App's issues: the previous and next meetings the minutes link (none here).
  scope.get(`${REPO}/issues`).query({ creator: "wg-meetings[bot]", state: "all", sort: "created", direction: "desc", per_page: "100" }).reply(200, []);
}

function reaction(scope: nock.Scope, content: string) {
  return scope
    .post(`${REPO}/issues/comments/${COMMENT}/reactions`, { content })
    .reply(201, { id: 1, content, user: { login: "wg-meetings[bot]" }, created_at: "2026-12-02T17:00:00Z" });
}

function pulls(scope: nock.Scope, list: unknown[]) {
  return scope.get(`${REPO}/pulls`).query({ head: `Codertocat:${BRANCH}`, state: "all", sort: "created", direction: "desc", per_page: "1" }).reply(200, list);
}

interface Tree {
  base_tree: string;
  tree: Array<{ path: string; mode: string; type: string; content: string }>;
}

/** The commit of several files: the branch's commit, a tree on top of its tree, a commit, a fast-forward. */
function treeCommit(scope: nock.Scope, head: string, seen: { tree?: Tree; commit?: unknown; ref?: unknown }) {
  scope.get(`${REPO}/git/commits/${head}`).reply(200, { sha: head, tree: { sha: `tree-of-${head}` } });
  scope.post(`${REPO}/git/trees`, (body) => ((seen.tree = body), true)).reply(201, { sha: "tree-new" });
  scope.post(`${REPO}/git/commits`, (body) => ((seen.commit = body), true)).reply(201, { sha: "commit-new" });
  scope.patch(`${REPO}/git/refs/${enc(`heads/${BRANCH}`)}`, (body) => ((seen.ref = body), true)).reply(200, { object: { sha: "commit-new" } });
}

/** Text outside inline code spans: what GitHub would turn into mentions, references and HTML. */
function outsideCode(markdown: string): string {
  return markdown.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, "");
}

function fileIn(tree: Tree | undefined, path: string): string {
  const entry = tree?.tree.find((candidate) => candidate.path === path);
  expect(entry, `${path} in the tree`).toMatchObject({ mode: "100644", type: "blob" });
  return entry!.content;
}

describe("/minutes with decisions and action items", () => {
  it("commits the minutes (Decisions at the top) and the decisions log in one commit, and previews what merging opens", async () => {
    const scope = nock(API);
    upToMinutes(scope);
    const drive = googleExport(EXPORTED);
    scope.get(`${REPO}/contents/${enc(LOG)}`).query({ ref: "master" }).reply(200, { type: "file", size: BASE_LOG.length, encoding: "base64", content: b64(BASE_LOG), sha: "log1" });
    scope.get(`${REPO}/git/ref/${enc("heads/master")}`).reply(200, { object: { sha: "base" } });
    pulls(scope, []);
    scope.get(`${REPO}/git/ref/${enc(`heads/${BRANCH}`)}`).reply(404, { message: "Not Found" });
    scope.post(`${REPO}/git/refs`, { ref: `refs/heads/${BRANCH}`, sha: "base" }).reply(201, {});
    const seen: { tree?: Tree; commit?: unknown; ref?: unknown } = {};
    treeCommit(scope, "base", seen);
    let pr: { title: string; body: string; head: string; base: string } | undefined;
    scope.post(`${REPO}/pulls`, (body) => ((pr = body), true)).reply(201, { number: 9, html_url: "https://github.com/Codertocat/Hello-World/pull/9" });
    let reply: { body: string } | undefined;
    scope.post(`${REPO}/issues/1/comments`, (body) => ((reply = body), true)).reply(201, { id: 2 });
    reaction(scope, "rocket");

    await probot.receive(minutesComment());

    expect(scope.pendingMocks()).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(drive.isDone()).toBe(true);
    expect(reply!.body).toContain(`I opened #9 with \`${PATH}\` for review`);

    // One commit, two files, on top of the base's tree; the branch moves to it fast-forward only.
    expect(seen.tree!.base_tree).toBe("tree-of-base");
    expect(seen.tree!.tree.map((entry) => entry.path)).toEqual([PATH, LOG]);
    expect(seen.commit).toEqual({ message: "doc: add 2026-12-02 meeting notes\n\nMinutes of Acme Hello team Meeting 2026-12-02.\n", tree: "tree-new", parents: ["base"] });
    expect(seen.ref).toEqual({ sha: "commit-new", force: false });

    const minutes = fileIn(seen.tree, PATH);
    if (process.env.PRINT_MINUTES) console.log(minutes, "\n----\n", fileIn(seen.tree, LOG), "\n----\n", pr!.body);
    // The Decisions section comes first, each decision linking its agenda item's section.
    expect(minutes.split("\n").filter((line) => line.startsWith("## "))).toEqual([
      "## Decisions",
      "## Present",
      "## Agenda",
      "## Other business",
      "## Action items",
    ]);
    expect(minutes).toContain(
      [
        "## Decisions",
        "",
        "* [Ship the release (Codertocat/Hello-World#7)](#ship-the-release-codertocathello-world7): ship 2.0 on Friday",
        "* [Rotate the signing keys (Codertocat/Hello-World#8)](#rotate-the-signing-keys-codertocathello-world8): rotate every November, starting now",
        "",
        "## Present",
      ].join("\n"),
    );
    // The notes themselves are where they were.
    expect(minutes).toContain("* **Decision**: ship 2.0 on Friday\n* ACTION: @octocat to write the release notes (due 2026-12-04)");

    // The log: this meeting's entry above the previous meeting's; the hand-written part kept.
    expect(fileIn(seen.tree, LOG)).toBe(
      BASE_LOG.replace(
        "<!-- wg-meetings:decisions {\"series\":\"hello\",\"date\":\"2026-11-25\"} -->",
        [
          '<!-- wg-meetings:decisions {"series":"hello","date":"2026-12-02"} -->',
          "## [Acme Hello team Meeting 2026-12-02](2026-12-02.md)",
          "",
          "* ship 2.0 on Friday ([minutes](2026-12-02.md#ship-the-release-codertocathello-world7))",
          "* rotate every November, starting now ([minutes](2026-12-02.md#rotate-the-signing-keys-codertocathello-world8))",
          '<!-- wg-meetings:decisions-end {"series":"hello","date":"2026-12-02"} -->',
          "",
          '<!-- wg-meetings:decisions {"series":"hello","date":"2026-11-25"} -->',
        ].join("\n"),
      ),
    );

    // The PR body: links, what merging opens, the decisions, the parser's warnings, then Fixes.
    expect(pr).toMatchObject({ head: BRANCH, base: "master", title: "doc: add 2026-12-02 meeting notes" });
    expect(pr!.body).toBe(
      [
        "The minutes of this meeting, published with `/minutes` on the meeting issue. Review them, fix what is wrong, then merge.",
        "",
        `* **GitHub Issue**: ${ISSUE_URL}`,
        `* **Minutes Google Doc**: https://docs.google.com/document/d/${DOC}/edit`,
        "* **Recording**: https://youtu.be/rec",
        "",
        "### Action items (merging opens one issue each for the 4 not ticked done, in Codertocat/Hello-World)",
        "",
        "* `write the release notes`: owners `@octocat`; due 2026-12-04",
        "* `rotate the npm token`: owners `@monalisa`, `@octocat`; due 2026-12-10",
        "* `find a volunteer for the triage rotation`: no owner",
        "* `announce 2.0 by 2026-02-30`: owners `@octocat`",
        "* `book the room`: owners `@monalisa`; ticked done: no issue",
        "",
        "### Decisions (added to `meetings/decisions.md` by this pull request)",
        "",
        "* `ship 2.0 on Friday`",
        "* `rotate every November, starting now`",
        "",
        "### Warnings",
        "",
        "* line 39: `due date 2026-02-30 is not a real date: February 2026 has 28 days`",
        "",
        `Fixes: ${ISSUE_URL}`,
        "",
      ].join("\n"),
    );
    // Nobody is mentioned: owners hear of their item when its issue opens.
    expect(outsideCode(pr!.body)).not.toMatch(/@[A-Za-z]/);
  });

  it("re-run after the minutes were merged: the branch is reset and this meeting's log entry is replaced, not added again", async () => {
    const scope = nock(API);
    upToMinutes(scope);
    googleExport(EXPORTED.replace("ship 2\\.0 on Friday", "ship 2\\.0 on Monday"));
    // The merged log already holds this meeting's entry.
    const merged = BASE_LOG.replace(
      '<!-- wg-meetings:decisions {"series":"hello","date":"2026-11-25"} -->',
      [
        '<!-- wg-meetings:decisions {"series":"hello","date":"2026-12-02"} -->',
        "## [Acme Hello team Meeting 2026-12-02](2026-12-02.md)",
        "",
        "* ship 2.0 on Friday ([minutes](2026-12-02.md#ship-the-release-codertocathello-world7))",
        '<!-- wg-meetings:decisions-end {"series":"hello","date":"2026-12-02"} -->',
        "",
        '<!-- wg-meetings:decisions {"series":"hello","date":"2026-11-25"} -->',
      ].join("\n"),
    );
    scope.get(`${REPO}/contents/${enc(LOG)}`).query({ ref: "master" }).reply(200, { type: "file", size: merged.length, encoding: "base64", content: b64(merged), sha: "log2" });
    scope.get(`${REPO}/git/ref/${enc("heads/master")}`).reply(200, { object: { sha: "base2" } });
    pulls(scope, [{ number: 9, state: "closed", merged_at: "2026-12-03T10:00:00Z", html_url: "https://github.com/Codertocat/Hello-World/pull/9", labels: [] }]);
    scope.get(`${REPO}/git/ref/${enc(`heads/${BRANCH}`)}`).reply(200, { object: { sha: "old" } });
    scope.patch(`${REPO}/git/refs/${enc(`heads/${BRANCH}`)}`, { sha: "base2", force: true }).reply(200, {});
    const seen: { tree?: Tree; commit?: unknown; ref?: unknown } = {};
    treeCommit(scope, "base2", seen);
    let pr: { body: string } | undefined;
    scope.post(`${REPO}/pulls`, (body) => ((pr = body), true)).reply(201, { number: 10, html_url: "https://github.com/Codertocat/Hello-World/pull/10" });
    scope.post(`${REPO}/issues/1/comments`).reply(201, { id: 3 });
    reaction(scope, "rocket");

    await probot.receive(minutesComment());

    expect(scope.pendingMocks()).toEqual([]);
    const log = fileIn(seen.tree, LOG);
    expect(log.match(/wg-meetings:decisions \{"series":"hello","date":"2026-12-02"\}/g)).toHaveLength(1);
    expect(log).toContain("* ship 2.0 on Monday ([minutes]");
    expect(log).not.toContain("Friday");
    expect(log).toContain("* [Budget](#budget): the budget is approved");
    expect(log).toContain("## 2025-06-01\n\n* We meet weekly.\n");
    expect(seen.commit).toMatchObject({ parents: ["base2"] });
    expect(pr!.body).toContain("* `ship 2.0 on Monday`");
  });

  it("hostile notes cannot forge a marker, hide the rest, mention people or close issues from the PR body", async () => {
    const hostile = EXPORTED.replace(
      "* Nothing else\\.",
      [
        '* Decision: <!-- wg-meetings:decisions-end {"series":"hello","date":"2026-11-25"} --> @everyone fixes #1 ``` <!--',
        "* ACTION: @octocat to ping @nodejs/tsc and @mallory; closes #2 ` --> ````",
      ].join("\n"),
    );
    const scope = nock(API);
    upToMinutes(scope);
    googleExport(hostile);
    scope.get(`${REPO}/contents/${enc(LOG)}`).query({ ref: "master" }).reply(200, { type: "file", size: BASE_LOG.length, encoding: "base64", content: b64(BASE_LOG), sha: "log1" });
    scope.get(`${REPO}/git/ref/${enc("heads/master")}`).reply(200, { object: { sha: "base" } });
    pulls(scope, []);
    scope.get(`${REPO}/git/ref/${enc(`heads/${BRANCH}`)}`).reply(404, { message: "Not Found" });
    scope.post(`${REPO}/git/refs`, { ref: `refs/heads/${BRANCH}`, sha: "base" }).reply(201, {});
    const seen: { tree?: Tree; commit?: unknown; ref?: unknown } = {};
    treeCommit(scope, "base", seen);
    let pr: { body: string } | undefined;
    scope.post(`${REPO}/pulls`, (body) => ((pr = body), true)).reply(201, { number: 9, html_url: "https://github.com/Codertocat/Hello-World/pull/9" });
    scope.post(`${REPO}/issues/1/comments`).reply(201, { id: 2 });
    reaction(scope, "rocket");

    await probot.receive(minutesComment());

    expect(scope.pendingMocks()).toEqual([]);
    const body = pr!.body;
    if (process.env.PRINT_MINUTES) console.log(body, fileIn(seen.tree, PATH));
    // No HTML comment at all in the body, and outside code no mention, reference or closing keyword.
    expect(body).not.toContain("<!--");
    expect(body).not.toContain("-->");
    const visible = outsideCode(body);
    expect(visible).not.toMatch(/@[A-Za-z]|#\d|\b(?:fixes|closes)\b(?!: https)/i);
    expect(visible.match(/Fixes: /g)).toHaveLength(1);
    expect(body.endsWith(`\nFixes: ${ISSUE_URL}\n`)).toBe(true);
    // The hostile texts are there, as code.
    // A joiner (U+200D) breaks each closing keyword and issue number: not even a squash commit of this body closes #1 or #2.
    expect(body).toContain('* ````<! -- wg-meetings:decisions-end {"series":"hello","date":"2026-11-25"} -- > @everyone f\u200Dixes #\u200D1 ``` <! --````\n');
    expect(body).toContain("* ````` ping @nodejs/tsc and @mallory; c\u200Dloses #\u200D2 ` -- > ```` `````: owners `@octocat`\n");

    // In the log, the only marker lines are the App's own: two per entry.
    const log = fileIn(seen.tree, LOG);
    const markers = log.split("\n").filter((line) => line.startsWith("<!--"));
    expect(markers).toEqual([
      '<!-- wg-meetings:decisions {"series":"hello","date":"2026-12-02"} -->',
      '<!-- wg-meetings:decisions-end {"series":"hello","date":"2026-12-02"} -->',
      '<!-- wg-meetings:decisions {"series":"hello","date":"2026-11-25"} -->',
      '<!-- wg-meetings:decisions-end {"series":"hello","date":"2026-11-25"} -->',
    ]);
    expect(log).not.toMatch(/<!--(?! wg-meetings:decisions)/);
    // The minutes' Decisions section neither: its text cannot open a comment that hides the file.
    const minutes = fileIn(seen.tree, PATH);
    const decisions = minutes.slice(minutes.indexOf("## Decisions"), minutes.indexOf("## Present"));
    expect(decisions).not.toContain("<!--");
    expect(decisions).toContain("&lt;!-- wg-meetings:decisions-end");
  });

  it("without decisions: one file through the Contents API, no log read, the same requests as before", async () => {
    const plain = EXPORTED.replace("* **Decision**: ship 2\\.0 on Friday\n", "").replace("* RESOLVED: rotate every November, starting now\n", "");
    const scope = nock(API);
    upToMinutes(scope);
    googleExport(plain);
    scope.get(`${REPO}/git/ref/${enc("heads/master")}`).reply(200, { object: { sha: "base" } });
    pulls(scope, []);
    scope.get(`${REPO}/git/ref/${enc(`heads/${BRANCH}`)}`).reply(404, { message: "Not Found" });
    scope.post(`${REPO}/git/refs`, { ref: `refs/heads/${BRANCH}`, sha: "base" }).reply(201, {});
    scope.get(`${REPO}/contents/${enc(PATH)}`).query({ ref: BRANCH }).reply(404, { message: "Not Found" });
    let put: { content: string } | undefined;
    scope.put(`${REPO}/contents/${enc(PATH)}`, (body) => ((put = body), true)).reply(201, {});
    let pr: { body: string } | undefined;
    scope.post(`${REPO}/pulls`, (body) => ((pr = body), true)).reply(201, { number: 9, html_url: "https://github.com/Codertocat/Hello-World/pull/9" });
    scope.post(`${REPO}/issues/1/comments`).reply(201, { id: 2 });
    reaction(scope, "rocket");

    await probot.receive(minutesComment());

    expect(scope.pendingMocks()).toEqual([]);
    const minutes = Buffer.from(put!.content, "base64").toString("utf8");
    expect(minutes).not.toContain("## Decisions");
    expect(pr!.body).not.toContain("### Decisions");
    expect(pr!.body).toContain("### Action items (merging opens one issue each for the 4 not ticked done, in Codertocat/Hello-World)");
  });
});

describe("/minutes again on an open PR, after the decisions were taken out of the doc", () => {
  const plain = EXPORTED.replace("* **Decision**: ship 2\\.0 on Friday\n", "").replace("* RESOLVED: rotate every November, starting now\n", "");
  const OPEN_PR = (body: string) => ({ number: 9, state: "open", merged_at: null, body, html_url: "https://github.com/Codertocat/Hello-World/pull/9", labels: [] });

  it.each([
    ["changed", "modified", { sha: "blob-log-at-merge-base" }],
    ["added", "added", { sha: null }],
  ] as const)("the log the earlier run %s on the branch is undone in the same commit as the new minutes", async (_how, status, entry) => {
    const scope = nock(API);
    upToMinutes(scope);
    googleExport(plain);
    scope.get(`${REPO}/git/ref/${enc("heads/master")}`).reply(200, { object: { sha: "base" } });
    // The open PR's body says the earlier run wrote the log: only then is the branch compared.
    pulls(scope, [OPEN_PR("…\n### Decisions (added to `meetings/decisions.md` by this pull request)\n…")]);
    scope.get(`${REPO}/git/ref/${enc(`heads/${BRANCH}`)}`).reply(200, { object: { sha: "b2" } });
    scope
      .get(`${REPO}/compare/base...b2`)
      .query({ per_page: "100" })
      .reply(200, {
        merge_base_commit: { sha: "mb" },
        files: [
          { filename: PATH, status: "added", sha: "blob-minutes" },
          { filename: LOG, status, sha: "blob-log-on-branch" },
        ],
      });
    if (status === "modified") scope.get(`${REPO}/contents/${enc(LOG)}`).query({ ref: "mb" }).reply(200, { type: "file", sha: "blob-log-at-merge-base", size: 10, content: b64("# Log\n") });
    const seen: { tree?: Tree; commit?: unknown; ref?: unknown } = {};
    scope.get(`${REPO}/git/commits/b2`).reply(200, { sha: "b2", tree: { sha: "tree-of-b2" } });
    scope.post(`${REPO}/git/trees`, (body) => ((seen.tree = body), true)).reply(201, { sha: "tree-new" });
    scope.post(`${REPO}/git/commits`, (body) => ((seen.commit = body), true)).reply(201, { sha: "commit-new" });
    scope.patch(`${REPO}/git/refs/${enc(`heads/${BRANCH}`)}`, { sha: "commit-new", force: false }).reply(200, {});
    let update: { body: string } | undefined;
    scope.patch(`${REPO}/pulls/9`, (body) => ((update = body), true)).reply(200, {});
    let reply: { body: string } | undefined;
    scope.post(`${REPO}/issues/1/comments`, (body) => ((reply = body), true)).reply(201, { id: 3 });
    reaction(scope, "rocket");

    await probot.receive(minutesComment());

    expect(scope.pendingMocks()).toEqual([]);
    expect(seen.tree!.base_tree).toBe("tree-of-b2");
    expect(seen.tree!.tree).toEqual([
      { path: PATH, mode: "100644", type: "blob", content: expect.stringContaining("## Present") },
      { path: LOG, mode: "100644", type: "blob", ...entry },
    ]);
    expect(seen.tree!.tree[0]!.content).not.toContain("## Decisions");
    expect(seen.commit).toMatchObject({ tree: "tree-new", parents: ["b2"] });
    expect(update!.body).not.toContain("### Decisions");
    expect(reply!.body).toContain(`I updated #9 with \`${PATH}\``);
  });

  it("a PR whose body never said so is not compared: the plain re-run costs what it did", async () => {
    const scope = nock(API);
    upToMinutes(scope);
    googleExport(plain);
    scope.get(`${REPO}/git/ref/${enc("heads/master")}`).reply(200, { object: { sha: "base" } });
    pulls(scope, [OPEN_PR("The minutes of this meeting…")]);
    scope.get(`${REPO}/git/ref/${enc(`heads/${BRANCH}`)}`).reply(200, { object: { sha: "b2" } });
    scope.get(`${REPO}/contents/${enc(PATH)}`).query({ ref: BRANCH }).reply(200, { type: "file", sha: "f1", content: b64("# old\n") });
    scope.put(`${REPO}/contents/${enc(PATH)}`, (body) => body.sha === "f1" && body.branch === BRANCH).reply(200, {});
    scope.patch(`${REPO}/pulls/9`).reply(200, {});
    scope.post(`${REPO}/issues/1/comments`).reply(201, { id: 3 });
    reaction(scope, "rocket");

    await probot.receive(minutesComment());

    expect(scope.pendingMocks()).toEqual([]);
  });
});

describe("/minutes with quorum and an attendance file", () => {
  /** /minutes with quorum and ATTENDANCE.md, the file on the base branch being `existing` (null: none); the tree and the PR body. */
  async function minutesWithAttendance(existing: string | null, team?: { private: boolean }): Promise<{ tree: Tree; body: string }> {
    const members = team ? "Codertocat/hello-wg" : "[monalisa, octocat, hubot]";
    const config = CONFIG + `    quorum: { members: ${members}, ratio: 0.5, window: 3 }\n    attendance: { file: ATTENDANCE.md, window: 3 }\n`;
    const earlier = (date: string, present: string) => `# Acme Hello team Meeting ${date}\n\n## Present\n\n${present}\n\n## Agenda\n`;
    const scope = nock(API);
    mockApp(scope);
    mockToken(scope, 1);
    reaction(scope, "eyes");
    scope.get(`${REPO}/contents/${enc(".github/meetings.yml")}`).reply(200, { type: "file", encoding: "base64", content: b64(config) });
    scope.get(`${REPO}/collaborators/Codertocat/permission`).reply(200, { permission: "admin", role_name: "admin" });
    scope.post("/graphql", operation("AgendaSearch")).reply(200, {
      data: { search: { issueCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] }, rateLimit: { cost: 1, remaining: 1 } },
    });
    scope.get(`${REPO}/issues/1/reactions`).query({ content: "+1", per_page: "100" }).reply(200, []);
    scope.get(`${REPO}/issues`).query({ creator: "wg-meetings[bot]", state: "all", sort: "created", direction: "desc", per_page: "100" }).reply(200, []);
    googleExport(EXPORTED);
    scope.get(`${REPO}/contents/${enc(LOG)}`).query({ ref: "master" }).reply(404, { message: "Not Found" });
    // The team first, when quorum.members names one: hubot never attended, and his membership is not public.
    if (team) scope.get("/orgs/Codertocat/teams/hello-wg/members").query({ per_page: "100" }).reply(200, [{ login: "monalisa" }, { login: "octocat" }, { login: "secret-hubot" }]);
    // attendanceFollowUp: the minutes folder on the base, then the earlier files, newest first.
    scope
      .get(`${REPO}/contents/meetings`)
      .query({ ref: "master" })
      .reply(200, [
        { name: "2026-11-18.md", type: "file", size: 80 },
        { name: "2026-11-25.md", type: "file", size: 80 },
        { name: "decisions.md", type: "file", size: 80 },
      ]);
    scope.get(`${REPO}/contents/${enc("meetings/2026-11-25.md")}`).query({ ref: "master" }).reply(200, { type: "file", encoding: "base64", content: b64(earlier("2026-11-25", "* @monalisa\n* @hubot")) });
    scope.get(`${REPO}/contents/${enc("meetings/2026-11-18.md")}`).query({ ref: "master" }).reply(200, { type: "file", encoding: "base64", content: b64(earlier("2026-11-18", "* @octocat")) });
    // Then the attendance file itself: replaced only when missing or the App's (its marker line last).
    const attendanceFile = scope.get(`${REPO}/contents/ATTENDANCE.md`).query({ ref: "master" });
    if (existing === null) attendanceFile.reply(404, { message: "Not Found" });
    else attendanceFile.reply(200, { type: "file", encoding: "base64", content: b64(existing), size: Buffer.byteLength(existing) });
    scope.get(`${REPO}/git/ref/${enc("heads/master")}`).reply(200, { object: { sha: "base" } });
    pulls(scope, []);
    scope.get(`${REPO}/git/ref/${enc(`heads/${BRANCH}`)}`).reply(404, { message: "Not Found" });
    scope.post(`${REPO}/git/refs`, { ref: `refs/heads/${BRANCH}`, sha: "base" }).reply(201, {});
    const seen: { tree?: Tree; commit?: unknown; ref?: unknown } = {};
    treeCommit(scope, "base", seen);
    let pr: { body: string } | undefined;
    scope.post(`${REPO}/pulls`, (body) => ((pr = body), true)).reply(201, { number: 9, html_url: "https://github.com/Codertocat/Hello-World/pull/9" });
    scope.post(`${REPO}/issues/1/comments`).reply(201, { id: 2 });
    reaction(scope, "rocket");

    const event = minutesComment();
    event.payload.repository.private = team?.private ?? false;
    await probot.receive(event);

    expect(scope.pendingMocks()).toEqual([]);
    return { tree: seen.tree!, body: pr!.body };
  }

  it("says whether the meeting was quorate and commits ATTENDANCE.md with the minutes and the log", async () => {
    const { tree, body } = await minutesWithAttendance(null);
    const seen = { tree };
    expect(seen.tree!.tree.map((entry) => entry.path)).toEqual([PATH, LOG, "ATTENDANCE.md"]);
    // A new log: its title, then this meeting's entry.
    expect(fileIn(seen.tree, LOG)).toMatch(/^# Decisions\n\n[^\n]+\n\n<!-- wg-meetings:decisions \{"series":"hello","date":"2026-12-02"\} -->\n/);
    const attendance = fileIn(seen.tree, "ATTENDANCE.md");
    expect(attendance).toContain("`monalisa`");
    expect(attendance).toContain("2026-11-18");
    // monalisa and octocat of three members: quorate at 50%.
    expect(body.match(/### Quorum/g)).toHaveLength(1);
    expect(body).toContain("**Quorum: yes.** 2 of 3 counted members present; 2 needed");
    expect(body.indexOf("### Quorum")).toBeGreaterThan(body.indexOf("### Decisions"));
    expect(body.endsWith(`\nFixes: ${ISSUE_URL}\n`)).toBe(true);
    expect(body).not.toContain("is not updated");
  });

  it("replaces the ATTENDANCE.md it wrote before (its marker line last)", async () => {
    const { tree, body } = await minutesWithAttendance("# Attendance\n\nOlder.\n\n<!-- wg-meetings:attendance-file -->\n");
    expect(tree.tree.map((entry) => entry.path)).toEqual([PATH, LOG, "ATTENDANCE.md"]);
    expect(fileIn(tree, "ATTENDANCE.md")).not.toContain("Older.");
    expect(body).not.toContain("is not updated");
  });

  it("with a team's members in a public repository (the event's repository.private): only who attended is named", async () => {
    const open = await minutesWithAttendance(null, { private: false });
    expect(open.body).toContain("* Absent: 1 member (not named: this repository is public and the members come from a team)");
    expect(open.body).not.toContain("secret-hubot");
    expect(fileIn(open.tree, "ATTENDANCE.md")).not.toContain("secret-hubot");
  });

  it("with a team's members in a private repository: every member is named", async () => {
    const closed = await minutesWithAttendance(null, { private: true });
    expect(closed.body).toContain("* Absent: `secret-hubot`");
    expect(fileIn(closed.tree, "ATTENDANCE.md")).toContain("`secret-hubot`");
  });

  it("leaves an ATTENDANCE.md the App did not write as it is, and the PR body says so", async () => {
    const { tree, body } = await minutesWithAttendance("# Attendance\n\nKept by hand by the secretary.\n");
    expect(tree.tree.map((entry) => entry.path)).toEqual([PATH, LOG]);
    expect(body).toContain("`ATTENDANCE.md` (`attendance.file`) is not updated: the file there was not written by wg-meetings");
    expect(body).toContain("**Quorum: yes.**");
  });
});

describe("the meetings around this one", () => {
  it("the minutes link the previous meeting's minutes and issue, and the next meeting's issue (one listing)", async () => {
    const config = parseConfigText(CONFIG);
    if (!config.ok) throw new Error("bad config");
    const series = config.config.meetings[0]!;
    const gh = await probot.auth(1);
    const scope = nock(API);
    mockToken(scope, 1);
    const at = (date: string) => `<!-- wg-meetings:meeting {"v":1,"series":"hello","at":"${date}T16:00:00.000Z","date":"${date}","doc":null} -->`;
    scope.post("/graphql", operation("AgendaSearch")).reply(200, {
      data: { search: { issueCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] }, rateLimit: { cost: 1, remaining: 1 } },
    });
    scope.get(`${REPO}/issues/1/reactions`).query({ content: "+1", per_page: "100" }).reply(200, []);
    scope
      .get(`${REPO}/issues`)
      .query({ creator: "wg-meetings[bot]", state: "all", sort: "created", direction: "desc", per_page: "100" })
      .reply(200, [
        issueJson("Codertocat/Hello-World", 4, { title: "next", body: at("2026-12-09") }),
        issueJson("Codertocat/Hello-World", 3, { title: "cancelled", body: at("2026-12-16").replace("null}", 'null,"cancelled":true}'), state: "closed" }),
        issueJson("Codertocat/Hello-World", 1, { title: "this", body: at("2026-12-02") }),
        issueJson("Codertocat/Hello-World", 2, { title: "previous", body: at("2026-11-25"), state: "closed" }),
        issueJson("Codertocat/Hello-World", 5, { title: "another series", body: at("2026-11-30").replace('"hello"', '"other"') }),
      ]);
    scope.get(`${REPO}/git/ref/${enc("heads/master")}`).reply(200, { object: { sha: "base" } });
    pulls(scope, []);
    scope.get(`${REPO}/git/ref/${enc(`heads/${BRANCH}`)}`).reply(404, { message: "Not Found" });
    scope.post(`${REPO}/git/refs`, { ref: `refs/heads/${BRANCH}`, sha: "base" }).reply(201, {});
    scope.get(`${REPO}/contents/${enc(PATH)}`).query({ ref: BRANCH }).reply(404, { message: "Not Found" });
    let put: { content: string } | undefined;
    scope.put(`${REPO}/contents/${enc(PATH)}`, (body) => ((put = body), true)).reply(201, {});
    scope.post(`${REPO}/pulls`).reply(201, { number: 9, html_url: "https://github.com/Codertocat/Hello-World/pull/9" });

    const result = await publishMinutes({
      gh,
      repo: { owner: "Codertocat", repo: "Hello-World" },
      defaultBranch: "master",
      series: { ...series, minutes: { ...series.minutes, doc: "none" } },
      issue: { number: 1, url: ISSUE_URL },
      marker: parseMarker(at("2026-12-02"))!,
      args: "",
      google: async () => null,
      log: probot.log,
      botLogin: "wg-meetings[bot]",
    });

    expect(result.status).toBe("proposed");
    expect(scope.pendingMocks()).toEqual([]);
    const minutes = Buffer.from(put!.content, "base64").toString("utf8");
    expect(minutes).toContain(
      [
        `* **GitHub Issue**: ${ISSUE_URL}`,
        "* **Previous meeting**: [minutes of 2026-11-25](2026-11-25.md), [issue of 2026-11-25](https://github.com/Codertocat/Hello-World/issues/2)",
        "* **Next meeting**: [2026-12-09](https://github.com/Codertocat/Hello-World/issues/4)",
        "",
        "## Present",
      ].join("\n"),
    );
  });
});
