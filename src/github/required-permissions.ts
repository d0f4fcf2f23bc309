/**
 * What the App needs from GitHub, in one place: every endpoint it calls with the permission
 * GitHub requires for it, and every webhook event it handles with the permission GitHub requires
 * to subscribe to it. `app.yml` must grant exactly this (test/unit/app-manifest.test.ts holds it
 * there, and fails when code calls an endpoint this table does not list).
 *
 * Levels follow GitHub's "Permissions required for GitHub Apps" reference. Some endpoints accept
 * one of several permissions (a comment on a pull request: issues or pull_requests); the row
 * names the one this App relies on for what it does.
 */

/** A GitHub App permission, by the name a manifest's `default_permissions` uses. */
export type PermissionName = "issues" | "contents" | "pull_requests" | "checks" | "members" | "metadata";

/** A permission level; `write` includes `read`. */
export type PermissionLevel = "read" | "write";

/** A permission at its least level. */
export interface PermissionNeed {
  permission: PermissionName;
  level: PermissionLevel;
}

/** One endpoint the App calls. */
export interface EndpointPermission {
  /** `METHOD /route` as GitHub documents it, or `GraphQL <operation>`. */
  endpoint: string;
  /**
   * How the code calls it: an Octokit method (`issues.create`, as in `gh.rest.issues.create`),
   * `app.auth` (Probot's installation token exchange), or
   * `graphql:<OperationName>`.
   */
  calls: string[];
  /**
   * The permissions an installation token needs. Empty when none does: the App's own JWT
   * endpoints (`/app…`), and `GET /installation/repositories`, which any installation token may
   * call.
   */
  needs: PermissionNeed[];
  /** What the App uses it for. */
  why: string;
}

const read = (permission: PermissionName): PermissionNeed[] => [{ permission, level: "read" }];
const write = (permission: PermissionName): PermissionNeed[] => [{ permission, level: "write" }];

/** Every GitHub endpoint the App calls, with the permission it needs. */
export const ENDPOINT_PERMISSIONS: readonly EndpointPermission[] = [
  // The App itself (JWT), and its installations.
  { endpoint: "GET /app", calls: ["apps.getAuthenticated"], needs: [], why: "the App's slug: who its own issues, comments and PRs are by" },
  { endpoint: "GET /app/installations", calls: ["apps.listInstallations"], needs: [], why: "the tick visits every installation, skipping suspended ones" },
  {
    endpoint: "POST /app/installations/{installation_id}/access_tokens",
    calls: ["app.auth"],
    needs: [],
    why: "Probot exchanges the App's JWT for an installation token",
  },
  {
    endpoint: "GET /installation/repositories",
    calls: ["apps.listReposAccessibleToInstallation"],
    needs: [],
    why: "the tick lists the repositories an installation can see",
  },

  // Repositories, files, branches.
  { endpoint: "GET /repos/{owner}/{repo}", calls: ["repos.get"], needs: read("metadata"), why: "default branch and visibility of a repository" },
  {
    endpoint: "GET /repos/{owner}/{repo}/collaborators/{username}/permission",
    calls: ["repos.getCollaboratorPermissionLevel"],
    needs: read("metadata"),
    why: "whether a commenter may run chair commands (write access by default)",
  },
  {
    endpoint: "GET /repos/{owner}/{repo}/contents/{path}",
    calls: ["repos.getContent"],
    needs: read("contents"),
    why: "read .github/meetings.yml, its `_extends`, template overrides and the minutes file",
  },
  {
    endpoint: "PUT /repos/{owner}/{repo}/contents/{path}",
    calls: ["repos.createOrUpdateFileContents"],
    needs: write("contents"),
    why: "commit the minutes file on the App's own branch",
  },
  {
    endpoint: "GET /repos/{owner}/{repo}/compare/{basehead}",
    calls: ["repos.compareCommitsWithBasehead"],
    needs: read("contents"),
    why: "what an open minutes PR's branch changed, to undo a decisions log entry the meeting no longer has",
  },
  { endpoint: "GET /repos/{owner}/{repo}/branches/{branch}", calls: ["repos.getBranch"], needs: read("contents"), why: "the default branch's tree, for the claim commits" },

  // Git data: the claims (refs/wg-meetings/claims/…) and the minutes branch.
  { endpoint: "POST /repos/{owner}/{repo}/git/commits", calls: ["git.createCommit"], needs: write("contents"), why: "the dangling commit a claim points to (its date is the claim's age); the minutes commit with several files" },
  { endpoint: "GET /repos/{owner}/{repo}/git/commits/{commit_sha}", calls: ["git.getCommit"], needs: read("contents"), why: "how old a held claim is; the minutes branch's tree" },
  { endpoint: "POST /repos/{owner}/{repo}/git/trees", calls: ["git.createTree"], needs: write("contents"), why: "the minutes and the decisions log in one commit" },
  {
    endpoint: "POST /repos/{owner}/{repo}/git/refs",
    calls: ["git.createRef"],
    needs: write("contents"),
    why: "take a claim atomically (422 if another run has it); create the minutes branch",
  },
  { endpoint: "GET /repos/{owner}/{repo}/git/ref/{ref}", calls: ["git.getRef"], needs: read("contents"), why: "read a held claim; find the minutes branch" },
  {
    endpoint: "PATCH /repos/{owner}/{repo}/git/refs/{ref}",
    calls: ["git.updateRef"],
    needs: write("contents"),
    why: "take over a stale claim (fast-forward only); reset the minutes branch after a merge; move it to the minutes commit (fast-forward only)",
  },
  {
    endpoint: "DELETE /repos/{owner}/{repo}/git/refs/{ref}",
    calls: ["git.deleteRef"],
    needs: write("contents"),
    why: "release a merge follow-up's claim when its run ends, so a redelivery need not wait out the lease",
  },

  // Issues: the meeting issues, alarm issues, replies and reactions.
  { endpoint: "GET /repos/{owner}/{repo}/issues", calls: ["issues.listForRepo"], needs: read("issues"), why: "find the App's own meeting and alarm issues by their markers" },
  { endpoint: "POST /repos/{owner}/{repo}/issues", calls: ["issues.create"], needs: write("issues"), why: "open meeting issues and missing-meeting alarms" },
  { endpoint: "GET /repos/{owner}/{repo}/issues/{issue_number}", calls: ["issues.get"], needs: read("issues"), why: "read a meeting issue before editing it" },
  {
    endpoint: "PATCH /repos/{owner}/{repo}/issues/{issue_number}",
    calls: ["issues.update"],
    needs: write("issues"),
    why: "edit the agenda and doc link, /move, /cancel; close meetings and resolved alarms",
  },
  {
    endpoint: "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
    calls: ["issues.listComments"],
    needs: read("issues"),
    why: "a merged minutes PR closes its meeting with one comment, not one per redelivery",
  },
  {
    endpoint: "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
    calls: ["issues.createComment"],
    needs: write("issues"),
    why: "answer chair commands; comment when a meeting or an alarm is closed",
  },
  {
    endpoint: "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}",
    calls: ["issues.updateComment"],
    needs: write("issues"),
    why: "edit the App's comment on an agenda item discussed, when its minutes are merged again",
  },
  {
    endpoint: "GET /repos/{owner}/{repo}/assignees/{assignee}",
    calls: ["issues.checkUserCanBeAssigned"],
    needs: read("issues"),
    why: "assign an action item's issue only to owners GitHub accepts as assignees",
  },
  {
    endpoint: "POST /repos/{owner}/{repo}/issues/{issue_number}/labels",
    calls: ["issues.addLabels"],
    needs: write("pull_requests"),
    why: "label the minutes pull request (`minutes.labels`); on a pull request, issues: write alone is not enough",
  },
  { endpoint: "GET /repos/{owner}/{repo}/issues/{issue_number}/reactions", calls: ["reactions.listForIssue"], needs: read("issues"), why: "the 👍 RSVPs on the meeting issue (Present)" },
  {
    endpoint: "GET /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
    calls: ["reactions.listForIssueComment"],
    needs: read("issues"),
    why: "a redelivered command is recognised by the App's own 🚀/😕",
  },
  {
    endpoint: "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
    calls: ["reactions.createForIssueComment"],
    needs: write("issues"),
    why: "mark a chair command 👀 while working, then 🚀 or 😕",
  },

  // Pull requests: the minutes PR, and the config check of PRs.
  { endpoint: "GET /repos/{owner}/{repo}/pulls", calls: ["pulls.list"], needs: read("pull_requests"), why: "find the minutes PR of a branch (open, closed or merged)" },
  { endpoint: "POST /repos/{owner}/{repo}/pulls", calls: ["pulls.create"], needs: write("pull_requests"), why: "open the minutes PR" },
  { endpoint: "PATCH /repos/{owner}/{repo}/pulls/{pull_number}", calls: ["pulls.update"], needs: write("pull_requests"), why: "update or reopen the minutes PR" },
  {
    endpoint: "POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
    calls: ["pulls.requestReviewers"],
    needs: write("pull_requests"),
    why: "request `minutes.reviewers` and `minutes.teamReviewers`",
  },
  {
    endpoint: "GET /repos/{owner}/{repo}/pulls/{pull_number}/files",
    calls: ["pulls.listFiles"],
    needs: read("pull_requests"),
    why: "whether a pull request touches .github/meetings.yml",
  },

  // Check runs: the config check.
  { endpoint: "POST /repos/{owner}/{repo}/check-runs", calls: ["checks.create"], needs: write("checks"), why: "report the config check run" },
  {
    endpoint: "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}",
    calls: ["checks.update"],
    needs: write("checks"),
    why: "add annotations beyond the first 50",
  },
  {
    endpoint: "GET /repos/{owner}/{repo}/commits/{ref}/check-runs",
    calls: ["checks.listForRef"],
    needs: read("checks"),
    why: "a commit already checked (push and PR of the same commit) is not checked twice",
  },

  // Organizations.
  {
    endpoint: "GET /orgs/{org}/teams/{team_slug}/memberships/{username}",
    calls: ["teams.getMembershipForUserInOrg"],
    needs: read("members"),
    why: "`chairs.teams`: whether a commenter is in a chairs team",
  },
  {
    endpoint: "GET /orgs/{org}/teams/{team_slug}/members",
    calls: ["teams.listMembersInOrg"],
    needs: read("members"),
    why: "`quorum.members: org/team-slug`: the team whose members count towards quorum",
  },

  // GraphQL (POST /graphql), by operation.
  {
    endpoint: "GraphQL AgendaSearch",
    calls: ["graphql:AgendaSearch"],
    needs: [...read("issues"), ...read("pull_requests")],
    why: "the agenda: labelled issues and PRs across the orgs (private ones only when the config opts in)",
  },
  {
    endpoint: "GraphQL DiscoverMeetingConfigs",
    calls: ["graphql:DiscoverMeetingConfigs"],
    needs: read("contents"),
    why: "which of 100 repositories hold .github/meetings.yml, in one request",
  },
];

/** One webhook event the App handles. */
export interface EventPermission {
  /** The event's name, without an action (`issues`, not `issues.labeled`). */
  event: string;
  /** The permission GitHub requires before an App may subscribe to the event. */
  needs: PermissionNeed;
  /** What the App does when it arrives. */
  why: string;
}

/** Every event the App subscribes to, with the permission the subscription requires. */
export const EVENT_PERMISSIONS: readonly EventPermission[] = [
  {
    event: "push",
    needs: { permission: "contents", level: "read" },
    why: "a push touching .github/meetings.yml gets the config check run; on the default branch it also runs the tick",
  },
  { event: "issue_comment", needs: { permission: "issues", level: "read" }, why: "chair commands on a meeting issue" },
  { event: "issues", needs: { permission: "issues", level: "read" }, why: "a labelled, unlabelled, closed, reopened or retitled issue refreshes the live agenda" },
  {
    event: "pull_request",
    needs: { permission: "pull_requests", level: "read" },
    why: "the same for pull requests; config check of a PR; a merged minutes PR closes its meeting",
  },
];

/** Whether `granted` (a manifest level, or nothing) satisfies `needed`. */
export function levelSatisfies(granted: string | undefined, needed: PermissionLevel): boolean {
  if (granted === "write") return true;
  return granted === "read" && needed === "read";
}
