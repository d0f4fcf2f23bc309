import { describe, expect, it, vi } from "vitest";
import type { AgendaSearchNode, AgendaSearchResponse } from "../../../src/agenda/search-query.js";
import { AGENDA_SEARCH } from "../../../src/agenda/search-query.js";
import type { AgendaConfig } from "../../../src/config/schema.js";
import { searchAgenda, type GraphqlFn } from "../../../src/github/search-agenda.js";

const AGENDA: AgendaConfig = { label: "security-wg-agenda", orgs: ["nodejs"], repos: [], includePrivate: false };

function issue(n: number, repository = "nodejs/node", isPrivate = false): AgendaSearchNode {
  return {
    __typename: "Issue",
    number: n,
    title: `Issue ${n}`,
    url: `https://github.com/${repository}/issues/${n}`,
    repository: { nameWithOwner: repository, isPrivate },
  };
}

/**
 * A fake GitHub search: serves `nodes` in pages of `first`, with opaque cursors, stopping at
 * 1,000 results like the real one while `issueCount` reports the full total.
 */
function fakeSearch(nodes: AgendaSearchNode[]) {
  const calls: Array<Record<string, unknown>> = [];
  const graphql = vi.fn(async (query: string, variables: Record<string, unknown>) => {
    expect(query).toBe(AGENDA_SEARCH);
    calls.push(variables);
    const first = variables.first as number;
    const start = variables.after ? Number(String(variables.after).replace("cursor-", "")) : 0;
    const reachable = Math.min(nodes.length, 1000);
    const end = Math.min(start + first, reachable);
    const response: AgendaSearchResponse = {
      search: {
        issueCount: nodes.length,
        pageInfo: { hasNextPage: end < reachable, endCursor: end > start ? `cursor-${end}` : null },
        nodes: nodes.slice(start, end),
      },
      rateLimit: { cost: 1, remaining: 4999 },
    };
    return response;
  });
  return { graphql: graphql as unknown as GraphqlFn, calls };
}

describe("searchAgenda", () => {
  it("paginates 100 at a time past the first page (250 items → 3 requests)", async () => {
    const { graphql, calls } = fakeSearch(Array.from({ length: 250 }, (_, i) => issue(i + 1)));
    const warn = vi.fn();
    const result = await searchAgenda(graphql, AGENDA, { warn });
    expect(calls).toEqual([
      { q: 'label:"security-wg-agenda" is:open org:nodejs is:public', first: 100, after: null },
      { q: 'label:"security-wg-agenda" is:open org:nodejs is:public', first: 100, after: "cursor-100" },
      { q: 'label:"security-wg-agenda" is:open org:nodejs is:public', first: 100, after: "cursor-200" },
    ]);
    expect(result.requests).toBe(3);
    expect(result.cost).toBe(3);
    expect(result.agenda.count).toBe(250);
    expect(result.agenda.truncated).toBe(false);
    expect(result.agenda.groups[0]!.items[0]!.number).toBe(250);
    expect(warn).not.toHaveBeenCalled();
  });

  it("stops at GitHub's 1,000-result cap, marks the agenda truncated and warns", async () => {
    const { graphql, calls } = fakeSearch(Array.from({ length: 1234 }, (_, i) => issue(i + 1)));
    const warn = vi.fn();
    const result = await searchAgenda(graphql, AGENDA, { warn });
    expect(calls).toHaveLength(10);
    expect(result.agenda.count).toBe(1000);
    expect(result.agenda.truncated).toBe(true);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ issueCount: 1234, fetched: 1000 }),
      expect.stringMatching(/incomplete/),
    );
  });

  it("never asks for more than 10 pages even if the server keeps saying hasNextPage", async () => {
    let page = 0;
    const graphql = (async () => {
      page += 1;
      return {
        search: {
          issueCount: 5000,
          pageInfo: { hasNextPage: true, endCursor: `c${page}` },
          nodes: Array.from({ length: 100 }, (_, i) => issue(page * 100 + i)),
        },
        rateLimit: null,
      };
    }) as unknown as GraphqlFn;
    const result = await searchAgenda(graphql, AGENDA);
    expect(result.requests).toBe(10);
    expect(result.cost).toBe(0);
    expect(result.agenda.truncated).toBe(true);
  });

  it("drops items from private repositories even if the search returned them", async () => {
    const { graphql } = fakeSearch([issue(1, "nodejs/node"), issue(2, "nodejs/security-embargoed", true), issue(3, "nodejs/build")]);
    const warn = vi.fn();
    const result = await searchAgenda(graphql, AGENDA, { warn });
    expect(result.agenda.groups.map((g) => g.repository)).toEqual(["nodejs/build", "nodejs/node"]);
    expect(JSON.stringify(result.agenda)).not.toContain("embargoed");
    expect(warn).toHaveBeenCalledWith({ dropped: 1 }, expect.any(String));
    // The log line carries the count, never the private title.
    expect(JSON.stringify(warn.mock.calls)).not.toContain("Issue 2");
  });

  it("keeps private items when includePrivate, and omits is:public from the query", async () => {
    const { graphql, calls } = fakeSearch([issue(2, "nodejs/private", true)]);
    const result = await searchAgenda(graphql, { ...AGENDA, includePrivate: true });
    expect(calls[0]!.q).toBe('label:"security-wg-agenda" is:open org:nodejs');
    expect(result.agenda.count).toBe(1);
  });

  it("maps issues and pull requests to their kind, and ignores other nodes", async () => {
    const { graphql } = fakeSearch([
      issue(1),
      { __typename: "PullRequest", number: 2, title: "PR", url: "https://github.com/nodejs/node/pull/2", repository: { nameWithOwner: "nodejs/node", isPrivate: false } },
      { number: 3, title: "no typename", url: "https://github.com/nodejs/node/pull/3", repository: { nameWithOwner: "nodejs/node", isPrivate: false } },
      {},
    ]);
    const result = await searchAgenda(graphql, AGENDA);
    expect(result.agenda.groups[0]!.items.map((i) => [i.number, i.kind])).toEqual([
      [3, "pull_request"],
      [2, "pull_request"],
      [1, "issue"],
    ]);
  });

  it("runs every split query to the end and removes items found twice", async () => {
    const repos = Array.from({ length: 30 }, (_, i) => `some-organization/repository-${i}`);
    const { graphql, calls } = fakeSearch([issue(1, "some-organization/repository-0"), issue(2, "some-organization/repository-1")]);
    const result = await searchAgenda(graphql, { ...AGENDA, orgs: [], repos });
    expect(calls.length).toBeGreaterThan(1);
    expect(new Set(calls.map((c) => c.q)).size).toBe(calls.length);
    // The fake answers every query with the same two items: they are listed once.
    expect(result.agenda.count).toBe(2);
    expect(result.requests).toBe(calls.length);
  });
});
