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
 * The id of a check run named `name` already on `headSha`, or `null`: a redelivered webhook,
 * or a pull request opened on a commit its branch push already checked, then writes nothing.
 * One request (`filter: latest`, one result).
 */
export async function findCheckRun(gh: GitHub, repo: RepoRef, headSha: string, name: string): Promise<number | null> {
  const { data } = await gh.rest.checks.listForRef({ ...repo, ref: headSha, check_name: name, filter: "latest", per_page: 1 });
  return data.check_runs[0]?.id ?? null;
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}
