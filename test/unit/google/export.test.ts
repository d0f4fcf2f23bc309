import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadGoogleDocs } from "../../../src/google/google-docs.js";
import { drive, FAST_RETRY, googleError, keyJson, mockTokenExchange, SERVICE_ACCOUNT } from "../../helpers/google.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/google/${name}`, import.meta.url), "utf8");

describe("GoogleDocs.exportMarkdown", () => {
  it("exports the doc as text/markdown and returns it normalised", async () => {
    const token = mockTokenExchange();
    const api = drive()
      .get("/drive/v3/files/DOC1/export")
      .query({ mimeType: "text/markdown" })
      // Drive answers with CRLF line ends.
      .reply(200, fixture("minutes-export.md").replace(/\n/g, "\r\n"), { "content-type": "text/markdown" });

    const google = await loadGoogleDocs({ GOOGLE_CREDENTIALS_JSON: keyJson() }, { retry: FAST_RETRY });
    const markdown = await google!.exportMarkdown("DOC1");

    expect(markdown).toBe(fixture("minutes-export.normalized.md"));
    expect(token.isDone()).toBe(true);
    expect(api.isDone()).toBe(true);
  });

  it("says clearly when a doc is over Drive's 10 MB export limit", async () => {
    const token = mockTokenExchange();
    const api = drive()
      .get("/drive/v3/files/BIG/export")
      .query(true)
      .reply(403, googleError(403, "exportSizeLimitExceeded", "This file is too large to be exported."));

    const google = await loadGoogleDocs({ GOOGLE_CREDENTIALS_JSON: keyJson() }, { retry: FAST_RETRY });
    const error = await google!.exportMarkdown("BIG").catch((e: unknown) => e);

    expect(error).toMatchObject({ name: "GoogleDocsError", kind: "failed", reason: "exportSizeLimitExceeded" });
    expect((error as Error).message).toBe("doc BIG is too large to export as Markdown (Drive exports at most 10 MB)");
    expect(token.isDone()).toBe(true);
    expect(api.isDone()).toBe(true);
  });

  it("names the doc and the account when the doc is gone or not shared", async () => {
    const token = mockTokenExchange();
    const api = drive().get("/drive/v3/files/GONE/export").query(true).reply(404, googleError(404, "notFound", "File not found: GONE."));
    const google = await loadGoogleDocs({ GOOGLE_CREDENTIALS_JSON: keyJson() }, { retry: FAST_RETRY });
    const error = await google!.exportMarkdown("GONE").catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "not-found" });
    expect((error as Error).message).toBe(
      `Google could not export doc GONE as Markdown: doc GONE was not found; check the id, and share doc GONE with ${SERVICE_ACCOUNT} as Editor`,
    );
    expect(token.isDone()).toBe(true);
    expect(api.isDone()).toBe(true);
  });

  it("is null when Google is not configured", async () => {
    expect(await loadGoogleDocs({})).toBeNull();
  });
});
