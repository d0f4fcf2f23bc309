import type { GitHub, Log, RepoRef } from "../github/client.js";
import { createCompletedCheckRun, findCheckRun } from "../github/check-runs.js";
import { describeError, statusOf } from "../github/errors.js";
import { CONFIG_PATH } from "../github/repo-config.js";
import { fetchTextFile } from "../github/repo-files.js";
import type { GoogleAllowList } from "../google/allow-list.js";
import type { HackmdAllowList } from "../hackmd/allow-list.js";
import type { OccurrenceSourceIo } from "../schedule/occurrence-source.js";
import { buildConfigCheckReport, type ConfigCheckInput } from "./config-check-report.js";

/** The name of the check run; one per commit. */
export const CONFIG_CHECK_NAME = "wg-meetings / config";

/** The commit a push or pull request event asks about. */
export interface ConfigChange {
  repo: RepoRef;
  /** The commit the check run goes on (a push's `after`, a pull request's head). */
  headSha: string;
  /** Whether the event touched `.github/meetings.yml` (free for a push, one listing for a pull request). */
  changed: () => Promise<boolean>;
  /** Default: the clock. The summary lists the meetings after this instant. */
  now?: Date;
  /**
   * A fork's pull request: the file is anybody's. It is checked alone and its meetings are not
   * worked out (see `ConfigCheckInput.fromFork`); the handler also gives it no calendar access.
   */
  fromFork?: boolean;
  /**
   * The operator's Google allow-list: a folder, template doc or calendar it does not name for
   * the repository's owner fails the check, and such a calendar is not read.
   */
  googleAllow?: GoogleAllowList | undefined;
  /** The operator's HackMD allow-list: a series naming a workspace it does not allow for the owner fails the check. */
  hackmdAllow?: HackmdAllowList | undefined;
}

export type ConfigCheckOutcome =
  | { posted: false; why: "config not changed" | "already checked" | "no checks permission" }
  | { posted: true; checkRunId: number; conclusion: "success" | "failure" | "neutral" };

/**
 * Validates the `.github/meetings.yml` of a commit that changed it and reports the result as
 * the completed check run `wg-meetings / config` on that commit: failure with an annotation per
 * error line (at most 50, one request), success with the next meetings, neutral when the file
 * was removed or takes its series from `_extends`.
 *
 * Reads one file: the changed one, at the commit. What its `_extends` names is never read, for
 * a fork's pull request or anyone else's: the run is public to the repository's readers, and
 * would otherwise show them (and tell them whether there is) a file only the App can read.
 *
 * Idempotent: a commit that already has the check run (a redelivered webhook, a pull request
 * opened on a pushed commit) gets no second one. Two events racing on the same commit may both
 * post; GitHub shows the latest run of a name, and both say the same.
 */
export async function checkConfigChange(gh: GitHub, change: ConfigChange, io: OccurrenceSourceIo, log: Log): Promise<ConfigCheckOutcome> {
  const { repo, headSha } = change;
  const ctx = { repo: `${repo.owner}/${repo.repo}`, sha: headSha };
  if (!(await change.changed())) {
    log.debug(ctx, `config check skipped: ${CONFIG_PATH} not changed`);
    return { posted: false, why: "config not changed" };
  }
  let existing: number | null;
  try {
    existing = await findCheckRun(gh, repo, headSha, CONFIG_CHECK_NAME);
  } catch (error) {
    // Installations made before the App asked for `checks: write` keep their old permissions
    // until an owner accepts the new one: say so once per event instead of failing the webhook.
    if (statusOf(error) !== 403) throw error;
    log.warn({ ...ctx, err: describeError(error) }, "config check skipped: the installation has not granted the App `checks: write`");
    return { posted: false, why: "no checks permission" };
  }
  if (existing !== null) {
    log.info(ctx, "config check skipped: this commit already has one");
    return { posted: false, why: "already checked" };
  }

  const input: ConfigCheckInput = { text: await fetchTextFile(gh, repo, CONFIG_PATH, headSha), fromFork: change.fromFork === true };
  const google = change.googleAllow ? { allow: change.googleAllow, owner: repo.owner } : undefined;
  const hackmd = change.hackmdAllow ? { allow: change.hackmdAllow, owner: repo.owner } : undefined;
  const report = await buildConfigCheckReport(input, change.now ?? new Date(), io, google, hackmd);
  let checkRunId: number;
  try {
    checkRunId = await createCompletedCheckRun(gh, repo, { name: CONFIG_CHECK_NAME, headSha, ...report });
  } catch (error) {
    // Reading check runs can be allowed where writing them is not (the same missing grant).
    if (statusOf(error) !== 403) throw error;
    log.warn({ ...ctx, err: describeError(error) }, "config check not posted: the installation has not granted the App `checks: write`");
    return { posted: false, why: "no checks permission" };
  }
  log.info({ ...ctx, conclusion: report.conclusion, annotations: report.annotations.length, checkRunId }, "config check posted");
  return { posted: true, checkRunId, conclusion: report.conclusion };
}
