import { describe, expect, it } from "vitest";
import { GoogleDocsError } from "../../../src/google/errors.js";
import { googleBackend } from "../../../src/google/google-backend.js";
import { DocMismatchError, MeetingDoc } from "../../../src/google/meeting-doc.js";
import type { GoogleDocs, GoogleMinutesConfig, MinutesDocRequest } from "../../../src/google/types.js";
import { MinutesDocError, publicDocReason, type CheckedDoc, type DocRequest } from "../../../src/minutes-doc/backend.js";
import { UNRESTRICTED } from "../../../src/google/allow-list.js";

const MEETING = { repository: "nodejs/security-wg", series: "security-wg", start: "2026-12-10T17:00:00.000Z" };
const REQUEST: DocRequest = {
  meeting: MEETING,
  title: "Node.js Security team Meeting 2026-12-10",
  markdown: "# Node.js Security team Meeting 2026-12-10\n",
  replacements: { title: "Node.js Security team Meeting 2026-12-10", date: "2026-12-10" },
};
const CONFIG: GoogleMinutesConfig = {
  folder: "1AbCdEfGhIjKlMnOpQrStUvWxYz",
  template: "1TeMpLaTeDoC",
  share: { anyone: "commenter", groups: [{ email: "security-wg@example.org", role: "writer" }] },
};

/** A gateway that records what the backend asks of it. */
function recordingGateway(): { gateway: GoogleDocs; calls: Array<[string, unknown]> } {
  const calls: Array<[string, unknown]> = [];
  const gateway: GoogleDocs = {
    actor: "wg-meetings@project.iam.gserviceaccount.com",
    allowList: UNRESTRICTED,
    async ensureMinutesDoc(request: MinutesDocRequest) {
      calls.push(["ensureMinutesDoc", request]);
      return { id: "DOC1", url: "https://docs.google.com/document/d/DOC1/edit", created: true };
    },
    async openMeetingDoc(docId, meeting) {
      calls.push(["openMeetingDoc", { docId, meeting }]);
      return { id: docId, meeting } as unknown as MeetingDoc;
    },
    async exportMarkdown(doc) {
      calls.push(["exportMarkdown", doc.id]);
      return "# notes\n";
    },
    async moveDoc(doc, to) {
      calls.push(["moveDoc", { id: doc.id, to }]);
    },
  };
  return { gateway, calls };
}

describe("googleBackend: the Google gateway behind the minutes-backend interface", () => {
  it("creates the doc in the series' folder, from its template, shared as configured", async () => {
    const { gateway, calls } = recordingGateway();
    const backend = googleBackend(gateway, CONFIG);
    expect(backend.kind).toBe("google");
    await expect(backend.ensureDoc(REQUEST)).resolves.toEqual({ id: "DOC1", url: "https://docs.google.com/document/d/DOC1/edit", created: true });
    expect(calls).toEqual([
      [
        "ensureMinutesDoc",
        {
          meeting: MEETING,
          title: REQUEST.title,
          markdown: REQUEST.markdown,
          folderId: CONFIG.folder,
          templateDocId: CONFIG.template,
          replacements: REQUEST.replacements,
          share: CONFIG.share,
        },
      ],
    ]);
  });

  it("imports the Markdown when the series names no template doc", async () => {
    const { gateway, calls } = recordingGateway();
    await googleBackend(gateway, { folder: "F", share: { anyone: "reader", groups: [] } }).ensureDoc(REQUEST);
    expect(calls[0]![1]).toMatchObject({ folderId: "F", templateDocId: undefined });
  });

  it("refuses to create a doc without minutes.google, asking Google nothing, but still opens, exports and renames a meeting's existing doc", async () => {
    const { gateway, calls } = recordingGateway();
    const backend = googleBackend(gateway, undefined);
    const error = await backend.ensureDoc(REQUEST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MinutesDocError);
    expect(error).toMatchObject({ kind: "not-configured", message: "minutes.google is not configured" });
    expect(calls).toEqual([]);

    const identity = { repository: MEETING.repository, series: MEETING.series, starts: [MEETING.start] };
    const doc = await backend.openDoc("DOC7", identity);
    await expect(backend.exportMarkdown(doc)).resolves.toBe("# notes\n");
    await backend.moveDoc(doc, { title: "Moved", start: "2026-12-11T17:00:00.000Z" });
    expect(calls).toEqual([
      ["openMeetingDoc", { docId: "DOC7", meeting: identity }],
      ["exportMarkdown", "DOC7"],
      ["moveDoc", { id: "DOC7", to: { title: "Moved", start: "2026-12-11T17:00:00.000Z" } }],
    ]);
  });

  it("hands a handle it did not make to the real gateway, which refuses it", async () => {
    const { loadGoogleDocs } = await import("../../../src/google/google-docs.js");
    const { keyJson } = await import("../../helpers/google.js");
    const real = await loadGoogleDocs({ GOOGLE_CREDENTIALS_JSON: keyJson() });
    const backend = googleBackend(real!, CONFIG);
    const forged: CheckedDoc = { id: "DOC1", meeting: { repository: MEETING.repository, series: MEETING.series, starts: [MEETING.start] } };
    await expect(backend.exportMarkdown(forged)).rejects.toThrow("refusing a doc that openMeetingDoc did not check");
    await expect(backend.moveDoc(forged, { title: "x", start: MEETING.start })).rejects.toThrow("refusing a doc that openMeetingDoc did not check");
  });
});

describe("Google's errors are minutes-backend errors", () => {
  it("a GoogleDocsError is a MinutesDocError that keeps Google's reason", () => {
    const error = new GoogleDocsError("forbidden", "Google refused to create the minutes doc (403 insufficientFilePermissions)", 403, "insufficientFilePermissions");
    expect(error).toBeInstanceOf(MinutesDocError);
    expect(error).toMatchObject({ name: "GoogleDocsError", kind: "forbidden", status: 403, reason: "insufficientFilePermissions" });
    expect(publicDocReason(error, "google")).toBe(error.message);
  });

  it("a DocMismatchError is a not-this-meeting error, its mismatch kept apart from its public message", () => {
    const error = new DocMismatchError({ part: "repository", found: "other/wg#web@2026-12-02T16:00:00.000Z" });
    expect(error).toBeInstanceOf(MinutesDocError);
    expect(error).toBeInstanceOf(GoogleDocsError);
    expect(error.kind).toBe("not-this-meeting");
    expect(publicDocReason(error, "google")).toBe("the doc linked from this issue does not belong to this meeting");
    expect(publicDocReason(error, "google")).not.toContain("other/wg");
  });

  it("anything else is summarised in the same words as before", () => {
    const leak = new Error("request to https://www.googleapis.com failed, Authorization: Bearer ya29.secret");
    expect(publicDocReason(leak, "google")).toBe("Google answered with an unexpected error (details are in the App's logs)");
  });
});
