import { groupAgenda } from "../agenda/group-agenda.js";
import {
  AGENDA_SEARCH,
  PAGE_SIZE,
  SEARCH_RESULT_CAP,
  buildSearchQueries,
  type AgendaSearchNode,
  type AgendaSearchResponse,
} from "../agenda/search-query.js";
import type { Agenda, AgendaItem } from "../agenda/types.js";
import type { AgendaConfig } from "../config/schema.js";

/** The GraphQL call `searchAgenda` needs; `octokit.graphql` fits, and so does a test fake. */
export type GraphqlFn = <T>(query: string, variables: Record<string, unknown>) => Promise<T>;

/** What `searchAgenda` reports besides the agenda: the calls it made and their rate-limit cost. */
export interface AgendaSearchResult {
  agenda: Agenda;
  /** GraphQL requests sent (one per page of up to 100 results). */
  requests: number;
  /** Sum of `rateLimit.cost` over those requests. */
  cost: number;
}

/**
 * Gathers a series' agenda: every open issue and pull request with the agenda label in the
 * configured orgs and repos, grouped and sorted by {@link groupAgenda}.
 *
 * One request per 100 results, following `endCursor` to the end of each query (queries come
 * from `buildSearchQueries`, which splits long scope lists). GitHub never returns more than
 * 1,000 results for one query: when a query matches more, the agenda is marked `truncated`
 * (the templates show a warning) and a warning is logged — an incomplete agenda must be visible,
 * not silent.
 *
 * Items from private repositories are dropped unless `includePrivate`, even though the query
 * already says `is:public`: a security group's public meeting issue must not leak an embargoed
 * title because a qualifier was ignored or mistyped. Only the count is logged, never the titles.
 */
export async function searchAgenda(
  graphql: GraphqlFn,
  agenda: AgendaConfig,
  log?: { warn(obj: object, msg: string): void },
): Promise<AgendaSearchResult> {
  const items: AgendaItem[] = [];
  let requests = 0;
  let cost = 0;
  let truncated = false;
  let droppedPrivate = 0;

  for (const q of buildSearchQueries(agenda)) {
    let after: string | null = null;
    let fetched = 0;
    let issueCount = 0;
    let hasNextPage = false;
    // The page bound also guards against a misbehaving server that never ends the pagination.
    while (fetched < SEARCH_RESULT_CAP) {
      const page: AgendaSearchResponse = await graphql<AgendaSearchResponse>(AGENDA_SEARCH, {
        q,
        first: PAGE_SIZE,
        after,
      });
      requests += 1;
      cost += page.rateLimit?.cost ?? 0;
      issueCount = page.search.issueCount;
      fetched += page.search.nodes.length;
      for (const node of page.search.nodes) {
        const item = toAgendaItem(node);
        if (!item) continue;
        if (item.isPrivate && !agenda.includePrivate) {
          droppedPrivate += 1;
          continue;
        }
        items.push(item.item);
      }
      hasNextPage = page.search.pageInfo.hasNextPage;
      after = page.search.pageInfo.endCursor;
      if (!hasNextPage || !after || page.search.nodes.length === 0) break;
    }
    if (issueCount > fetched && (issueCount > SEARCH_RESULT_CAP || hasNextPage)) {
      truncated = true;
      log?.warn(
        { query: q, issueCount, fetched, cap: SEARCH_RESULT_CAP },
        "agenda search matched more results than GitHub returns; the agenda is incomplete",
      );
    }
  }

  if (droppedPrivate > 0) {
    log?.warn({ dropped: droppedPrivate }, "agenda search returned items from private repositories; they were left out");
  }
  return { agenda: groupAgenda(items, truncated), requests, cost };
}

/** Maps a search node to an item, or `null` for a node that is neither an issue nor a PR. */
function toAgendaItem(node: AgendaSearchNode | null): { item: AgendaItem; isPrivate: boolean } | null {
  if (!node || typeof node.number !== "number" || typeof node.title !== "string" || typeof node.url !== "string") {
    return null;
  }
  if (!node.repository) return null;
  const kind =
    node.__typename === "PullRequest"
      ? "pull_request"
      : node.__typename === "Issue"
        ? "issue"
        : // Some fakes and proxies omit __typename; the URL still tells the two apart.
          /\/pull\/\d+$/.test(node.url)
          ? "pull_request"
          : "issue";
  return {
    item: { repository: node.repository.nameWithOwner, number: node.number, title: node.title, url: node.url, kind },
    isPrivate: node.repository.isPrivate,
  };
}
