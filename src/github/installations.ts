import type { GitHub } from "./client.js";
import type { InstalledRepo } from "./repo-config.js";

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

/** Every repository an installation can see, 100 per request. */
export async function listInstallationRepos(gh: GitHub): Promise<InstalledRepo[]> {
  const repos = await gh.paginate(gh.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
  return repos.map((repo) => ({
    fullName: repo.full_name,
    nodeId: repo.node_id,
    defaultBranch: repo.default_branch,
    archived: repo.archived,
  }));
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
