import type { SeriesConfig } from "../config/schema.js";

/** The sharing rules of a series' doc (`minutes.google.share`). */
export type ShareConfig = NonNullable<SeriesConfig["minutes"]["google"]>["share"];

/** What the App asks of Drive/Docs for one occurrence's minutes doc. */
export interface MinutesDocRequest {
  /**
   * Identifies the occurrence: `<owner>/<repo>#<series>@<ISO start>`. Stored in the doc's
   * `appProperties`, so a doc orphaned by a crash is found and reused instead of duplicated.
   */
  key: string;
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
  /** Finds the occurrence's doc by its key, or creates it; then makes sure it is shared. Idempotent. */
  ensureMinutesDoc(request: MinutesDocRequest): Promise<MinutesDoc>;
  /** Exports a doc as Markdown, normalised (see normalize-exported-markdown.ts). */
  exportMarkdown(docId: string): Promise<string>;
  /** Renames a doc (a moved meeting's new title). */
  renameDoc(docId: string, title: string): Promise<void>;
}

/** Why a Google call failed, in words fit for a public issue (never a secret). */
export type GoogleFailureKind = "not-configured" | "forbidden" | "not-found" | "unavailable" | "failed";
