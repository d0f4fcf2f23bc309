import type { GitHub, RepoRef } from "./client.js";
import { isNotFound } from "./errors.js";

/**
 * The members of a team named by `quorum.members: org/team-slug`, for quorum. Only a team of the
 * repository's own organization is read: the config is written by anyone who can get a pull
 * request merged into one repository, and must not make the App read the teams of another
 * organization that also installed it. Needs the organization permission `members: read`.
 */

/** The most members read from a team (the config's list has the same bound). */
export const MAX_TEAM_MEMBERS = 200;

/** Thrown when the team cannot be read; the message says why, for the minutes pull request. */
export class TeamMembersError extends Error {
  override name = "TeamMembersError";
  /** `not-a-team`: not `org/slug`; `other-org`: not the repository owner's; `not-found`: GitHub answered 404. */
  readonly reason: "not-a-team" | "other-org" | "not-found";
  constructor(message: string, reason: TeamMembersError["reason"]) {
    super(message);
    this.reason = reason;
  }
}

/** A team's members: logins in GitHub's order, at most {@link MAX_TEAM_MEMBERS}. */
export interface TeamMembers {
  logins: string[];
  /** Whether the team had more members than were read. */
  truncated: boolean;
}

/**
 * The members of `team` (`org/team-slug`, an `@` in front allowed), including those of its
 * child teams, as GitHub lists them. Pages through `GET /orgs/{org}/teams/{team_slug}/members`
 * 100 at a time: one request for a team of up to 100, two for up to 200.
 *
 * @throws TeamMembersError when the team is not of the repository's owner, or GitHub answers 404
 *   (no such team, a secret team, or the installation has not granted `members: read`).
 */
export async function teamMembers(gh: GitHub, repo: RepoRef, team: string): Promise<TeamMembers> {
  const match = /^@?([A-Za-z0-9-]+)\/((?!\.+$)[A-Za-z0-9._-]+)$/.exec(team);
  if (!match) throw new TeamMembersError(`"${team.slice(0, 100)}" is not a team (expected org/team-slug)`, "not-a-team");
  const [, org, slug] = match as unknown as [string, string, string];
  if (org.toLowerCase() !== repo.owner.toLowerCase()) {
    throw new TeamMembersError(`the team ${org}/${slug} is not of ${repo.owner}: only a team of the repository's own organization counts`, "other-org");
  }
  const logins: string[] = [];
  let truncated = false;
  try {
    const pages = gh.paginate.iterator(gh.rest.teams.listMembersInOrg, { org: repo.owner, team_slug: slug, per_page: 100 });
    for await (const { data } of pages) {
      for (const member of data) {
        if (logins.length >= MAX_TEAM_MEMBERS) {
          truncated = true;
          break;
        }
        logins.push(member.login);
      }
      if (truncated) break;
    }
  } catch (error) {
    if (isNotFound(error)) {
      throw new TeamMembersError(`the team ${org}/${slug} was not found (or the App may not read its members: it needs the organization permission members: read)`, "not-found");
    }
    throw error;
  }
  return { logins, truncated };
}
