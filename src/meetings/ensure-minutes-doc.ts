import type { Agenda } from "../agenda/types.js";
import type { SeriesConfig } from "../config/schema.js";
import type { GitHub, Log, RepoRef } from "../github/client.js";
import { claimOccurrence } from "../github/claims.js";
import { describeError } from "../github/errors.js";
import { GoogleDocsError, publicGoogleReason } from "../google/errors.js";
import { warnOnceIfUnrestricted } from "../google/allow-list.js";
import { GOOGLE_NOT_CONFIGURED_HINT } from "../google/google-docs.js";
import type { HackmdClient } from "../hackmd/client.js";
import type { GoogleDocs, MinutesDoc } from "../google/types.js";
import { readDocSection, replaceDocSection, docLinkText } from "../render/doc-section.js";
import { renderMinutesDoc } from "../render/templates.js";
import type { Occurrence } from "../schedule/types.js";
import { parseMarker, withMarker } from "../state/meeting-marker.js";

export type EnsureDocResult =
  | { status: "linked"; docId: string; url: string; created: boolean }
  | { status: "failed"; reason: string }
  /** Another run is creating the doc right now (it holds the doc claim). */
  | { status: "pending"; reason: string };

export interface EnsureDocInput {
  gh: GitHub;
  repo: RepoRef;
  series: SeriesConfig;
  occurrence: Occurrence;
  issue: { number: number; url: string };
  agenda: Agenda;
  /** Loads the Google gateway: null when the App has no Google credentials; throws when they are unusable. */
  google: () => Promise<GoogleDocs | null>;
  /** Loads the HackMD gateway: null when the App has no HackMD token; throws when it is unusable. */
  hackmd?: () => Promise<HackmdClient | null>;
  log: Log;
  /** For the doc claim: the repository's default branch and the wall clock. */
  defaultBranch: string;
  clock?: () => Date;
  /** A tree of the repository the caller already knows (saves fetching the branch). */
  tree?: string | undefined;
}

/** Explains why Google is not there, naming the variables to set. */
export const GOOGLE_NOT_CONFIGURED = `Google is not configured for this App (${GOOGLE_NOT_CONFIGURED_HINT})`;

/**
 * Creates (or finds again) the occurrence's minutes doc and links it from the meeting issue.
 *
 * The issue exists first, so the doc is created already knowing the issue's URL: both links
 * are real from the start, and no placeholder can ever be committed. The doc carries the
 * occurrence's key in its Drive `appProperties`, so a run that crashed after creating it finds
 * it again instead of making a second one. When Google fails, the issue says so in the doc's
 * place (in public-safe words) and the next tick tries again.
 */
export async function ensureMinutesDoc(input: EnsureDocInput): Promise<EnsureDocResult> {
  const { gh, repo, series, occurrence, issue, log } = input;
  const at = occurrence.start.toISOString();
  const ctx = { repo: `${repo.owner}/${repo.repo}`, series: series.id, at, issue: issue.number };
  const google = series.minutes.google;
  if (!google) return { status: "failed", reason: "minutes.google is not configured" };

  // Two runs must not both create the doc (say the run that opened the issue, and a tick that
  // finds the issue without a doc yet): Drive's look-up by key cannot see a doc still being
  // uploaded, so creating it is claimed like the issue itself.
  const claim = await claimOccurrence(gh, repo, {
    series: series.id,
    start: occurrence.start,
    defaultBranch: input.defaultBranch,
    now: (input.clock ?? (() => new Date()))(),
    purpose: "doc",
    tree: input.tree,
  });
  if (!claim.acquired) {
    log.info({ ...ctx, reason: claim.reason }, "minutes doc: another run is creating it");
    return { status: "pending", reason: claim.reason };
  }

  const created = await createDoc(input, google);
  if (created.ok) {
    const { doc } = created;
    // Outside the Google error handling: a GitHub failure here is not Google's, and propagates.
    await updateIssue(gh, repo, issue.number, (body) => {
      const marker = parseMarker(body);
      const linked = replaceDocSection(body, docLinkText(doc.url, null));
      return marker ? withMarker(linked, { ...marker, doc: doc.id }) : linked;
    });
    return { status: "linked", docId: doc.id, url: doc.url, created: doc.created };
  }

  const notice = docLinkText(null, created.reason);
  await updateIssue(gh, repo, issue.number, (body) => (readDocSection(body) === notice ? body : replaceDocSection(body, notice)));
  return { status: "failed", reason: created.reason };
}

/** The Google half: render, then find or create and share the doc. Failures become public-safe reasons. */
async function createDoc(
  input: EnsureDocInput,
  google: NonNullable<SeriesConfig["minutes"]["google"]>,
): Promise<{ ok: true; doc: MinutesDoc } | { ok: false; reason: string }> {
  const { repo, series, occurrence, issue, log } = input;
  const at = occurrence.start.toISOString();
  const ctx = { repo: `${repo.owner}/${repo.repo}`, series: series.id, at, issue: issue.number };
  try {
    const gateway = await input.google();
    if (!gateway) return { ok: false, reason: GOOGLE_NOT_CONFIGURED };
    // An App that lets every config use anything its Google account reaches says so, once.
    warnOnceIfUnrestricted(gateway.allowList, { warn: (msg) => log.warn(ctx, msg) });
    const rendered = renderMinutesDoc({ series, occurrence, agenda: input.agenda, docUrl: null, issueUrl: issue.url });
    const doc = await gateway.ensureMinutesDoc({
      meeting: { repository: ctx.repo, series: series.id, start: at },
      title: rendered.title,
      markdown: rendered.markdown,
      folderId: google.folder,
      templateDocId: google.template,
      replacements: { title: rendered.title, date: occurrence.date, issueUrl: issue.url, utc: at },
      share: google.share,
    });
    log.info({ ...ctx, doc: doc.id, created: doc.created }, doc.created ? "created minutes doc" : "found minutes doc again");
    return { ok: true, doc };
  } catch (error) {
    const refused = error instanceof GoogleDocsError && error.kind === "not-allowed";
    log.warn(
      { ...ctx, err: describeError(error) },
      refused
        ? "minutes doc not created: the config names a Drive folder or template doc the operator's allow-list does not name for this owner"
        : "minutes doc failed; the issue says so and the next tick retries",
    );
    return { ok: false, reason: publicGoogleReason(error) };
  }
}

/**
 * Re-reads the issue right before editing it, so an edit somebody made since the App last
 * read it is kept; writes only when something changed.
 */
async function updateIssue(gh: GitHub, repo: RepoRef, number: number, change: (body: string) => string): Promise<void> {
  const { data } = await gh.rest.issues.get({ ...repo, issue_number: number });
  const body = data.body ?? "";
  const next = change(body);
  if (next !== body) await gh.rest.issues.update({ ...repo, issue_number: number, body: next });
}
