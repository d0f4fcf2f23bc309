import type { GitHub, RepoRef } from "./client.js";
import { createOnce } from "./create-once.js";
import { isAlreadyExists, isNotFound, statusOf } from "./errors.js";

/** A file's path in the repository and the UTF-8 text it should hold. */
export interface ProposedFile {
  path: string;
  content: string;
}

/** What a pull request proposes, and how it is opened. */
interface ProposalBase {
  /** The branch the App owns, e.g. `wg-meetings/minutes-security-wg-2024-10-24`. */
  branch: string;
  /** The repository's default branch (the PR's base). */
  base: string;
  commitMessage: string;
  title: string;
  body: string;
  labels: string[];
  reviewers: string[];
  teamReviewers: string[];
}

/** One file to propose through a pull request. */
export interface FileProposal extends ProposalBase {
  path: string;
  content: string;
}

/** Several files to propose through a pull request, in one commit. */
export interface FilesProposal extends ProposalBase {
  /** At least one; paths must differ. */
  files: ProposedFile[];
  /**
   * Paths this run leaves as the base has them (not among `files`): on a branch kept from an
   * earlier run (its PR not merged), a change that run made to them is undone in the same
   * commit — a decisions log whose meeting no longer has decisions, say. The branch is compared
   * with the base (one request) only when `when` says the PR's body (the App's, from that run)
   * shows such a change, so a plain re-run costs nothing more.
   */
  restore?: { paths: string[]; when: (previousBody: string) => boolean };
}

/** What proposing the file did; every step reports whether it wrote. */
export interface ProposalResult {
  number: number;
  url: string;
  /**
   * `created`: a new PR; `updated`: an open PR reused; `reopened`: a closed one reopened;
   * `merged`: the same content was already merged (nothing to propose).
   */
  pr: "created" | "updated" | "reopened" | "merged";
  branch: "created" | "existed" | "reset";
  file: "committed" | "unchanged";
}

/**
 * Commits one file on the App's own branch and opens — or updates — its one pull request.
 * Every step looks before it writes, so a re-run after a failure anywhere (say a 5xx between
 * creating the branch and opening the PR) finishes the job instead of repeating it:
 *
 * - the branch is created from the base, or reused; if its last PR was merged, the branch is
 *   reset to the base first, so the new PR carries only the new change;
 * - the file is committed only when its content differs (Contents API: works when the folder
 *   does not exist yet, and never touches the protected default branch);
 * - an open PR for the branch is reused (title and body refreshed); a PR that was closed
 *   without merging is reopened, because a chair asking for the minutes again means it;
 *   otherwise a PR is opened, once (a lost answer is settled by finding the branch's open PR),
 *   then labelled and its reviewers requested. Two runs racing to open it: GitHub refuses the
 *   second with 422, which then reuses the first;
 * - a reused PR gets the configured labels it lacks (a run may have died before labelling).
 */
export async function proposeFile(gh: GitHub, repo: RepoRef, proposal: FileProposal): Promise<ProposalResult> {
  const { path, content, ...rest } = proposal;
  return proposeFiles(gh, repo, { ...rest, files: [{ path, content }] });
}

/**
 * {@link proposeFile} for several files in one commit, with the same guarantees. One file goes
 * through the Contents API as before (two requests); several go through the Git data API: the
 * branch's commit is read, a tree is made on top of its tree with the files' contents, and only
 * when that tree differs is a commit made and the branch moved to it (fast-forward only: a
 * concurrent commit makes the move fail with 422, and the run reads the branch again, up to
 * three times). Four requests when something changed, two when nothing did.
 */
export async function proposeFiles(gh: GitHub, repo: RepoRef, proposal: FilesProposal): Promise<ProposalResult> {
  if (proposal.files.length === 0) throw new Error("proposeFiles: no file to propose");
  if (new Set(proposal.files.map((file) => file.path)).size !== proposal.files.length) throw new Error("proposeFiles: a path is given twice");
  const baseSha = await refSha(gh, repo, `heads/${proposal.base}`);
  if (!baseSha) throw new Error(`the base branch ${proposal.base} does not exist`);

  const previous = await latestPull(gh, repo, proposal.branch);
  let branch: ProposalResult["branch"];
  const branchSha = await refSha(gh, repo, `heads/${proposal.branch}`);
  // Where the branch is now, as far as this run knows (a race is caught by the fast-forward).
  let head = branchSha ?? baseSha;
  if (!branchSha) {
    try {
      await gh.rest.git.createRef({ ...repo, ref: `refs/heads/${proposal.branch}`, sha: baseSha });
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
    branch = "created";
  } else if (previous?.merged_at) {
    await gh.rest.git.updateRef({ ...repo, ref: `heads/${proposal.branch}`, sha: baseSha, force: true });
    head = baseSha;
    branch = "reset";
  } else {
    branch = "existed";
  }

  // Created or reset, the branch is the base: there is nothing an earlier run left to undo.
  const undo = branch === "existed" && previous && proposal.restore && proposal.restore.paths.length > 0 && proposal.restore.when(previous.body ?? "");
  const restored = undo ? await restoredEntries(gh, repo, proposal, baseSha, head) : [];
  const [only] = proposal.files;
  const changed =
    proposal.files.length === 1 && only && restored.length === 0
      ? await commitIfChanged(gh, repo, { branch: proposal.branch, commitMessage: proposal.commitMessage, ...only })
      : await commitTreeIfChanged(gh, repo, proposal, restored, head);
  const file = changed ? "committed" : "unchanged";

  if (previous && previous.state === "open") {
    await gh.rest.pulls.update({ ...repo, pull_number: previous.number, title: proposal.title, body: proposal.body });
    await addMissingLabels(gh, repo, previous, proposal.labels);
    return { number: previous.number, url: previous.html_url, pr: "updated", branch, file };
  }
  if (previous && !previous.merged_at) {
    await gh.rest.pulls.update({ ...repo, pull_number: previous.number, state: "open", title: proposal.title, body: proposal.body });
    await addMissingLabels(gh, repo, previous, proposal.labels);
    return { number: previous.number, url: previous.html_url, pr: "reopened", branch, file };
  }

  if (previous?.merged_at && file === "unchanged") {
    // The minutes were merged and nothing changed since: there is nothing new to propose.
    return { number: previous.number, url: previous.html_url, pr: "merged", branch, file };
  }

  let created: { number: number; html_url: string };
  try {
    // Sent once; if the answer is lost, the branch's open PR is the one it opened (createOnce).
    ({ value: created } = await createOnce<{ number: number; html_url: string }>(
      async () => {
        const { data } = await gh.rest.pulls.create({ ...repo, head: proposal.branch, base: proposal.base, title: proposal.title, body: proposal.body });
        return { number: data.number, html_url: data.html_url };
      },
      async () => {
        const again = await latestPull(gh, repo, proposal.branch);
        return again?.state === "open" && again.number !== previous?.number ? { number: again.number, html_url: again.html_url } : null;
      },
    ));
  } catch (error) {
    // Another run opened it a moment ago.
    const raced = statusOf(error) === 422 ? await latestPull(gh, repo, proposal.branch) : undefined;
    if (raced?.state === "open") return { number: raced.number, url: raced.html_url, pr: "updated", branch, file };
    throw error;
  }
  if (proposal.labels.length > 0) {
    await gh.rest.issues.addLabels({ ...repo, issue_number: created.number, labels: proposal.labels });
  }
  if (proposal.reviewers.length + proposal.teamReviewers.length > 0) {
    await gh.rest.pulls.requestReviewers({
      ...repo,
      pull_number: created.number,
      reviewers: proposal.reviewers,
      team_reviewers: proposal.teamReviewers,
    });
  }
  return { number: created.number, url: created.html_url, pr: "created", branch, file };
}

/**
 * Labels a reused PR with the configured labels it lacks (none: no request). A run that
 * opened the PR and failed before labelling it is finished by the next one this way.
 */
async function addMissingLabels(gh: GitHub, repo: RepoRef, pull: { number: number; labels?: Array<{ name?: string }> }, labels: string[]): Promise<void> {
  const has = new Set((pull.labels ?? []).map((label) => label.name?.toLowerCase()));
  const missing = labels.filter((label) => !has.has(label.toLowerCase()));
  if (missing.length > 0) await gh.rest.issues.addLabels({ ...repo, issue_number: pull.number, labels: missing });
}

async function refSha(gh: GitHub, repo: RepoRef, ref: string): Promise<string | null> {
  try {
    const { data } = await gh.rest.git.getRef({ ...repo, ref });
    return data.object.sha;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** The newest PR whose head is the App's branch, in any state. */
async function latestPull(gh: GitHub, repo: RepoRef, branch: string) {
  const { data } = await gh.rest.pulls.list({
    ...repo,
    head: `${repo.owner}:${branch}`,
    state: "all",
    sort: "created",
    direction: "desc",
    per_page: 1,
  });
  return data[0];
}

/** One file committed on the branch. */
interface OneCommit extends ProposedFile {
  branch: string;
  commitMessage: string;
}

/**
 * Commits the files on the branch, in one commit, unless the branch already holds them all.
 * The tree is made on top of the branch's own tree, so every other file stays as it is; a tree
 * equal to the branch's means nothing changed (Git names trees by content). The commit is
 * dangling until the branch moves to it, fast-forward only: 422 means another run moved the
 * branch meanwhile, so the branch is read again and the work redone on top of it.
 */
async function commitTreeIfChanged(gh: GitHub, repo: RepoRef, proposal: FilesProposal, restored: readonly TreeEntry[], knownHead: string): Promise<boolean> {
  let head = knownHead;
  for (let attempt = 1; ; attempt++) {
    const { data: commit } = await gh.rest.git.getCommit({ ...repo, commit_sha: head });
    const { data: tree } = await gh.rest.git.createTree({
      ...repo,
      base_tree: commit.tree.sha,
      tree: [...proposal.files.map((file): TreeEntry => ({ path: file.path, mode: "100644", type: "blob", content: file.content })), ...restored],
    });
    if (tree.sha === commit.tree.sha) return false;
    const { data: created } = await gh.rest.git.createCommit({ ...repo, message: proposal.commitMessage, tree: tree.sha, parents: [head] });
    try {
      await gh.rest.git.updateRef({ ...repo, ref: `heads/${proposal.branch}`, sha: created.sha, force: false });
      return true;
    } catch (error) {
      const moved = statusOf(error) === 409 || statusOf(error) === 422;
      if (!moved || attempt >= 3) throw error;
      const now = await refSha(gh, repo, `heads/${proposal.branch}`);
      if (!now) throw error;
      head = now;
    }
  }
}

/** One entry of a tree made on top of another: new content, a blob by sha, or `sha: null` to delete. */
type TreeEntry = { path: string; mode: "100644"; type: "blob" } & ({ content: string } | { sha: string | null });

/**
 * The tree entries that undo what the branch changed in `proposal.restore` since it left the
 * base (one comparison; then one read per path to undo, for its blob at the merge base): a file
 * the branch added is deleted, a file it changed or removed gets the merge base's blob back,
 * so the pull request no longer shows it. Renames are left alone.
 */
async function restoredEntries(gh: GitHub, repo: RepoRef, proposal: FilesProposal, baseSha: string, head: string): Promise<TreeEntry[]> {
  const { data } = await gh.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: `${baseSha}...${head}`, per_page: 100 });
  const changed = new Map((data.files ?? []).map((file) => [file.filename, file.status]));
  const entries: TreeEntry[] = [];
  for (const path of proposal.restore?.paths ?? []) {
    const status = changed.get(path);
    if (status === undefined || status === "renamed" || proposal.files.some((file) => file.path === path)) continue;
    if (status === "added") {
      entries.push({ path, mode: "100644", type: "blob", sha: null });
      continue;
    }
    const { data: before } = await gh.rest.repos.getContent({ ...repo, path, ref: data.merge_base_commit.sha });
    if (Array.isArray(before) || before.type !== "file") continue;
    entries.push({ path, mode: "100644", type: "blob", sha: before.sha });
  }
  return entries;
}

/**
 * Commits the file unless it already holds the content. Two runs committing at once: GitHub
 * refuses the second write (409, the file's sha moved), so it reads the file again and either
 * finds the same content or commits on top.
 */
async function commitIfChanged(gh: GitHub, repo: RepoRef, proposal: OneCommit): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const current = await readFile(gh, repo, proposal);
    if (current?.content === proposal.content) return false;
    try {
      await gh.rest.repos.createOrUpdateFileContents({
        ...repo,
        path: proposal.path,
        branch: proposal.branch,
        message: proposal.commitMessage,
        content: Buffer.from(proposal.content, "utf8").toString("base64"),
        ...(current ? { sha: current.sha } : {}),
      });
      return true;
    } catch (error) {
      const conflict = statusOf(error) === 409 || statusOf(error) === 422;
      if (!conflict || attempt >= 3) throw error;
    }
  }
}

async function readFile(gh: GitHub, repo: RepoRef, proposal: OneCommit): Promise<{ sha: string; content: string } | null> {
  try {
    const { data } = await gh.rest.repos.getContent({ ...repo, path: proposal.path, ref: proposal.branch });
    if (Array.isArray(data) || data.type !== "file" || !("content" in data)) return null;
    return { sha: data.sha, content: Buffer.from(data.content, "base64").toString("utf8") };
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** A text file as the base branch has it, for a proposal that edits it (a log the App keeps). */
export type BaseFile =
  | { status: "ok"; content: string }
  | { status: "missing" }
  /** A folder, a symlink or a submodule at that path: not something to write over. */
  | { status: "not-a-file" }
  | { status: "too-large"; size: number };

/**
 * Reads `path` at `ref` (the base branch), refusing past `maxBytes`: a file the App rewrites
 * whole is read whole, and GitHub's Contents API returns no content past 1 MB anyway.
 */
export async function readBaseFile(gh: GitHub, repo: RepoRef, path: string, ref: string, maxBytes: number): Promise<BaseFile> {
  try {
    const { data } = await gh.rest.repos.getContent({ ...repo, path, ref });
    if (Array.isArray(data) || data.type !== "file" || !("content" in data)) return { status: "not-a-file" };
    if (data.size > maxBytes || (data.content === "" && data.size > 0)) return { status: "too-large", size: data.size };
    return { status: "ok", content: Buffer.from(data.content, "base64").toString("utf8") };
  } catch (error) {
    if (isNotFound(error)) return { status: "missing" };
    throw error;
  }
}
