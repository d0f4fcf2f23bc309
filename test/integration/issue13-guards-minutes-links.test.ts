import nock from "nock";
import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/load-config.js";
import { publishMinutes } from "../../src/meetings/publish-minutes.js";
import { parseMarker } from "../../src/state/meeting-marker.js";
import { API, issueJson, mockToken, operation } from "../helpers/github.js";
import { createTestProbot } from "../helpers/probot.js";

/**
 * The minutes link the previous meeting's minutes file only once that meeting is closed (its
 * minutes merged): before that the file does not exist on the default branch, and the link
 * would be dead. Its issue is linked either way.
 */
const REPO = "/repos/Codertocat/Hello-World";
const ISSUE_URL = "https://github.com/Codertocat/Hello-World/issues/1";
const BRANCH = "wg-meetings/minutes-hello-2026-12-02";
const PATH = "meetings/2026-12-02.md";
const enc = (path: string) => path.split("/").map(encodeURIComponent).join("%2F");
const CONFIG = `meetings:
  - id: hello
    name: Hello team
    host: Acme
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=WE
      start: 2026-01-07T16:00
      zone: Europe/London
    agenda: { label: hello-agenda, repos: [Codertocat/Hello-World] }
`;
const at = (date: string) => `<!-- wg-meetings:meeting {"v":1,"series":"hello","at":"${date}T16:00:00.000Z","date":"${date}","doc":null} -->`;

describe("/minutes while the previous meeting's minutes are not merged yet", () => {
  it("links the previous meeting's issue but not its minutes file", async () => {
    const config = parseConfigText(CONFIG);
    if (!config.ok) throw new Error("bad config");
    const { probot } = await createTestProbot();
    const scope = nock(API);
    mockToken(scope, 1);
    const gh = await probot.auth(1);
    scope.post("/graphql", operation("AgendaSearch")).reply(200, {
      data: { search: { issueCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] }, rateLimit: { cost: 1, remaining: 1 } },
    });
    scope.get(`${REPO}/issues/1/reactions`).query({ content: "+1", per_page: "100" }).reply(200, []);
    scope
      .get(`${REPO}/issues`)
      .query({ creator: "wg-meetings[bot]", state: "all", sort: "created", direction: "desc", per_page: "100" })
      .reply(200, [
        issueJson("Codertocat/Hello-World", 1, { title: "this", body: at("2026-12-02") }),
        // Still open: its minutes PR is not merged.
        issueJson("Codertocat/Hello-World", 2, { title: "previous", body: at("2026-11-25"), state: "open" }),
      ]);
    scope.get(`${REPO}/git/ref/${enc("heads/master")}`).reply(200, { object: { sha: "base" } });
    scope.get(`${REPO}/pulls`).query({ head: `Codertocat:${BRANCH}`, state: "all", sort: "created", direction: "desc", per_page: "1" }).reply(200, []);
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
      series: config.config.meetings[0]!,
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
    expect(minutes).toContain("* **Previous meeting**: [issue of 2026-11-25](https://github.com/Codertocat/Hello-World/issues/2)\n");
    expect(minutes).not.toContain("2026-11-25.md");
  });
});
