import type { MeetingsConfig } from "../config/schema.js";
import { type GitHub, type Log, repoRef } from "../github/client.js";
import { isNotFound, statusOf } from "../github/errors.js";
import { getBotLogin, listActiveInstallations } from "../github/installations.js";
import { listMeetingIssues } from "../github/meeting-issues.js";
import { loadRepoConfig } from "../github/repo-config.js";
import type { FeedIssue } from "./series-feed.js";

/** A repository one of the App's installations can see, as the directory lists it. */
export interface KnownRepo {
  /** `owner/name` as GitHub spells it, for links and UIDs. */
  fullName: string;
  installationId: number;
  /** Private or internal: never a feed, and its config is never read. */
  private: boolean;
  /**
   * The repository's web address as GitHub returned it (`html_url`): the feed's links use it,
   * so they name the right host on GitHub Enterprise Server too.
   */
  htmlUrl?: string;
}

/** What the feed route needs to know about a public repository that has a config. */
export interface FeedRepo {
  config: MeetingsConfig;
  /** `owner/name` as GitHub spells it. */
  fullName: string;
  /** See `KnownRepo.htmlUrl`. */
  htmlUrl?: string;
  /**
   * The App's meeting issues, as their markers describe them. Optional: without it, events link
   * to a search for their title and `/move` or `/cancel` do not show. Costs one request (the
   * newest 100 issues the App opened in the repository).
   */
  meetingIssues?: () => Promise<FeedIssue[]>;
}

/**
 * How the feed route learns about repositories. Split in two so that no request path reaches
 * GitHub on its own: the route looks a path up in `listRepos`' answer (refreshed every few
 * minutes), and calls `loadRepo` only for a public repository found there.
 */
export interface FeedLookup {
  /** Every repository of every active installation (suspended ones left out). */
  listRepos(): Promise<KnownRepo[]>;
  /** A public repository's config (and meeting issues), or `null` when it has no valid config. */
  loadRepo(repo: KnownRepo): Promise<FeedRepo | null>;
}

export interface RepoLookupDeps {
  /** `auth()` is the App (JWT), `auth(id)` an installation: Probot's `app.auth`. */
  auth(installationId?: number): Promise<GitHub>;
  /** The App's bot login, for listing its issues (default: `GET /app`, fetched once). */
  botLogin?: () => Promise<string>;
  log?: Log;
}

/** Installations whose repositories are listed at the same time. */
const LIST_CONCURRENCY = 4;

/**
 * The Probot-backed `FeedLookup`.
 *
 * `listRepos`: `GET /app/installations` with the App's JWT, then for each active installation
 * `GET /installation/repositories` (100 per page). The same listing a tick makes; what it costs
 * depends on the installations, never on what anyone asks the route. An installation GitHub
 * answers 403 or 404 for (uninstalled meanwhile) lists nothing; other failures throw.
 *
 * `loadRepo`: `.github/meetings.yml` as that installation (`loadRepoConfig`); `null` unless it
 * is valid. Other GitHub failures (5xx, rate limits) throw.
 */
export function createRepoLookup(deps: RepoLookupDeps): FeedLookup {
  let login: Promise<string> | undefined;
  const botLogin = () => (login ??= deps.botLogin ? deps.botLogin() : deps.auth().then(getBotLogin));

  async function installationRepos(installationId: number): Promise<KnownRepo[]> {
    const gh = await deps.auth(installationId);
    let listed;
    try {
      listed = await gh.paginate(gh.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
    } catch (error) {
      const status = statusOf(error);
      if (status !== 403 && status !== 404) throw error;
      deps.log?.debug({ installation: installationId, status }, "calendar feed: installation lists no repositories");
      return [];
    }
    return listed.map((repo) => ({
      fullName: repo.full_name,
      installationId,
      private: repo.private || (repo.visibility !== undefined && repo.visibility !== "public"),
      ...(typeof repo.html_url === "string" && repo.html_url ? { htmlUrl: repo.html_url } : {}),
    }));
  }

  return {
    async listRepos() {
      const { active } = await listActiveInstallations(await deps.auth());
      const repos: KnownRepo[] = [];
      for (let next = 0; next < active.length; next += LIST_CONCURRENCY) {
        const batch = await Promise.all(active.slice(next, next + LIST_CONCURRENCY).map((installation) => installationRepos(installation.id)));
        repos.push(...batch.flat());
      }
      return repos;
    },

    async loadRepo(known) {
      if (known.private) return null;
      const gh = await deps.auth(known.installationId);
      const ref = repoRef(known.fullName);
      let loaded;
      try {
        loaded = await loadRepoConfig(gh, ref);
      } catch (error) {
        // Deleted or renamed since the listing: the next listing knows.
        if (isNotFound(error)) return null;
        throw error;
      }
      if (loaded.status !== "ok") {
        deps.log?.debug({ repo: known.fullName, status: loaded.status }, "calendar feed refused: no valid .github/meetings.yml");
        return null;
      }
      return {
        config: loaded.config,
        fullName: known.fullName,
        ...(known.htmlUrl ? { htmlUrl: known.htmlUrl } : {}),
        meetingIssues: async () =>
          (await listMeetingIssues(gh, ref, await botLogin())).map(({ marker, url }) => {
            // `/move` and `/cancel` record these in the marker.
            const { movedFrom, cancelled } = marker as { movedFrom?: unknown; cancelled?: unknown };
            return {
              series: marker.series,
              at: marker.at,
              url,
              ...(typeof movedFrom === "string" ? { movedFrom } : {}),
              ...(cancelled === true ? { cancelled: true } : {}),
            };
          }),
      };
    },
  };
}
