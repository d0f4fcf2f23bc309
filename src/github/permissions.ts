import type { GitHub, RepoRef } from "./client.js";
import { isNotFound } from "./errors.js";

/** Repository roles from lowest to highest, as GitHub names them in `role_name`. */
const ROLES = ["none", "read", "triage", "write", "maintain", "admin"] as const;
/** A commenter's role in a repository (`none`: not a collaborator). */
export type Role = (typeof ROLES)[number];

/** Who may run chair commands (`chairs` in config). */
export interface ChairRule {
  permission: "write" | "maintain" | "admin";
  users: string[];
  teams: string[];
}

/**
 * Whether `login` may run chair commands. Named users and teams, when configured, replace the
 * permission rule (so a group can allow exactly its chairs); otherwise the user needs at least
 * `permission` on the repository. `role`: the user's role if the caller already read it.
 */
export async function mayChair(gh: GitHub, repo: RepoRef, login: string, rule: ChairRule, role?: Role): Promise<boolean> {
  if (rule.users.length > 0 || rule.teams.length > 0) {
    if (rule.users.some((user) => user.toLowerCase() === login.toLowerCase())) return true;
    for (const team of rule.teams) {
      if (await isTeamMember(gh, team, login)) return true;
    }
    return false;
  }
  return atLeast(role ?? (await repositoryRole(gh, repo, login)), rule.permission);
}

/** The user's role in the repository (one request); `none` when GitHub does not know them there. */
export async function repositoryRole(gh: GitHub, repo: RepoRef, login: string): Promise<Role> {
  try {
    const { data } = await gh.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: login });
    // `role_name` knows maintain and triage; `permission` folds them into write and read.
    // A custom role (GitHub Enterprise) has its own name: fall back to the base permission.
    const named = data.role_name as Role;
    if (ROLES.includes(named)) return named;
    const base = data.permission as Role;
    return ROLES.includes(base) ? base : "none";
  } catch (error) {
    if (isNotFound(error)) return "none";
    throw error;
  }
}

/** Whether `role` is `needed` or higher. */
export function atLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** `org/team-slug` membership (active only). Needs the App's `members: read` permission. */
async function isTeamMember(gh: GitHub, team: string, login: string): Promise<boolean> {
  const [org, slug] = team.split("/");
  if (!org || !slug) return false;
  try {
    const { data } = await gh.rest.teams.getMembershipForUserInOrg({ org, team_slug: slug, username: login });
    return data.state === "active";
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}
