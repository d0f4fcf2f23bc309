import type { CheckedDoc, MinutesBackend } from "../minutes-doc/backend.js";
import { GoogleDocsError } from "./errors.js";
import type { MeetingDoc } from "./meeting-doc.js";
import type { GoogleDocs, GoogleMinutesConfig } from "./types.js";

/**
 * The Google gateway as a minutes backend, with a series' `minutes.google` bound: the folder
 * the docs go in, the template doc to copy, and who may open them. The use cases see only the
 * backend; everything about Drive stays in src/google/.
 *
 * `google` is undefined when the series no longer drafts in Google Docs but a meeting's marker
 * still names a Google Doc: that doc can still be checked, exported and renamed, and only
 * creating a new one needs the block.
 */
export function googleBackend(gateway: GoogleDocs, google: GoogleMinutesConfig | undefined): MinutesBackend {
  return {
    kind: "google",
    async ensureDoc(request) {
      if (!google) throw new GoogleDocsError("not-configured", "minutes.google is not configured");
      return gateway.ensureMinutesDoc({
        meeting: request.meeting,
        title: request.title,
        markdown: request.markdown,
        folderId: google.folder,
        templateDocId: google.template,
        replacements: request.replacements,
        share: google.share,
      });
    },
    openDoc: (id, meeting) => gateway.openMeetingDoc(id, meeting),
    exportMarkdown: (doc) => gateway.exportMarkdown(asMeetingDoc(doc)),
    moveDoc: (doc, to) => gateway.moveDoc(asMeetingDoc(doc), to),
  };
}

/**
 * The gateway takes only the handles its openMeetingDoc made, and checks so at run time
 * (requireChecked): a handle from another backend, or a copied object, is refused there.
 */
function asMeetingDoc(doc: CheckedDoc): MeetingDoc {
  return doc as MeetingDoc;
}
