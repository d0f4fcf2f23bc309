import { Readable } from "node:stream";
import type { GitHub } from "./client.js";
import { discoverConfigs, type InstalledRepo } from "./repo-config.js";
import { currentDeadline, sendingThrough } from "./request-deadline.js";
import { RepositoryListingScanner } from "./repository-listing-scanner.js";
import { streamingFetch } from "./streaming-fetch.js";

/** An installation the tick should visit. */
export interface ActiveInstallation {
  id: number;
  account: string;
}

/**
 * Lists the App's installations, skipping suspended ones (GitHub refuses their tokens, and
 * an owner who suspended the App wants silence). Needs the App's JWT client.
 */
export async function listActiveInstallations(appGh: GitHub): Promise<{ active: ActiveInstallation[]; suspended: number }> {
  const all = await appGh.paginate(appGh.rest.apps.listInstallations, { per_page: 100 });
  const active: ActiveInstallation[] = [];
  let suspended = 0;
  for (const installation of all) {
    if (installation.suspended_at) {
      suspended++;
      continue;
    }
    const account = installation.account && "login" in installation.account ? installation.account.login : String(installation.id);
    active.push({ id: installation.id, account });
  }
  return { active, suspended };
}

/** Repositories asked for per listing page (GitHub's most). */
const PER_PAGE = 100;

/** Most listing pages one installation is read in (100 repositories each). */
const MAX_LISTING_PAGES = 2_000;

/** Times one page is asked for when its body breaks off while being read. */
const PAGE_READ_ATTEMPTS = 3;

/**
 * Every repository an installation can see, page by page: 100 per request (⌈K/100⌉ requests),
 * each page cut down to the four fields the tick reads while its bytes arrive
 * (repository-listing-scanner.ts), so neither a page's text nor its objects are ever built.
 * The requests go through the client like any other (auth, retry, throttling, timeout,
 * deadline), by way of streamingFetch. A page is yielded once it has been read whole and
 * checked; the next one is asked for when the caller wants it.
 */
export async function* repositoryPages(gh: GitHub): AsyncGenerator<InstalledRepo[]> {
  const fetch = sendingThrough(gh.request.endpoint.DEFAULTS.request?.fetch, streamingFetch);
  const request = { fetch, parseSuccessResponseBody: false };
  let url: string | undefined = gh.request.endpoint("GET /installation/repositories", { per_page: PER_PAGE }).url;
  // A next link back to a page already read (a proxy or cache that drops the query string
  // answers page 1 for every page) would go round until the page cap, 2,000 requests and
  // their config queries later.
  const read = new Set<string>();
  for (let page = 1; url; page++) {
    if (page > MAX_LISTING_PAGES) throw new Error(`wg-meetings: the repository listing has more than ${MAX_LISTING_PAGES} pages; stopped`);
    read.add(url);
    const { repos, link } = await readPage(gh, url, request);
    yield repos;
    url = nextPageUrl(link, url);
    if (url !== undefined && read.has(url)) throw new Error(`wg-meetings: the repository listing's next page ${url} was read already; not followed`);
  }
}

/**
 * One listing page, read whole. Octokit's retry covers the request up to its answer; a body
 * that breaks off afterwards (a reset connection, a cut gzip stream, an attempt's timeout) is
 * asked for again here, up to {@link PAGE_READ_ATTEMPTS} times, unless the run's deadline ended
 * it: one broken page of a hundred should not cost the installation its tick.
 */
async function readPage(gh: GitHub, url: string, request: object): Promise<{ repos: InstalledRepo[]; link: string | undefined }> {
  for (let attempt = 1; ; attempt++) {
    const response: { status: number; headers: { link?: string | undefined }; data: unknown } = await gh.request("GET /installation/repositories", {
      // The route names the endpoint (the manifest test reads it); `url`, the page's whole URL
      // with its query, takes its place when the request is sent.
      url,
      request,
    });
    if (response.status !== 200) {
      // Nothing reads this answer's body: let it go, or its connection stays taken (out of the
      // pool, keeping a CLI run alive) until the request's timeout ends it.
      discard(response.data);
      throw new Error(`wg-meetings: GitHub answered the repository listing with ${response.status}`);
    }
    try {
      const scanner = new RepositoryListingScanner({ maxRepositories: PER_PAGE });
      const repos: InstalledRepo[] = [];
      for await (const chunk of response.data as AsyncIterable<Uint8Array>) for (const repo of scanner.write(chunk)) repos.push(repo);
      scanner.end();
      return { repos, link: response.headers.link };
    } catch (error) {
      discard(response.data);
      if (attempt >= PAGE_READ_ATTEMPTS || currentDeadline()?.aborted) throw error;
    }
  }
}

/** Ends an answer's body that will not be read: streamingFetch's Node stream, or a web stream. */
function discard(body: unknown): void {
  if (body instanceof Readable) body.destroy();
  else if (body instanceof ReadableStream) body.cancel().catch(() => {});
}

/**
 * The `rel="next"` link of a listing page, only when it stays on GitHub's API origin: the
 * installation token goes with it, so a link elsewhere is not followed.
 *
 * @param page the URL of the page the link came with: a relative link is read against it (as
 *   a Link header's may be), and its origin is the only one followed.
 */
export function nextPageUrl(link: string | undefined, page: string): string | undefined {
  const match = /<([^<>]+)>;\s*rel="next"/.exec(link ?? "");
  if (!match) return undefined;
  const origin = new URL(page).origin;
  const url = new URL(match[1]!, page);
  if (url.origin !== origin) throw new Error(`wg-meetings: the repository listing's next page is on ${url.origin}, not ${origin}; not followed`);
  return url.href;
}

/** An installation's repositories, and which of them hold `.github/meetings.yml`. */
export interface ConfiguredRepos {
  /** Every repository listed, archived ones included. */
  listed: number;
  /** The repositories with a config, in listing order. */
  repos: InstalledRepo[];
  /** Each one's config text, by `owner/name`, as discovery read it. */
  texts: Map<string, string>;
}

/** Repositories per config-discovery query (GitHub's limit of node ids per `nodes` query). */
const DISCOVERY_BATCH = 100;

/**
 * Lists an installation's repositories and finds the configured ones, page by page: each page
 * of 100 is cut down to what the tick reads as it arrives, and the config discovery of one batch
 * of 100 unarchived repositories (archived ones are read-only: no meeting can open there) runs
 * while the next page is fetched, at most one batch in flight. Requests are those of listing
 * then discovering, ⌈K/100⌉ and ⌈unarchived/100⌉, in about half the time; memory holds one page
 * of full repository objects and the small records, whatever K is.
 */
export async function listConfiguredRepos(gh: GitHub): Promise<ConfiguredRepos> {
  const result: ConfiguredRepos = { listed: 0, repos: [], texts: new Map() };
  const discover = async (batch: InstalledRepo[]) => {
    const texts = await discoverConfigs(gh, batch);
    for (const repo of batch) {
      const text = texts.get(repo.fullName);
      if (text === undefined) continue;
      result.repos.push(repo);
      result.texts.set(repo.fullName, text);
    }
  };
  let pending: InstalledRepo[] = [];
  let inFlight: Promise<void> = Promise.resolve();
  const send = async (batch: InstalledRepo[]) => {
    await inFlight;
    inFlight = discover(batch);
    // Awaited below (its error is the listing's); handled here so a failure while the next page
    // is on its way is not an unhandled rejection.
    inFlight.catch(() => {});
  };
  for await (const page of repositoryPages(gh)) {
    for (const repo of page) {
      result.listed++;
      if (!repo.archived) pending.push(repo);
    }
    while (pending.length >= DISCOVERY_BATCH) await send(pending.splice(0, DISCOVERY_BATCH));
  }
  if (pending.length > 0) await send(pending);
  pending = [];
  await inFlight;
  return result;
}

/** One repository, for runs scoped to it (a push event, `tick --repo`). */
export async function getInstalledRepo(gh: GitHub, owner: string, repo: string): Promise<InstalledRepo> {
  const { data } = await gh.rest.repos.get({ owner, repo });
  return { fullName: data.full_name, nodeId: data.node_id, defaultBranch: data.default_branch, archived: data.archived };
}

/** The login the App's installation tokens act as, e.g. `wg-meetings[bot]`. Needs the JWT client. */
export async function getBotLogin(appGh: GitHub): Promise<string> {
  const { data } = await appGh.rest.apps.getAuthenticated();
  if (!data?.slug) throw new Error("wg-meetings: GET /app returned no slug");
  return `${data.slug}[bot]`;
}
