import type { AgendaConfig } from "../config/schema.js";

/**
 * GitHub rejects search strings longer than 256 characters ("The search is longer than 256
 * characters"), so a series that lists many repositories needs several queries.
 */
export const MAX_QUERY_LENGTH = 256;

/** Results per GraphQL request: the most `search` returns in one page. */
export const PAGE_SIZE = 100;

/** GitHub's search stops at 1,000 results per query, whatever the page size. */
export const SEARCH_RESULT_CAP = 1000;

/**
 * The search strings that together find every agenda item of a series:
 * `label:"<label>" is:open <org:a org:b repo:o/r …> is:public`.
 *
 * - Several `org:`/`repo:` qualifiers in one string are OR-ed by GitHub, so the scopes are packed
 *   greedily, in config order, into as few strings as fit in {@link MAX_QUERY_LENGTH}.
 * - `repo:` entries whose owner is already an `org:` are dropped: the org search finds them.
 * - `is:public` is added unless `includePrivate`: an installation token sees the org's private
 *   repositories, and a public meeting issue must never leak their titles. (The search result
 *   is filtered again in `searchAgenda`, in case the qualifier is ever ignored.)
 * - Issues and pull requests are both searched (no `is:issue`); the GraphQL `search` accepts that.
 *
 * Throws when the label cannot be expressed (a `"` has no escape in GitHub's search syntax) or
 * a single scope does not fit, rather than silently searching for something else.
 */
export function buildSearchQueries(agenda: AgendaConfig): string[] {
  if (agenda.label.includes('"')) {
    throw new Error(`wg-meetings: the agenda label ${JSON.stringify(agenda.label)} contains '"', which GitHub search cannot quote`);
  }
  const head = `label:"${agenda.label}" is:open`;
  const tail = agenda.includePrivate ? "" : " is:public";

  const orgs = unique(agenda.orgs);
  const orgSet = new Set(orgs.map((org) => org.toLowerCase()));
  const repos = unique(agenda.repos).filter((repo) => !orgSet.has(repo.split("/")[0]!.toLowerCase()));
  const scopes = [...orgs.map((org) => `org:${org}`), ...repos.map((repo) => `repo:${repo}`)];
  if (scopes.length === 0) throw new Error("wg-meetings: the agenda names no `orgs` or `repos` to search");

  const queries: string[] = [];
  let current: string[] = [];
  const render = (list: string[]) => `${head} ${list.join(" ")}${tail}`;
  for (const scope of scopes) {
    if (render([scope]).length > MAX_QUERY_LENGTH) {
      throw new Error(`wg-meetings: the agenda search for ${scope} is longer than ${MAX_QUERY_LENGTH} characters; use a shorter label`);
    }
    if (current.length > 0 && render([...current, scope]).length > MAX_QUERY_LENGTH) {
      queries.push(render(current));
      current = [];
    }
    current.push(scope);
  }
  queries.push(render(current));
  return queries;
}

/** Case-insensitive de-duplication that keeps the first spelling and the config order. */
function unique(names: string[]): string[] {
  const seen = new Set<string>();
  return names.filter((name) => {
    const key = name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * One page of agenda search results. A named operation, so it is recognisable in logs, in
 * nock/emulate fixtures and in GitHub's own audit. `rateLimit { cost }` lets the caller report
 * what a tick costs (search is 1 point per request at this size). Validated against GitHub's
 * published schema in the tests.
 */
export const AGENDA_SEARCH = /* GraphQL */ `
  query AgendaSearch($q: String!, $first: Int!, $after: String) {
    search(query: $q, type: ISSUE, first: $first, after: $after) {
      issueCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        __typename
        ... on Issue {
          number
          title
          url
          repository {
            nameWithOwner
            isPrivate
          }
        }
        ... on PullRequest {
          number
          title
          url
          repository {
            nameWithOwner
            isPrivate
          }
        }
      }
    }
    rateLimit {
      cost
      remaining
    }
  }
`;

/** The response shape of {@link AGENDA_SEARCH}. */
export interface AgendaSearchResponse {
  search: {
    issueCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: Array<AgendaSearchNode | null>;
  };
  rateLimit: { cost: number; remaining: number } | null;
}

/**
 * One search hit. Every field is optional in the type because the caller checks the shape:
 * other node types (none can match `type: ISSUE` today) come back as `{}`.
 */
export interface AgendaSearchNode {
  __typename?: string;
  number?: number;
  title?: string;
  url?: string;
  repository?: { nameWithOwner: string; isPrivate: boolean } | null;
}
