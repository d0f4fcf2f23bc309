import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadGoogleDocs } from "../../../src/google/google-docs.js";
import type { MeetingDoc } from "../../../src/google/meeting-doc.js";
import { drive, FAST_RETRY, googleError, keyJson, mockTokenExchange, SERVICE_ACCOUNT } from "../../helpers/google.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/google/${name}`, import.meta.url), "utf8");

const MEETING = { repository: "acme/web", series: "web", starts: ["2026-12-02T16:00:00.000Z"] };

/** Drive's answer to the App's `files.get` of a doc it made for MEETING. */
function ownDoc(id: string) {
  return drive()
    .get(`/drive/v3/files/${id}`)
    .query({ supportsAllDrives: "true", fields: "appProperties" })
    .reply(200, { appProperties: { wgMeetingsKey: "acme/web#web@2026-12-02T16:00:00.000Z" } });
}

describe("GoogleDocs.exportMarkdown", () => {
  it("exports the doc as text/markdown and returns it normalised", async () => {
    const token = mockTokenExchange();
    const owned = ownDoc("DOC1");
    const api = drive()
      .get("/drive/v3/files/DOC1/export")
      .query({ mimeType: "text/markdown" })
      // Drive answers with CRLF line ends.
      .reply(200, fixture("minutes-export.md").replace(/\n/g, "\r\n"), { "content-type": "text/markdown" });

    const google = await loadGoogleDocs({ GOOGLE_CREDENTIALS_JSON: keyJson() }, { retry: FAST_RETRY });
    const markdown = await google!.exportMarkdown(await google!.openMeetingDoc("DOC1", MEETING));

    expect(markdown).toBe(fixture("minutes-export.normalized.md"));
    expect(token.isDone()).toBe(true);
    expect(owned.isDone()).toBe(true);
    expect(api.isDone()).toBe(true);
  });

  it("says clearly when a doc is over Drive's 10 MB export limit", async () => {
    const token = mockTokenExchange();
    ownDoc("BIG");
    const api = drive()
      .get("/drive/v3/files/BIG/export")
      .query(true)
      .reply(403, googleError(403, "exportSizeLimitExceeded", "This file is too large to be exported."));

    const google = await loadGoogleDocs({ GOOGLE_CREDENTIALS_JSON: keyJson() }, { retry: FAST_RETRY });
    const error = await google!.exportMarkdown(await google!.openMeetingDoc("BIG", MEETING)).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: "GoogleDocsError", kind: "failed", reason: "exportSizeLimitExceeded" });
    expect((error as Error).message).toBe("doc BIG is too large to export as Markdown (Drive exports at most 10 MB)");
    expect(token.isDone()).toBe(true);
    expect(api.isDone()).toBe(true);
  });

  it("names the doc and the account when the doc is gone or not shared", async () => {
    const token = mockTokenExchange();
    const api = drive()
      .get("/drive/v3/files/GONE")
      .query({ supportsAllDrives: "true", fields: "appProperties" })
      .reply(404, googleError(404, "notFound", "File not found: GONE."));
    const google = await loadGoogleDocs({ GOOGLE_CREDENTIALS_JSON: keyJson() }, { retry: FAST_RETRY });
    const error = await google!.openMeetingDoc("GONE", MEETING).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "not-found" });
    expect((error as Error).message).toBe(
      `Google could not read whose minutes doc it is: doc GONE was not found; check the id, and share doc GONE with ${SERVICE_ACCOUNT} as Editor`,
    );
    expect(token.isDone()).toBe(true);
    expect(api.isDone()).toBe(true);
  });

  it("refuses, without a request, a doc that did not come from openMeetingDoc (a cast is not a check)", async () => {
    const api = drive().get("/drive/v3/files/FORGED/export").query(true).reply(200, "secret notes");
    const google = await loadGoogleDocs({ GOOGLE_CREDENTIALS_JSON: keyJson() }, { retry: FAST_RETRY });
    const forged = { id: "FORGED", meeting: MEETING } as unknown as MeetingDoc;

    await expect(google!.exportMarkdown(forged)).rejects.toThrow("refusing a doc that openMeetingDoc did not check");
    await expect(google!.moveDoc(forged, { title: "t", start: "2026-12-09T16:00:00.000Z" })).rejects.toThrow("openMeetingDoc");
    expect(api.isDone()).toBe(false);
  });

  it("is null when Google is not configured", async () => {
    expect(await loadGoogleDocs({})).toBeNull();
  });
});
