import type { SeriesConfig } from "../config/schema.js";
import type { DocFailureKind, MeetingIdentity, MeetingSlot } from "../minutes-doc/backend.js";
import type { GoogleAllowList } from "./allow-list.js";
import type { MeetingDoc } from "./meeting-doc.js";

/** The sharing rules of a series' doc (`minutes.google.share`). */
export type ShareConfig = GoogleMinutesConfig["share"];

// Whose doc it is: the same for every minutes backend (see src/minutes-doc/backend.ts).
export type { MeetingIdentity, MeetingSlot } from "../minutes-doc/backend.js";

/** The `minutes.google` block of a series: where the docs go and who may open them. */
export type GoogleMinutesConfig = NonNullable<SeriesConfig["minutes"]["google"]>;

/** What the App asks of Drive/Docs for one occurrence's minutes doc. */
export interface MinutesDocRequest {
  /**
   * The occurrence. Its key, `<owner>/<repo>#<series>@<ISO start>`, is stored in the doc's
   * `appProperties`: a doc orphaned by a crash is found and reused instead of duplicated, and
   * `/minutes` and `/move` later check that a doc is this meeting's before using it.
   */
  meeting: MeetingSlot;
  /** The doc's title, e.g. `Node.js Security team Meeting 2024-10-24`. */
  title: string;
  /** The rendered minutes-doc template (Markdown), imported as the doc's content. */
  markdown: string;
  /** Drive folder id (may be in a shared drive). */
  folderId: string;
  /** Optional template doc to copy instead of importing `markdown`. */
  templateDocId?: string | undefined;
  /** `{{name}}` placeholders filled in a copied template doc (replaceAllText). */
  replacements: Record<string, string>;
  share: ShareConfig;
}

/** A minutes doc that exists and is shared as configured. */
export interface MinutesDoc {
  id: string;
  /** `https://docs.google.com/document/d/<id>/edit` */
  url: string;
  /** False when an existing doc for the same key was found and reused. */
  created: boolean;
}

/** Everything the App needs from Google, behind one gateway (src/google/). */
export interface GoogleDocs {
  /** The service account (or impersonated user) the App acts as, for messages about sharing. */
  readonly actor: string;
  /** The operator's allow-list the gateway enforces (WG_MEETINGS_GOOGLE_ALLOW). */
  readonly allowList: GoogleAllowList;
  /**
   * Finds the occurrence's doc by its key, or creates it; then makes sure it is shared.
   * Idempotent. Refuses (`not-allowed`) a folder or template doc the operator's allow-list
   * does not name for the repository's owner, before any request.
   */
  ensureMinutesDoc(request: MinutesDocRequest): Promise<MinutesDoc>;
  /**
   * Reads the doc's `appProperties` and hands back a checked handle when the App made the doc
   * for this meeting; the only way to a doc the App did not just find by its own key.
   *
   * @throws GoogleDocsError `not-this-meeting` (see DocMismatchError) otherwise.
   */
  openMeetingDoc(docId: string, meeting: MeetingIdentity): Promise<MeetingDoc>;
  /** Exports a checked doc as Markdown, normalised (see normalize-exported-markdown.ts). */
  exportMarkdown(doc: MeetingDoc): Promise<string>;
  /** A moved meeting: gives a checked doc its new title and records the new start in its `appProperties`. */
  moveDoc(doc: MeetingDoc, to: { title: string; start: string }): Promise<void>;
}

/**
 * Why a Google call failed, in words fit for a public issue (never a secret). `not-allowed`:
 * the operator's allow-list does not name the folder, template or calendar; `not-this-meeting`:
 * the doc an issue names was not made by the App for that meeting. The same kinds as every
 * minutes backend's.
 */
export type GoogleFailureKind = DocFailureKind;
