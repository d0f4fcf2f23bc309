import nock from "nock";
import { beforeEach, describe, expect, it } from "vitest";
import type { GitHub } from "../../../src/github/client.js";
import { proposeFiles, readBaseFile, type FilesProposal } from "../../../src/github/pull-requests.js";
import { API, mockToken } from "../../helpers/github.js";
import { createTestProbot } from "../../helpers/probot.js";

const repo = { owner: "nodejs", repo: "security-wg" };
const R = "/repos/nodejs/security-wg";
const BRANCH = "wg-meetings/minutes-security-wg-2024-10-24";
const proposal: FilesProposal = {
  branch: BRANCH,
  base: "trunk",
  files: [
    { path: "meetings/2024-10-24.md", content: "# Minutes\n" },
    { path: "meetings/decisions.md", content: "# Decisions\n" },
  ],
  commitMessage: "doc: add 2024-10-24 meeting notes",
  title: "doc: add 2024-10-24 meeting notes",
  body: "Fixes: https://github.com/nodejs/security-wg/issues/1396",
  labels: [],
  reviewers: [],
  teamReviewers: [],
};
const encoded = (path: string) => path.split("/").map(encodeURIComponent).join("%2F");
const b64 = (text: string) => Buffer.from(text).toString("base64");

let gh: GitHub;
beforeEach(async () => {
  const { probot } = await createTestProbot();
  mockToken(nock(API), 1);
  gh = await probot.auth(1);
});

function upToCommit(scope: nock.Scope, pulls: unknown[], branchSha: string | null) {
  scope.get(`${R}/git/ref/heads%2Ftrunk`).reply(200, { object: { sha: "base1" } });
  scope.get(`${R}/pulls`).query({ head: `nodejs:${BRANCH}`, state: "all", sort: "created", direction: "desc", per_page: "1" }).reply(200, pulls);
  const ref = scope.get(`${R}/git/ref/${encoded(`heads/${BRANCH}`)}`);
  if (branchSha) ref.reply(200, { object: { sha: branchSha } });
  else ref.reply(404, { message: "Not Found" });
}

const treeBody = {
  base_tree: "t-b2",
  tree: [
    { path: "meetings/2024-10-24.md", mode: "100644", type: "blob", content: "# Minutes\n" },
    { path: "meetings/decisions.md", mode: "100644", type: "blob", content: "# Decisions\n" },
  ],
};
const OPEN = { number: 1400, state: "open", merged_at: null, html_url: "https://github.com/nodejs/security-wg/pull/1400", labels: [] };

describe("proposeFiles, several files", () => {
  it("an open PR's branch: a tree on the branch's tree, one commit, a fast-forward, the PR refreshed", async () => {
    const scope = nock(API);
    upToCommit(scope, [OPEN], "b2");
    scope.get(`${R}/git/commits/b2`).reply(200, { sha: "b2", tree: { sha: "t-b2" } });
    scope.post(`${R}/git/trees`, treeBody).reply(201, { sha: "t-new" });
    scope.post(`${R}/git/commits`, { message: proposal.commitMessage, tree: "t-new", parents: ["b2"] }).reply(201, { sha: "c-new" });
    scope.patch(`${R}/git/refs/${encoded(`heads/${BRANCH}`)}`, { sha: "c-new", force: false }).reply(200, {});
    scope.patch(`${R}/pulls/1400`, { title: proposal.title, body: proposal.body }).reply(200, {});

    const result = await proposeFiles(gh, repo, proposal);

    expect(scope.isDone()).toBe(true);
    expect(result).toEqual({ number: 1400, url: OPEN.html_url, pr: "updated", branch: "existed", file: "committed" });
  });

  it("nothing changed: the new tree is the branch's own, so no commit and no ref update", async () => {
    const scope = nock(API);
    upToCommit(scope, [OPEN], "b2");
    scope.get(`${R}/git/commits/b2`).reply(200, { sha: "b2", tree: { sha: "t-b2" } });
    scope.post(`${R}/git/trees`, treeBody).reply(201, { sha: "t-b2" });
    scope.patch(`${R}/pulls/1400`).reply(200, {});

    const result = await proposeFiles(gh, repo, proposal);

    expect(scope.isDone()).toBe(true);
    expect(result.file).toBe("unchanged");
  });

  it("another run moved the branch meanwhile (422, not a fast-forward): the branch is read again and the commit made on top", async () => {
    const scope = nock(API);
    upToCommit(scope, [OPEN], "b2");
    scope.get(`${R}/git/commits/b2`).reply(200, { sha: "b2", tree: { sha: "t-b2" } });
    scope.post(`${R}/git/trees`, treeBody).reply(201, { sha: "t-new" });
    scope.post(`${R}/git/commits`, { message: proposal.commitMessage, tree: "t-new", parents: ["b2"] }).reply(201, { sha: "c-lost" });
    scope.patch(`${R}/git/refs/${encoded(`heads/${BRANCH}`)}`, { sha: "c-lost", force: false }).reply(422, { message: "Update is not a fast forward" });
    scope.get(`${R}/git/ref/${encoded(`heads/${BRANCH}`)}`).reply(200, { object: { sha: "b3" } });
    scope.get(`${R}/git/commits/b3`).reply(200, { sha: "b3", tree: { sha: "t-b3" } });
    scope.post(`${R}/git/trees`, { ...treeBody, base_tree: "t-b3" }).reply(201, { sha: "t-new2" });
    scope.post(`${R}/git/commits`, { message: proposal.commitMessage, tree: "t-new2", parents: ["b3"] }).reply(201, { sha: "c-new" });
    scope.patch(`${R}/git/refs/${encoded(`heads/${BRANCH}`)}`, { sha: "c-new", force: false }).reply(200, {});
    scope.patch(`${R}/pulls/1400`).reply(200, {});

    const result = await proposeFiles(gh, repo, proposal);

    expect(scope.isDone()).toBe(true);
    expect(result.file).toBe("committed");
  });

  it("the answer to moving the branch is lost (it moved): the re-run finds the tree in place and commits nothing more", async () => {
    const scope = nock(API);
    upToCommit(scope, [OPEN], "b2");
    scope.get(`${R}/git/commits/b2`).reply(200, { sha: "b2", tree: { sha: "t-b2" } });
    scope.post(`${R}/git/trees`, treeBody).reply(201, { sha: "t-new" });
    scope.post(`${R}/git/commits`).reply(201, { sha: "c-new" });
    scope.patch(`${R}/git/refs/${encoded(`heads/${BRANCH}`)}`, { sha: "c-new", force: false }).replyWithError({ code: "ECONNRESET" });
    await expect(proposeFiles(gh, repo, proposal)).rejects.toThrow();

    upToCommit(scope, [OPEN], "c-new");
    scope.get(`${R}/git/commits/c-new`).reply(200, { sha: "c-new", tree: { sha: "t-new" } });
    scope.post(`${R}/git/trees`, { ...treeBody, base_tree: "t-new" }).reply(201, { sha: "t-new" });
    scope.patch(`${R}/pulls/1400`).reply(200, {});
    const again = await proposeFiles(gh, repo, proposal);

    expect(scope.isDone()).toBe(true);
    expect(again).toMatchObject({ pr: "updated", branch: "existed", file: "unchanged" });
  });

  it("a new branch starts at the base: the tree is made on the base's tree", async () => {
    const scope = nock(API);
    upToCommit(scope, [], null);
    scope.post(`${R}/git/refs`, { ref: `refs/heads/${BRANCH}`, sha: "base1" }).reply(201, {});
    scope.get(`${R}/git/commits/base1`).reply(200, { sha: "base1", tree: { sha: "t-b2" } });
    scope.post(`${R}/git/trees`, treeBody).reply(201, { sha: "t-new" });
    scope.post(`${R}/git/commits`, { message: proposal.commitMessage, tree: "t-new", parents: ["base1"] }).reply(201, { sha: "c-new" });
    scope.patch(`${R}/git/refs/${encoded(`heads/${BRANCH}`)}`, { sha: "c-new", force: false }).reply(200, {});
    scope.post(`${R}/pulls`, { head: BRANCH, base: "trunk", title: proposal.title, body: proposal.body }).reply(201, { number: 1401, html_url: "u" });

    const result = await proposeFiles(gh, repo, proposal);

    expect(scope.isDone()).toBe(true);
    expect(result).toEqual({ number: 1401, url: "u", pr: "created", branch: "created", file: "committed" });
  });

  it("refuses no files and a path given twice, before any request", async () => {
    await expect(proposeFiles(gh, repo, { ...proposal, files: [] })).rejects.toThrow("no file");
    await expect(proposeFiles(gh, repo, { ...proposal, files: [proposal.files[0]!, proposal.files[0]!] })).rejects.toThrow("twice");
  });
});

describe("readBaseFile", () => {
  it("reads a file, says missing, not a file, or too large", async () => {
    const scope = nock(API);
    const at = (path: string) => scope.get(`${R}/contents/${encoded(path)}`).query({ ref: "trunk" });
    at("a.md").reply(200, { type: "file", size: 4, encoding: "base64", content: b64("log\n") });
    at("b.md").reply(404, { message: "Not Found" });
    at("c.md").reply(200, [{ type: "file", name: "x" }]);
    at("d.md").reply(200, { type: "file", size: 2_000_000, encoding: "none", content: "" });
    at("e.md").reply(200, { type: "file", size: 11, encoding: "base64", content: b64("hello world") });

    expect(await readBaseFile(gh, repo, "a.md", "trunk", 10)).toEqual({ status: "ok", content: "log\n" });
    expect(await readBaseFile(gh, repo, "b.md", "trunk", 10)).toEqual({ status: "missing" });
    expect(await readBaseFile(gh, repo, "c.md", "trunk", 10)).toEqual({ status: "not-a-file" });
    expect(await readBaseFile(gh, repo, "d.md", "trunk", 10_000_000)).toEqual({ status: "too-large", size: 2_000_000 });
    expect(await readBaseFile(gh, repo, "e.md", "trunk", 10)).toEqual({ status: "too-large", size: 11 });
    expect(scope.isDone()).toBe(true);
  });
});
