import { validate } from "@octokit/graphql-schema";
import { describe, expect, it } from "vitest";
import { AGENDA_SEARCH, MAX_QUERY_LENGTH, buildSearchQueries } from "../../../src/agenda/search-query.js";
import type { AgendaConfig } from "../../../src/config/schema.js";

function config(partial: Partial<AgendaConfig>): AgendaConfig {
  return { label: "security-wg-agenda", orgs: [], repos: [], includePrivate: false, ...partial };
}

describe("buildSearchQueries", () => {
  it("searches the Node.js org for open public items with the label", () => {
    expect(buildSearchQueries(config({ orgs: ["nodejs"] }))).toEqual([
      'label:"security-wg-agenda" is:open org:nodejs is:public',
    ]);
  });

  it("combines orgs and repos, and leaves out is:public only when includePrivate", () => {
    expect(buildSearchQueries(config({ label: "tsc agenda", orgs: ["nodejs", "pkgjs"], repos: ["openjs-foundation/cross-project-council"] }))).toEqual([
      'label:"tsc agenda" is:open org:nodejs org:pkgjs repo:openjs-foundation/cross-project-council is:public',
    ]);
    expect(buildSearchQueries(config({ repos: ["a/b"], includePrivate: true }))).toEqual(['label:"security-wg-agenda" is:open repo:a/b']);
  });

  it("drops repos already covered by an org, and duplicates", () => {
    expect(buildSearchQueries(config({ orgs: ["nodejs", "NodeJS"], repos: ["nodejs/node", "Nodejs/Node", "x/y", "X/Y"] }))).toEqual([
      'label:"security-wg-agenda" is:open org:nodejs repo:x/y is:public',
    ]);
  });

  it("splits into several queries under 256 characters when many repos are listed", () => {
    const repos = Array.from({ length: 40 }, (_, i) => `some-organization/repository-${String(i).padStart(2, "0")}`);
    const queries = buildSearchQueries(config({ repos }));
    expect(queries.length).toBeGreaterThan(1);
    for (const q of queries) {
      expect(q.length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
      expect(q.startsWith('label:"security-wg-agenda" is:open repo:')).toBe(true);
      expect(q.endsWith(" is:public")).toBe(true);
    }
    // Every repo searched exactly once, in config order.
    const searched = queries.flatMap((q) => [...q.matchAll(/repo:(\S+)/g)].map((m) => m[1]));
    expect(searched).toEqual(repos);
    // Packed greedily: no query could have taken the next repo.
    for (let i = 0; i < queries.length - 1; i++) {
      const next = queries[i + 1]!.match(/repo:(\S+)/)![1];
      expect(queries[i]!.length + ` repo:${next}`.length).toBeGreaterThan(MAX_QUERY_LENGTH);
    }
  });

  it("refuses an agenda with no org or repo, which would search all of GitHub", () => {
    expect(() => buildSearchQueries(config({}))).toThrow("wg-meetings: the agenda names no `orgs` or `repos` to search");
    expect(() => buildSearchQueries(config({ includePrivate: true }))).toThrow("names no `orgs` or `repos`");
  });

  it("accepts a query of exactly 256 characters and refuses one of 257", () => {
    // label:"<label>" is:open org:a is:public is 32 characters around the label.
    const fits = "x".repeat(224);
    expect(buildSearchQueries(config({ label: fits, orgs: ["a"] }))).toEqual([`label:"${fits}" is:open org:a is:public`]);
    expect(buildSearchQueries(config({ label: fits, orgs: ["a"] }))[0]).toHaveLength(MAX_QUERY_LENGTH);
    expect(() => buildSearchQueries(config({ label: `${fits}x`, orgs: ["a"] }))).toThrow(
      "wg-meetings: the agenda search for org:a is longer than 256 characters; use a shorter label",
    );
  });

  it("packs a second scope into a query that it brings to exactly 256 characters, and no further", () => {
    const label = "x".repeat(218);
    expect(buildSearchQueries(config({ label, orgs: ["a", "b"] }))).toEqual([`label:"${label}" is:open org:a org:b is:public`]);
    const longer = `${label}x`;
    expect(buildSearchQueries(config({ label: longer, orgs: ["a", "b"] }))).toEqual([
      `label:"${longer}" is:open org:a is:public`,
      `label:"${longer}" is:open org:b is:public`,
    ]);
  });

  it("counts the is:public qualifier in the length, and leaves it out only with includePrivate", () => {
    // label:"<234 x>" is:open org:a is 256 characters: it fits only without " is:public".
    const label = "x".repeat(234);
    expect(buildSearchQueries(config({ label, orgs: ["a"], includePrivate: true }))).toEqual([`label:"${label}" is:open org:a`]);
    expect(() => buildSearchQueries(config({ label, orgs: ["a"] }))).toThrow("longer than 256 characters");
  });

  it("refuses a label that GitHub search cannot quote, or one too long to fit", () => {
    expect(() => buildSearchQueries(config({ label: 'say "hi"', orgs: ["a"] }))).toThrow(`wg-meetings: the agenda label "say \\"hi\\"" contains '"', which GitHub search cannot quote`);
    expect(() => buildSearchQueries(config({ label: "x".repeat(250), orgs: ["a"] }))).toThrow(/longer than 256/);
  });
});

describe("AGENDA_SEARCH", () => {
  it("is valid against GitHub's published GraphQL schema", () => {
    expect(validate(AGENDA_SEARCH)).toEqual([]);
  });

  it("is the named operation AgendaSearch with the documented variables", () => {
    expect(AGENDA_SEARCH).toMatch(/query AgendaSearch\(\$q: String!, \$first: Int!, \$after: String\)/);
    expect(AGENDA_SEARCH).toMatch(/search\(query: \$q, type: ISSUE, first: \$first, after: \$after\)/);
  });
});
