import nock from "nock";
import { beforeEach, describe, expect, it } from "vitest";
import type { GitHub } from "../../../src/github/client.js";
import { proposeFile, type FileProposal } from "../../../src/github/pull-requests.js";
import { API, mockToken } from "../../helpers/github.js";
import { createTestProbot } from "../../helpers/probot.js";

const repo = { owner: "nodejs", repo: "security-wg" };
const BRANCH = "wg-meetings/minutes-security-wg-2024-10-24";
const PATH = "meetings/2024-10-24.md";
const proposal: FileProposal = {
  branch: BRANCH,
  base: "trunk",
  path: PATH,
  content: "# Minutes\n",
  commitMessage: "doc: add 2024-10-24 meeting notes",
  title: "doc: add 2024-10-24 meeting notes",
  body: "Fixes: https://github.com/nodejs/security-wg/issues/1396",
  labels: ["meeting-notes"],
  reviewers: ["mhdawson"],
  teamReviewers: ["security-wg"],
};
const encoded = (path: string) => path.split("/").map(encodeURIComponent).join("%2F");
const b64 = (text: string) => Buffer.from(text).toString("base64");

let gh: GitHub;
beforeEach(async () => {
  const { probot } = await createTestProbot();
  mockToken(nock(API), 1);
  gh = await probot.auth(1);
});

function base(scope: nock.Scope) {
  return scope.get("/repos/nodejs/security-wg/git/ref/heads%2Ftrunk").reply(200, { object: { sha: "base1" } });
}
function pulls(scope: nock.Scope, list: unknown[]) {
  return scope
    .get("/repos/nodejs/security-wg/pulls")
    .query({ head: `nodejs:${BRANCH}`, state: "all", sort: "created", direction: "desc", per_page: "1" })
    .reply(200, list);
}

describe("proposeFile", () => {
  it("first run: branch from the (non-main) default branch, one commit, one PR with labels and reviewers", async () => {
    const scope = nock(API);
    base(scope);
    pulls(scope, []);
    scope.get(`/repos/nodejs/security-wg/git/ref/${encoded(`heads/${BRANCH}`)}`).reply(404, { message: "Not Found" });
    let ref: unknown;
    scope.post("/repos/nodejs/security-wg/git/refs", (body) => ((ref = body), true)).reply(201, {});
    scope.get(`/repos/nodejs/security-wg/contents/${encoded(PATH)}`).query({ ref: BRANCH }).reply(404, { message: "Not Found" });
    let put: Record<string, unknown> | undefined;
    scope.put(`/repos/nodejs/security-wg/contents/${encoded(PATH)}`, (body) => ((put = body), true)).reply(201, {});
    let created: unknown;
    scope
      .post("/repos/nodejs/security-wg/pulls", (body) => ((created = body), true))
      .reply(201, { number: 1400, html_url: "https://github.com/nodejs/security-wg/pull/1400" });
    scope.post("/repos/nodejs/security-wg/issues/1400/labels", { labels: ["meeting-notes"] }).reply(200, []);
    scope
      .post("/repos/nodejs/security-wg/pulls/1400/requested_reviewers", { reviewers: ["mhdawson"], team_reviewers: ["security-wg"] })
      .reply(201, {});

    const result = await proposeFile(gh, repo, proposal);

    expect(scope.pendingMocks()).toEqual([]);
    expect(ref).toEqual({ ref: `refs/heads/${BRANCH}`, sha: "base1" });
    expect(put).toEqual({ message: proposal.commitMessage, branch: BRANCH, content: b64("# Minutes\n") });
    expect(created).toEqual({ head: BRANCH, base: "trunk", title: proposal.title, body: proposal.body });
    expect(result).toEqual({ number: 1400, url: "https://github.com/nodejs/security-wg/pull/1400", pr: "created", branch: "created", file: "committed" });
  });

  it("re-run with the same content: no commit, the open PR is reused", async () => {
    const scope = nock(API);
    base(scope);
    pulls(scope, [{ number: 1400, state: "open", merged_at: null, html_url: "https://github.com/nodejs/security-wg/pull/1400", labels: [{ name: "meeting-notes" }] }]);
    scope.get(`/repos/nodejs/security-wg/git/ref/${encoded(`heads/${BRANCH}`)}`).reply(200, { object: { sha: "b2" } });
    scope
      .get(`/repos/nodejs/security-wg/contents/${encoded(PATH)}`)
      .query({ ref: BRANCH })
      .reply(200, { type: "file", sha: "f1", content: b64("# Minutes\n") });
    scope.patch("/repos/nodejs/security-wg/pulls/1400", { title: proposal.title, body: proposal.body }).reply(200, {});

    const result = await proposeFile(gh, repo, proposal);

    expect(scope.pendingMocks()).toEqual([]);
    expect(result).toMatchObject({ number: 1400, pr: "updated", branch: "existed", file: "unchanged" });
  });

  it("re-run with new notes: one more commit on the same branch (with the file's sha)", async () => {
    const scope = nock(API);
    base(scope);
    pulls(scope, [{ number: 1400, state: "open", merged_at: null, html_url: "u", labels: [{ name: "Meeting-Notes" }] }]);
    scope.get(`/repos/nodejs/security-wg/git/ref/${encoded(`heads/${BRANCH}`)}`).reply(200, { object: { sha: "b2" } });
    scope
      .get(`/repos/nodejs/security-wg/contents/${encoded(PATH)}`)
      .query({ ref: BRANCH })
      .reply(200, { type: "file", sha: "f1", content: b64("# Old\n") });
    let put: Record<string, unknown> | undefined;
    scope.put(`/repos/nodejs/security-wg/contents/${encoded(PATH)}`, (body) => ((put = body), true)).reply(200, {});
    scope.patch("/repos/nodejs/security-wg/pulls/1400").reply(200, {});

    await proposeFile(gh, repo, proposal);

    expect(scope.pendingMocks()).toEqual([]);
    expect(put).toMatchObject({ sha: "f1", branch: BRANCH });
  });

  it("a PR closed without merging is reopened, not duplicated", async () => {
    const scope = nock(API);
    base(scope);
    pulls(scope, [{ number: 1400, state: "closed", merged_at: null, html_url: "u", labels: [{ name: "meeting-notes" }] }]);
    scope.get(`/repos/nodejs/security-wg/git/ref/${encoded(`heads/${BRANCH}`)}`).reply(200, { object: { sha: "b2" } });
    scope.get(`/repos/nodejs/security-wg/contents/${encoded(PATH)}`).query(true).reply(200, { type: "file", sha: "f1", content: b64("# Minutes\n") });
    let update: unknown;
    scope.patch("/repos/nodejs/security-wg/pulls/1400", (body) => ((update = body), true)).reply(200, {});

    const result = await proposeFile(gh, repo, proposal);

    expect(scope.pendingMocks()).toEqual([]);
    expect(update).toEqual({ state: "open", title: proposal.title, body: proposal.body });
    expect(result.pr).toBe("reopened");
  });

  it("after a merged PR the branch is reset to the base and a new PR carries only the new change", async () => {
    const scope = nock(API);
    base(scope);
    pulls(scope, [{ number: 1400, state: "closed", merged_at: "2024-10-25T00:00:00Z", html_url: "u" }]);
    scope.get(`/repos/nodejs/security-wg/git/ref/${encoded(`heads/${BRANCH}`)}`).reply(200, { object: { sha: "old" } });
    scope.patch(`/repos/nodejs/security-wg/git/refs/${encoded(`heads/${BRANCH}`)}`, { sha: "base1", force: true }).reply(200, {});
    scope.get(`/repos/nodejs/security-wg/contents/${encoded(PATH)}`).query(true).reply(200, { type: "file", sha: "f1", content: b64("# Old\n") });
    scope.put(`/repos/nodejs/security-wg/contents/${encoded(PATH)}`).reply(200, {});
    scope.post("/repos/nodejs/security-wg/pulls").reply(201, { number: 1401, html_url: "u2" });
    scope.post("/repos/nodejs/security-wg/issues/1401/labels").reply(200, []);
    scope.post("/repos/nodejs/security-wg/pulls/1401/requested_reviewers").reply(201, {});

    const result = await proposeFile(gh, repo, proposal);

    expect(scope.pendingMocks()).toEqual([]);
    expect(result).toMatchObject({ number: 1401, pr: "created", branch: "reset", file: "committed" });
  });

  it("after a merged PR with nothing changed since, there is nothing to propose (no empty PR)", async () => {
    const scope = nock(API);
    base(scope);
    pulls(scope, [{ number: 1400, state: "closed", merged_at: "2024-10-25T00:00:00Z", html_url: "u" }]);
    scope.get(`/repos/nodejs/security-wg/git/ref/${encoded(`heads/${BRANCH}`)}`).reply(200, { object: { sha: "old" } });
    scope.patch(`/repos/nodejs/security-wg/git/refs/${encoded(`heads/${BRANCH}`)}`, { sha: "base1", force: true }).reply(200, {});
    scope.get(`/repos/nodejs/security-wg/contents/${encoded(PATH)}`).query(true).reply(200, { type: "file", sha: "f1", content: b64("# Minutes\n") });

    const result = await proposeFile(gh, repo, proposal);

    expect(scope.pendingMocks()).toEqual([]);
    expect(result).toEqual({ number: 1400, url: "u", pr: "merged", branch: "reset", file: "unchanged" });
  });

  it("finishes the job after a 5xx between creating the branch and opening the PR", async () => {
    const scope = nock(API);
    // First run: the branch and the commit land, then GitHub fails to open the PR.
    base(scope);
    pulls(scope, []);
    scope.get(`/repos/nodejs/security-wg/git/ref/${encoded(`heads/${BRANCH}`)}`).reply(404, {});
    scope.post("/repos/nodejs/security-wg/git/refs").reply(201, {});
    scope.get(`/repos/nodejs/security-wg/contents/${encoded(PATH)}`).query(true).reply(404, {});
    scope.put(`/repos/nodejs/security-wg/contents/${encoded(PATH)}`).reply(201, {});
    // Sent once; after the 502 the branch has no open PR, so it is sent once more, and fails again.
    scope.post("/repos/nodejs/security-wg/pulls").reply(502, { message: "Bad Gateway" });
    pulls(scope, []);
    scope.post("/repos/nodejs/security-wg/pulls").reply(502, { message: "Bad Gateway" });
    await expect(proposeFile(gh, repo, proposal)).rejects.toMatchObject({ status: 502 });

    // Second run: the branch and file are there; only the PR is missing.
    base(scope);
    pulls(scope, []);
    scope.get(`/repos/nodejs/security-wg/git/ref/${encoded(`heads/${BRANCH}`)}`).reply(200, { object: { sha: "b2" } });
    scope.get(`/repos/nodejs/security-wg/contents/${encoded(PATH)}`).query(true).reply(200, { type: "file", sha: "f1", content: b64("# Minutes\n") });
    scope.post("/repos/nodejs/security-wg/pulls").reply(201, { number: 1402, html_url: "u3" });
    scope.post("/repos/nodejs/security-wg/issues/1402/labels").reply(200, []);
    scope.post("/repos/nodejs/security-wg/pulls/1402/requested_reviewers").reply(201, {});
    const result = await proposeFile(gh, repo, proposal);

    expect(scope.pendingMocks()).toEqual([]);
    expect(result).toMatchObject({ number: 1402, pr: "created", branch: "existed", file: "unchanged" });
  });

  it("the answer to opening the PR is lost (reset after GitHub opened it): the PR is found, labelled and reviewed, not opened twice", async () => {
    const scope = nock(API);
    base(scope);
    pulls(scope, []);
    scope.get(`/repos/nodejs/security-wg/git/ref/${encoded(`heads/${BRANCH}`)}`).reply(200, { object: { sha: "b2" } });
    scope.get(`/repos/nodejs/security-wg/contents/${encoded(PATH)}`).query(true).reply(200, { type: "file", sha: "f1", content: b64("# Minutes\n") });
    const opened: unknown[] = [];
    scope.post("/repos/nodejs/security-wg/pulls", (body) => (opened.push(body), true)).replyWithError({ code: "ECONNRESET", message: "socket hang up" });
    // The look: the branch's newest PR is open now, so that is the one.
    pulls(scope, [{ number: 1404, state: "open", merged_at: null, html_url: "u5", labels: [] }]);
    scope.post("/repos/nodejs/security-wg/issues/1404/labels", { labels: ["meeting-notes"] }).reply(200, []);
    scope.post("/repos/nodejs/security-wg/pulls/1404/requested_reviewers").reply(201, {});

    const result = await proposeFile(gh, repo, proposal);

    expect(scope.pendingMocks()).toEqual([]);
    expect(opened).toHaveLength(1);
    expect(result).toMatchObject({ number: 1404, pr: "created" });
  });

  it("a reused PR that lacks a configured label (its run died before labelling it) gets just that label", async () => {
    const scope = nock(API);
    base(scope);
    pulls(scope, [{ number: 1400, state: "open", merged_at: null, html_url: "u", labels: [{ name: "docs" }] }]);
    scope.get(`/repos/nodejs/security-wg/git/ref/${encoded(`heads/${BRANCH}`)}`).reply(200, { object: { sha: "b2" } });
    scope.get(`/repos/nodejs/security-wg/contents/${encoded(PATH)}`).query(true).reply(200, { type: "file", sha: "f1", content: b64("# Minutes\n") });
    scope.patch("/repos/nodejs/security-wg/pulls/1400").reply(200, {});
    scope.post("/repos/nodejs/security-wg/issues/1400/labels", { labels: ["meeting-notes"] }).reply(200, []);

    const result = await proposeFile(gh, repo, proposal);

    expect(scope.pendingMocks()).toEqual([]);
    expect(result).toMatchObject({ number: 1400, pr: "updated" });
  });

  it("two runs opening the PR at once: the loser reuses the winner's PR", async () => {
    const scope = nock(API);
    base(scope);
    pulls(scope, []);
    scope.get(`/repos/nodejs/security-wg/git/ref/${encoded(`heads/${BRANCH}`)}`).reply(200, { object: { sha: "b2" } });
    scope.get(`/repos/nodejs/security-wg/contents/${encoded(PATH)}`).query(true).reply(200, { type: "file", sha: "f1", content: b64("# Minutes\n") });
    scope.post("/repos/nodejs/security-wg/pulls").reply(422, { message: "Validation Failed", errors: [{ message: "A pull request already exists for nodejs:x." }] });
    pulls(scope, [{ number: 1403, state: "open", merged_at: null, html_url: "u4" }]);

    const result = await proposeFile(gh, repo, proposal);

    expect(scope.pendingMocks()).toEqual([]);
    expect(result).toMatchObject({ number: 1403, pr: "updated" });
  });
});
