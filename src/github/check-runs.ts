import type { GitHub, RepoRef } from "./client.js";
import { createOnce } from "./create-once.js";

/** GitHub accepts at most this many annotations per create or update request. */
export const MAX_ANNOTATIONS_PER_REQUEST = 50;

/** One annotation on a line of a file, in the shape the Checks API takes. */
export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
}

/** A check run that is finished when it is created: the App never reports progress. */
export interface CompletedCheckRun {
  name: string;
  headSha: string;
  conclusion: "success" | "failure" | "neutral";
  title: string;
  summary: string;
  annotations: CheckAnnotation[];
}

/**
 * Creates a completed check run on `headSha` with the first 50 annotations, then appends the
 * rest 50 at a time with `checks.update` (GitHub appends annotations on update; title and
 * summary must be sent again). Returns the check run's id. The create is sent once; if its
 * answer is lost, the check run of that name on the commit is taken (createOnce).
 *
 * @example
 * await createCompletedCheckRun(gh, { owner: "acme", repo: "wg" }, {
 *   name: "wg-meetings / config", headSha, conclusion: "success", title: "ok", summary: "…", annotations: [],
 * });
 */
export async function createCompletedCheckRun(gh: GitHub, repo: RepoRef, run: CompletedCheckRun): Promise<number> {
  const [first = [], ...rest] = batches(run.annotations, MAX_ANNOTATIONS_PER_REQUEST);
  const output = (annotations: CheckAnnotation[]) => ({
    title: run.title,
    summary: run.summary,
    ...(annotations.length > 0 ? { annotations } : {}),
  });
  // Sent once: after a lost answer the check run is looked for on the commit by its name.
  const { value: id } = await createOnce(
    async () =>
      (
        await gh.rest.checks.create({
          ...repo,
          name: run.name,
          head_sha: run.headSha,
          status: "completed",
          conclusion: run.conclusion,
          output: output(first),
        })
      ).data.id,
    () => findCheckRun(gh, repo, run.headSha, run.name),
  );
  for (const batch of rest) {
    await gh.rest.checks.update({ ...repo, check_run_id: id, output: output(batch) });
  }
  return id;
}

/**
 * The id of this App's check run named `name` already on `headSha`, or `null`: a redelivered
 * webhook, or a pull request opened on a commit its branch push already checked, then writes
 * nothing. One request (`filter: latest`, one result).
 *
 * Only the App's own check runs count: the listing is filtered by the App's id (`app_id`), and
 * the run found must name that App. Any App (a GitHub Action's token too) can create a check run
 * with this name on the commit; taken for the App's own, it would make the App skip its check,
 * or take another App's run as the one it created. Without an App identity (a run with a plain
 * token) nothing is found: a second run of the same name is harmless, a forged one is not.
 */
export async function findCheckRun(gh: GitHub, repo: RepoRef, headSha: string, name: string): Promise<number | null> {
  const appId = await ownAppId(gh);
  if (appId === null) return null;
  const { data } = await gh.rest.checks.listForRef({ ...repo, ref: headSha, check_name: name, filter: "latest", app_id: appId, per_page: 1 });
  const run = data.check_runs.find((candidate) => candidate.name === name && candidate.app?.id === appId);
  return run?.id ?? null;
}

/**
 * The id of the App `gh` acts for, read from its credentials (the App's JWT auth; no request),
 * or null when `gh` holds a plain token, whose App cannot be told without asking GitHub.
 */
async function ownAppId(gh: GitHub): Promise<number | null> {
  try {
    const auth = (await gh.auth({ type: "app" })) as { type?: unknown; appId?: unknown };
    return auth.type === "app" && typeof auth.appId === "number" ? auth.appId : null;
  } catch {
    return null;
  }
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}
