/**
 * The one interface every minutes backend (Google Docs, HackMD) implements. The use cases
 * (ensure-minutes-doc, publish-minutes, /move, /cancel) talk to this only and never learn which
 * backend a series uses: `minutes.doc` picks it, and each backend lives in its own gateway
 * folder (src/google/, src/hackmd/).
 */

/** Which backend drafts a series' minutes (`minutes.doc`, minus `none`). */
export type DocBackendKind = "google" | "hackmd";

/** One meeting at one time: whose doc it is. */
export interface MeetingSlot {
  /** `owner/name` of the repository the meeting issue is in. */
  repository: string;
  /** The series id from config. */
  series: string;
  /** The occurrence's start, ISO-8601. */
  start: string;
}

/**
 * The meeting a doc must belong to before the App reads or writes it: its repository and
 * series, and every start the App knows it has had (the marker's `at`, and `movedFrom` after
 * a `/move`). The repository comes from GitHub's event, never from the text.
 */
export interface MeetingIdentity {
  repository: string;
  series: string;
  starts: readonly string[];
}

/** What the App asks a backend for: one occurrence's minutes doc. */
export interface DocRequest {
  /** The occurrence; the backend stores its key in the doc so the doc is found again. */
  meeting: MeetingSlot;
  /** The doc's title, e.g. `Node.js Security team Meeting 2024-10-24`. */
  title: string;
  /** The rendered minutes-doc template (Markdown). */
  markdown: string;
  /** `{{name}}` placeholders a backend fills in a copied template (Google only). */
  replacements: Record<string, string>;
}

/** A minutes doc that exists and is shared as configured. */
export interface CreatedDoc {
  id: string;
  url: string;
  /** False when an existing doc for the same meeting was found and reused. */
  created: boolean;
}

/**
 * A doc the backend checked to belong to a meeting (see {@link MinutesBackend.openDoc}).
 * Backends hand out their own subclasses and refuse any handle they did not make.
 */
export interface CheckedDoc {
  readonly id: string;
  readonly meeting: MeetingIdentity;
}

/** Everything the use cases need from a minutes backend, with the series' settings bound. */
export interface MinutesBackend {
  readonly kind: DocBackendKind;
  /**
   * Finds the occurrence's doc by what it carries (Drive `appProperties`, a HackMD tag and
   * marker), or creates it; then makes sure it is shared as configured. Idempotent.
   */
  ensureDoc(request: DocRequest): Promise<CreatedDoc>;
  /**
   * Reads what the doc carries and hands back a checked handle when the App made the doc for
   * this meeting: the only way to a doc the App did not just find by its own key.
   *
   * @throws MinutesDocError `not-this-meeting` otherwise.
   */
  openDoc(id: string, meeting: MeetingIdentity): Promise<CheckedDoc>;
  /** The checked doc's content as Markdown, normalised as little as the backend needs. */
  exportMarkdown(doc: CheckedDoc): Promise<string>;
  /** A moved meeting: the checked doc gets its new title and records the new start. */
  moveDoc(doc: CheckedDoc, to: { title: string; start: string }): Promise<void>;
}

/**
 * Why a backend call failed, in words fit for a public issue (never a secret). `not-allowed`:
 * the operator's allow-list does not name the folder, template, calendar or team;
 * `not-this-meeting`: the doc an issue names was not made by the App for that meeting.
 */
export type DocFailureKind = "not-configured" | "forbidden" | "not-found" | "unavailable" | "failed" | "not-allowed" | "not-this-meeting";

/**
 * A failed backend call. Its message is public-safe: built from statuses and the backend's
 * short codes only, never from tokens, headers or raw response bodies, and it carries no
 * `cause`, so a logger serialising it cannot reach them.
 */
export class MinutesDocError extends Error {
  override readonly name: string = "MinutesDocError";
  readonly kind: DocFailureKind;
  /** HTTP status the backend answered with, when there was one. */
  readonly status: number | undefined;

  constructor(kind: DocFailureKind, message: string, status?: number) {
    super(message);
    this.kind = kind;
    this.status = status;
  }
}

/**
 * Words about any failure around a backend call that are fit for a public issue: the
 * gateways' own errors are written for that; anything else may carry details nobody outside
 * should read, so it is summarised (the details go to the App's logs).
 */
export function publicDocReason(error: unknown, backend: DocBackendKind): string {
  if (error instanceof MinutesDocError) return error.message;
  return `${backend === "google" ? "Google" : "HackMD"} answered with an unexpected error (details are in the App's logs)`;
}
