import type { MeetingsConfig } from "../config/schema.js";
import type { GitHub, Log, RepoRef } from "../github/client.js";
import { isNotFound } from "../github/errors.js";
import { getBotLogin } from "../github/installations.js";
import { listMeetingIssues } from "../github/meeting-issues.js";
import { loadRepoConfig } from "../github/repo-config.js";
import type { FeedIssue } from "./series-feed.js";

/** What the feed route needs to know about a repository. */
export interface FeedRepo {
  /** Private (or internal) repositories never get a feed. */
  private: boolean;
  config: MeetingsConfig;
  /** `owner/name` as GitHub spells it, for links and UIDs (default: as the request spelt it). */
  fullName?: string;
  /**
   * The repository's web address as GitHub returned it (`html_url`): the feed's links use it,
   * so they name the right host on GitHub Enterprise Server too.
   */
  htmlUrl?: string;
  /**
   * The App's meeting issues, as their markers describe them. Optional: without it, events link
   * to a search for their title and `/move` or `/cancel` do not show. Costs one request (the
   * newest 100 issues the App opened in the repository).
   */
  meetingIssues?: () => Promise<FeedIssue[]>;
}

/** Finds a repository's feed facts, or `null` when there is no such (visible) repository. */
export type FeedLookup = (owner: string, repo: string) => Promise<FeedRepo | null>;

export interface RepoLookupDeps {
  /** `auth()` is the App (JWT), `auth(id)` an installation: Probot's `app.auth`. */
  auth(installationId?: number): Promise<GitHub>;
  /** The App's bot login, for listing its issues (default: `GET /app`, fetched once). */
  botLogin?: () => Promise<string>;
  log?: Log;
}

/**
 * The Probot-backed `FeedLookup`: `GET /repos/{o}/{r}/installation` with the App's JWT, then as
 * that installation `GET /repos/{o}/{r}` and `.github/meetings.yml` (`loadRepoConfig`).
 *
 * `null` (the route answers 404) when the App is not installed on the repository or the
 * installation is suspended, the repository is not public (its config is then never read), or
 * it has no valid config. Other GitHub failures (5xx, rate limits) throw.
 */
export function createRepoLookup(deps: RepoLookupDeps): FeedLookup {
  let login: Promise<string> | undefined;
  const botLogin = () => (login ??= deps.botLogin ? deps.botLogin() : deps.auth().then(getBotLogin));

  return async (owner, repo) => {
    const appGh = await deps.auth();
    let installationId: number;
    try {
      const { data } = await appGh.rest.apps.getRepoInstallation({ owner, repo });
      if (data.suspended_at) return null;
      installationId = data.id;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }

    const gh = await deps.auth(installationId);
    let ref: RepoRef;
    let fullName: string;
    let htmlUrl: string | undefined;
    try {
      const { data } = await gh.rest.repos.get({ owner, repo });
      if (data.private || (data.visibility !== undefined && data.visibility !== "public")) {
        deps.log?.debug({ repo: data.full_name }, "calendar feed refused: the repository is not public");
        return null;
      }
      ref = { owner: data.owner.login, repo: data.name };
      fullName = data.full_name;
      htmlUrl = typeof data.html_url === "string" && data.html_url ? data.html_url : undefined;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }

    const loaded = await loadRepoConfig(gh, ref);
    if (loaded.status !== "ok") {
      deps.log?.debug({ repo: fullName, status: loaded.status }, "calendar feed refused: no valid .github/meetings.yml");
      return null;
    }
    return {
      private: false,
      config: loaded.config,
      fullName,
      ...(htmlUrl ? { htmlUrl } : {}),
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
  };
}
