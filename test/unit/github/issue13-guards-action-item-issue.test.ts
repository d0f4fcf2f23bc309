import nock from "nock";
import { beforeEach, describe, expect, it } from "vitest";
import { actionItemTitle, MAX_ACTION_TITLE_CHARS, openActionItemIssue } from "../../../src/github/action-item-issues.js";
import type { GitHub } from "../../../src/github/client.js";
import { API, mockToken } from "../../helpers/github.js";
import { createTestProbot } from "../../helpers/probot.js";

/**
 * An action item's issue: a title cut at exactly {@link MAX_ACTION_TITLE_CHARS} characters, and
 * an issue still opened (without assignees) when GitHub refuses the owners, whichever way its
 * 422 says so.
 */
const repo = { owner: "acme", repo: "wg" };

let gh: GitHub;
beforeEach(async () => {
  const { probot } = await createTestProbot();
  mockToken(nock(API), 1);
  gh = await probot.auth(1);
});

describe("an action item's issue title", () => {
  it("keeps a text of exactly the limit, and cuts one character longer to the limit with …", () => {
    const exact = "a".repeat(MAX_ACTION_TITLE_CHARS);
    expect(actionItemTitle(exact)).toBe(exact);
    const cut = actionItemTitle(`${exact}b`);
    expect(Array.from(cut)).toHaveLength(MAX_ACTION_TITLE_CHARS);
    expect(cut).toBe(`${"a".repeat(MAX_ACTION_TITLE_CHARS - 1)}…`);
  });
});

describe("opening an action item's issue when GitHub refuses its assignees", () => {
  it("a 422 that names the assignees only in its message: opened again without them, once", async () => {
    const draft = { title: "Rotate the npm token", body: "body", labels: ["action-item"], assignees: ["alice"] };
    const scope = nock(API)
      .post("/repos/acme/wg/issues", { title: "Rotate the npm token", body: "body", labels: ["action-item"], assignees: ["alice"] })
      .reply(422, { message: "Validation Failed: alice cannot be assigned to this issue" })
      .post("/repos/acme/wg/issues", { title: "Rotate the npm token", body: "body", labels: ["action-item"] })
      .reply(201, { number: 50, html_url: "https://github.com/acme/wg/issues/50" });

    const opened = await openActionItemIssue(gh, repo, draft, async () => null);

    expect(scope.isDone()).toBe(true);
    expect(opened).toEqual({ number: 50, url: "https://github.com/acme/wg/issues/50", found: false, unassigned: true });
  });
});
