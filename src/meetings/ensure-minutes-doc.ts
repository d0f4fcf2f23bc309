import type { Agenda } from "../agenda/types.js";
import type { SeriesConfig } from "../config/schema.js";
import type { GitHub, Log, RepoRef } from "../github/client.js";
import { claimOccurrence } from "../github/claims.js";
import { describeError } from "../github/errors.js";
import type { GoogleDocs } from "../google/types.js";
import type { HackmdClient } from "../hackmd/client.js";
import { MinutesDocError, publicDocReason, type CreatedDoc } from "../minutes-doc/backend.js";
import { docRefUrl, formatDocRef } from "../minutes-doc/doc-ref.js";
import { seriesBackend, type SelectedBackend } from "../minutes-doc/select-backend.js";
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

/**
 * Creates (or finds again) the occurrence's minutes doc, in the backend `minutes.doc` names,
 * and links it from the meeting issue.
 *
 * The issue exists first, so the doc is created already knowing the issue's URL: both links
 * are real from the start, and no placeholder can ever be committed. The doc carries the
 * occurrence's key (Drive `appProperties`, a HackMD tag and hidden marker), so a run that
 * crashed after creating it finds it again instead of making a second one. When the backend
 * fails, the issue says so in the doc's place (in public-safe words) and the next tick tries
 * again.
 */
export async function ensureMinutesDoc(input: EnsureDocInput): Promise<EnsureDocResult> {
  const { gh, repo, series, occurrence, issue, log } = input;
  const at = occurrence.start.toISOString();
  const ctx = { repo: `${repo.owner}/${repo.repo}`, series: series.id, at, issue: issue.number };
  const backend = seriesBackend({
    series,
    owner: repo.owner,
    loaders: { google: input.google, hackmd: input.hackmd },
    // An App that lets every config use anything its Google account reaches says so, once.
    warn: (msg) => log.warn(ctx, msg),
  });
  if (!backend) return { status: "failed", reason: "minutes.doc is none: this series drafts no doc" };

  // Two runs must not both create the doc (say the run that opened the issue, and a tick that
  // finds the issue without a doc yet): a look-up by key cannot see a doc still being created
  // (Drive's index, HackMD's note list), so creating it is claimed like the issue itself.
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

  const created = await createDoc(input, backend);
  if (created.ok) {
    const ref = backend.ref(created.doc.id);
    const url = docRefUrl(ref);
    // Outside the backend's error handling: a GitHub failure here is not the backend's, and propagates.
    await updateIssue(gh, repo, issue.number, (body) => {
      const marker = parseMarker(body);
      const linked = replaceDocSection(body, docLinkText(url, null));
      return marker ? withMarker(linked, { ...marker, doc: formatDocRef(ref) }) : linked;
    });
    return { status: "linked", docId: created.doc.id, url, created: created.doc.created };
  }

  const notice = docLinkText(null, created.reason);
  await updateIssue(gh, repo, issue.number, (body) => (readDocSection(body) === notice ? body : replaceDocSection(body, notice)));
  return { status: "failed", reason: created.reason };
}

/** The backend's half: render, then find or create and share the doc. Failures become public-safe reasons. */
async function createDoc(input: EnsureDocInput, selected: SelectedBackend): Promise<{ ok: true; doc: CreatedDoc } | { ok: false; reason: string }> {
  const { repo, series, occurrence, issue, log } = input;
  const at = occurrence.start.toISOString();
  const ctx = { repo: `${repo.owner}/${repo.repo}`, series: series.id, at, issue: issue.number };
  try {
    const backend = await selected.load();
    if (!backend) return { ok: false, reason: selected.notConfigured };
    const rendered = renderMinutesDoc({ series, occurrence, agenda: input.agenda, docUrl: null, issueUrl: issue.url });
    const doc = await backend.ensureDoc({
      meeting: { repository: ctx.repo, series: series.id, start: at },
      title: rendered.title,
      markdown: rendered.markdown,
      replacements: { title: rendered.title, date: occurrence.date, issueUrl: issue.url, utc: at },
    });
    log.info({ ...ctx, doc: doc.id, created: doc.created }, doc.created ? "created minutes doc" : "found minutes doc again");
    return { ok: true, doc };
  } catch (error) {
    const refused = error instanceof MinutesDocError && error.kind === "not-allowed";
    log.warn(
      { ...ctx, err: describeError(error) },
      refused
        ? `minutes doc not created: the config names ${NOT_ALLOWED[selected.kind]} the operator's allow-list does not name for this owner`
        : "minutes doc failed; the issue says so and the next tick retries",
    );
    return { ok: false, reason: publicDocReason(error, selected.kind) };
  }
}

/** What the operator's allow-list may leave out, per backend (for the App's log). */
const NOT_ALLOWED = { google: "a Drive folder or template doc", hackmd: "a HackMD team workspace" } as const;

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
