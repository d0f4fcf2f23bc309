import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { GoogleDocsError } from "../../../src/google/errors.js";
import { appPropertyValue, ensureMinutesDoc, findDocQuery } from "../../../src/google/minutes-doc.js";
import type { MinutesDocRequest } from "../../../src/google/types.js";
import { docs, drive, fakeClients, googleError, mockTokenExchange, SERVICE_ACCOUNT } from "../../helpers/google.js";

const MEETING = { repository: "nodejs/security-wg", series: "security-team", start: "2024-10-24T14:00:00.000Z" };
const KEY = "nodejs/security-wg#security-team@2024-10-24T14:00:00.000Z";
const FOLDER = "1FolderAbCdEf";
const MARKDOWN = "# Node.js Security team Meeting 2024-10-24\n\n## Present\n\n* Name: @handle\n";

function request(overrides: Partial<MinutesDocRequest> = {}): MinutesDocRequest {
  return {
    meeting: MEETING,
    title: "Node.js Security team Meeting 2024-10-24",
    markdown: MARKDOWN,
    folderId: FOLDER,
    replacements: {},
    share: { anyone: "reader", groups: [] },
    ...overrides,
  };
}

/** The lookup by appProperties, with the exact query string Drive receives. */
function findQuery(key = KEY) {
  return {
    q: `appProperties has { key='wgMeetingsKey' and value='${key}' } and trashed = false`,
    supportsAllDrives: "true",
    includeItemsFromAllDrives: "true",
    corpora: "allDrives",
    orderBy: "createdTime",
    pageSize: "1",
    fields: "files(id)",
  };
}

const PERMISSIONS_QUERY = {
  supportsAllDrives: "true",
  pageSize: "100",
  fields: "nextPageToken,permissions(id,type,role,emailAddress,domain)",
};
const OWNER = { id: "p0", type: "user", role: "owner", emailAddress: SERVICE_ACCOUNT };

describe("ensureMinutesDoc", () => {
  it("imports the Markdown as a Google Doc in the folder, tagged with the key, and shares it", async () => {
    const token = mockTokenExchange();
    const seen: { upload?: string; contentType?: string; permissions: unknown[] } = { permissions: [] };
    const api = drive()
      .get("/drive/v3/files")
      .query(findQuery())
      .reply(200, { files: [] })
      .post("/upload/drive/v3/files", (body: string) => {
        seen.upload = body;
        return true;
      })
      .query({ uploadType: "multipart", supportsAllDrives: "true", fields: "id" })
      .reply(200, function () {
        seen.contentType = String(this.req.headers["content-type"]);
        return { id: "DOC1" };
      })
      .get("/drive/v3/files/DOC1/permissions")
      .query(PERMISSIONS_QUERY)
      .reply(200, { permissions: [OWNER] })
      // anyone/domain grants: no sendNotificationEmail (Drive rejects it there).
      .post("/drive/v3/files/DOC1/permissions", (body) => (seen.permissions.push(body), true))
      .query({ supportsAllDrives: "true", fields: "id" })
      .reply(200, { id: "anyoneWithLink" })
      .post("/drive/v3/files/DOC1/permissions", (body) => (seen.permissions.push(body), true))
      .query({ supportsAllDrives: "true", sendNotificationEmail: "false", fields: "id" })
      .reply(200, { id: "p2" });

    const clients = await fakeClients();
    const doc = await ensureMinutesDoc(clients, request({ share: { anyone: "reader", groups: [{ email: "security-wg@example.org", role: "writer" }] } }));

    expect(doc).toEqual({ id: "DOC1", url: "https://docs.google.com/document/d/DOC1/edit", created: true });
    expect(seen.contentType).toMatch(/^multipart\/related; boundary=/);
    const [metadata, media] = multipartParts(seen.upload!);
    expect(metadata).toEqual({
      contentType: "application/json",
      body: JSON.stringify({
        name: "Node.js Security team Meeting 2024-10-24",
        mimeType: "application/vnd.google-apps.document",
        parents: [FOLDER],
        appProperties: { wgMeetingsKey: KEY },
      }),
    });
    expect(media).toEqual({ contentType: "text/markdown", body: MARKDOWN });
    expect(seen.permissions).toEqual([
      { type: "anyone", role: "reader", allowFileDiscovery: false },
      { type: "group", role: "writer", emailAddress: "security-wg@example.org" },
    ]);
    expect(token.isDone()).toBe(true);
    expect(api.isDone()).toBe(true);
  });

  it("copies the template, fills its placeholders with replaceAllText, and adds only missing grants", async () => {
    const token = mockTokenExchange();
    const seen: { copy?: unknown; batch?: unknown; permission?: unknown } = {};
    const api = drive()
      .get("/drive/v3/files")
      .query(findQuery())
      .reply(200, { files: [] })
      .post("/drive/v3/files/TEMPLATE1/copy", (body) => ((seen.copy = body), true))
      .query({ supportsAllDrives: "true", fields: "id" })
      .reply(200, { id: "DOC2" })
      .get("/drive/v3/files/DOC2/permissions")
      .query(PERMISSIONS_QUERY)
      .reply(200, { permissions: [OWNER, { id: "anyoneWithLink", type: "anyone", role: "reader" }] })
      .post("/drive/v3/files/DOC2/permissions", (body) => ((seen.permission = body), true))
      .query({ supportsAllDrives: "true", fields: "id" })
      .reply(200, { id: "p3" });
    const docsApi = docs()
      .post("/v1/documents/DOC2:batchUpdate", (body) => ((seen.batch = body), true))
      .reply(200, { documentId: "DOC2", replies: [{ replaceAllText: { occurrencesChanged: 1 } }, {}] });

    const clients = await fakeClients();
    const doc = await ensureMinutesDoc(
      clients,
      request({
        templateDocId: "TEMPLATE1",
        replacements: { title: "Node.js Security team Meeting 2024-10-24", issueUrl: "https://github.com/nodejs/security-wg/issues/1394" },
        share: { anyone: "reader", domain: { name: "example.org", role: "commenter" }, groups: [] },
      }),
    );

    expect(doc).toEqual({ id: "DOC2", url: "https://docs.google.com/document/d/DOC2/edit", created: true });
    expect(seen.copy).toEqual({
      name: "Node.js Security team Meeting 2024-10-24",
      mimeType: "application/vnd.google-apps.document",
      parents: [FOLDER],
      appProperties: { wgMeetingsKey: KEY },
    });
    expect(seen.batch).toEqual({
      requests: [
        { replaceAllText: { containsText: { text: "{{title}}", matchCase: true }, replaceText: "Node.js Security team Meeting 2024-10-24" } },
        { replaceAllText: { containsText: { text: "{{issueUrl}}", matchCase: true }, replaceText: "https://github.com/nodejs/security-wg/issues/1394" } },
      ],
    });
    expect(seen.permission).toEqual({ type: "domain", role: "commenter", domain: "example.org", allowFileDiscovery: false });
    expect(token.isDone()).toBe(true);
    expect(api.isDone()).toBe(true);
    expect(docsApi.isDone()).toBe(true);
  });

  it("reuses the doc found by its key (no create) and completes the sharing it lacks", async () => {
    const token = mockTokenExchange();
    let created: unknown;
    const api = drive()
      .get("/drive/v3/files")
      .query(findQuery())
      .reply(200, { files: [{ id: "DOC3" }] })
      .get("/drive/v3/files/DOC3/permissions")
      .query(PERMISSIONS_QUERY)
      .reply(200, { permissions: [OWNER] })
      .post("/drive/v3/files/DOC3/permissions", (body) => ((created = body), true))
      .query(true)
      .reply(200, { id: "anyoneWithLink" });

    const doc = await ensureMinutesDoc(await fakeClients(), request());

    expect(doc).toEqual({ id: "DOC3", url: "https://docs.google.com/document/d/DOC3/edit", created: false });
    expect(created).toEqual({ type: "anyone", role: "reader", allowFileDiscovery: false });
    expect(token.isDone()).toBe(true);
    expect(api.isDone()).toBe(true);
  });

  it("is idempotent: grants that exist (same grantee, same or higher role, any case) are not re-created", async () => {
    const token = mockTokenExchange();
    const api = drive()
      .get("/drive/v3/files")
      .query(findQuery())
      .reply(200, { files: [{ id: "DOC4" }] })
      .get("/drive/v3/files/DOC4/permissions")
      .query(PERMISSIONS_QUERY)
      .reply(200, {
        nextPageToken: "page2",
        permissions: [OWNER, { id: "anyoneWithLink", type: "anyone", role: "writer" }],
      })
      .get("/drive/v3/files/DOC4/permissions")
      .query({ ...PERMISSIONS_QUERY, pageToken: "page2" })
      .reply(200, {
        permissions: [
          { id: "d1", type: "domain", role: "reader", domain: "Example.org" },
          { id: "g1", type: "group", role: "writer", emailAddress: "Security-WG@example.org" },
        ],
      });

    const doc = await ensureMinutesDoc(
      await fakeClients(),
      request({ share: { anyone: "commenter", domain: { name: "example.org", role: "reader" }, groups: [{ email: "security-wg@example.org", role: "commenter" }] } }),
    );

    expect(doc.created).toBe(false);
    expect(token.isDone()).toBe(true);
    expect(api.isDone()).toBe(true); // and no POST was mocked: nock would have refused one
  });

  it("shares with a person's address when Drive refuses it as a group", async () => {
    const token = mockTokenExchange();
    const bodies: unknown[] = [];
    const api = drive()
      .get("/drive/v3/files")
      .query(true)
      .reply(200, { files: [{ id: "DOC5" }] })
      .get("/drive/v3/files/DOC5/permissions")
      .query(true)
      .reply(200, { permissions: [OWNER] })
      .post("/drive/v3/files/DOC5/permissions", (body) => (bodies.push(body), true))
      .query(true)
      .reply(400, googleError(400, "invalidSharingRequest"))
      .post("/drive/v3/files/DOC5/permissions", (body) => (bodies.push(body), true))
      .query(true)
      .reply(200, { id: "u1" });

    await ensureMinutesDoc(await fakeClients(), request({ share: { anyone: "none", groups: [{ email: "chair@example.org", role: "writer" }] } }));

    expect(bodies).toEqual([
      { type: "group", role: "writer", emailAddress: "chair@example.org" },
      { type: "user", role: "writer", emailAddress: "chair@example.org" },
    ]);
    expect(token.isDone()).toBe(true);
    expect(api.isDone()).toBe(true);
  });

  it("stores a SHA-256 digest when the key would not fit Drive's 124-byte app property", async () => {
    const longMeeting = { repository: `${"o".repeat(39)}/${"r".repeat(80)}`, series: "series", start: "2024-10-24T14:00:00.000Z" };
    const long = `${longMeeting.repository}#series@2024-10-24T14:00:00.000Z`;
    const digest = createHash("sha256").update(long).digest("hex");
    expect(appPropertyValue(KEY)).toBe(KEY);
    expect(appPropertyValue(long)).toBe(digest);

    const token = mockTokenExchange();
    const api = drive().get("/drive/v3/files").query(findQuery(digest)).reply(200, { files: [{ id: "DOC6" }] });
    const doc = await ensureMinutesDoc(await fakeClients(), request({ meeting: longMeeting, share: { anyone: "none", groups: [] } }));
    expect(doc.id).toBe("DOC6");
    expect(token.isDone()).toBe(true);
    expect(api.isDone()).toBe(true);
  });

  it("quotes the key in the Drive query", () => {
    expect(findDocQuery("o/r#it's\\x")).toBe("appProperties has { key='wgMeetingsKey' and value='o/r#it\\'s\\\\x' } and trashed = false");
  });

  it("turns a 403 on the folder into a 'forbidden' error naming the folder and the account to share it with", async () => {
    const token = mockTokenExchange();
    const api = drive()
      .get("/drive/v3/files")
      .query(true)
      .reply(200, { files: [] })
      .post("/upload/drive/v3/files")
      .query(true)
      .reply(403, googleError(403, "insufficientFilePermissions", "The user does not have sufficient permissions for this file."));

    const error = await ensureMinutesDoc(await fakeClients(), request()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(GoogleDocsError);
    expect(error).toMatchObject({ name: "GoogleDocsError", kind: "forbidden", status: 403, reason: "insufficientFilePermissions" });
    expect((error as Error).message).toBe(
      `Google refused to create the minutes doc in folder ${FOLDER} (403 insufficientFilePermissions): share folder ${FOLDER} with ${SERVICE_ACCOUNT} as Editor (Content manager in a shared drive)`,
    );
    expect(token.isDone()).toBe(true);
    expect(api.isDone()).toBe(true);
  });

  it("says a service account cannot own files in My Drive, and what to do instead", async () => {
    const token = mockTokenExchange();
    const api = drive()
      .get("/drive/v3/files")
      .query(true)
      .reply(200, { files: [] })
      .post("/upload/drive/v3/files")
      .query(true)
      .reply(403, googleError(403, "storageQuotaExceeded", "Service Accounts do not have storage quota."));

    const error = await ensureMinutesDoc(await fakeClients(), request()).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "forbidden" });
    expect((error as Error).message).toContain("use a folder in a shared drive, or set GOOGLE_IMPERSONATE");
    expect(token.isDone()).toBe(true);
    expect(api.isDone()).toBe(true);
  });

  it("names the template when Drive cannot find it", async () => {
    const token = mockTokenExchange();
    const api = drive()
      .get("/drive/v3/files")
      .query(true)
      .reply(200, { files: [] })
      .post("/drive/v3/files/TPL404/copy")
      .query(true)
      .reply(404, googleError(404, "notFound", "File not found: TPL404."));

    const error = await ensureMinutesDoc(await fakeClients(), request({ templateDocId: "TPL404" })).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "not-found" });
    expect((error as Error).message).toBe(
      `Google could not copy template doc TPL404: template doc TPL404 was not found; check the id, and share template doc TPL404 with ${SERVICE_ACCOUNT} as Viewer`,
    );
    expect(token.isDone()).toBe(true);
    expect(api.isDone()).toBe(true);
  });

  it("retries a 500 and succeeds (a read is simply repeated)", async () => {
    const token = mockTokenExchange();
    const api = drive()
      .get("/drive/v3/files")
      .query(findQuery())
      .reply(500, googleError(500, "backendError"))
      .get("/drive/v3/files")
      .query(findQuery())
      .reply(200, { files: [{ id: "DOC7" }] });

    const doc = await ensureMinutesDoc(await fakeClients(), request({ share: { anyone: "none", groups: [] } }));
    expect(doc).toMatchObject({ id: "DOC7", created: false });
    expect(token.isDone()).toBe(true);
    expect(api.isDone()).toBe(true);
  });

  it("after a 500 on create, looks for the doc again before creating it again (no duplicates)", async () => {
    const token = mockTokenExchange();
    const uploads: string[] = [];
    const api = drive()
      .get("/drive/v3/files")
      .query(true)
      .reply(200, { files: [] })
      .post("/upload/drive/v3/files", (body: string) => (uploads.push(body), true))
      .query(true)
      .reply(500, googleError(500, "backendError"))
      .get("/drive/v3/files")
      .query(findQuery())
      .reply(200, { files: [] })
      .post("/upload/drive/v3/files", (body: string) => (uploads.push(body), true))
      .query(true)
      .reply(200, { id: "DOC8" });

    const doc = await ensureMinutesDoc(await fakeClients(), request({ share: { anyone: "none", groups: [] } }));
    expect(doc).toMatchObject({ id: "DOC8", created: true });
    // The second upload carried the whole Markdown again (a stream cannot be replayed).
    expect(uploads).toHaveLength(2);
    expect(uploads[1]).toContain(MARKDOWN);
    expect(token.isDone()).toBe(true);
    expect(api.isDone()).toBe(true);
  });

  it("after a 500 on create that did create the doc, finds it and does not create another", async () => {
    const token = mockTokenExchange();
    const api = drive()
      .get("/drive/v3/files")
      .query(true)
      .reply(200, { files: [] })
      .post("/upload/drive/v3/files")
      .query(true)
      .reply(503, googleError(503, "backendError"))
      .get("/drive/v3/files")
      .query(true)
      .reply(200, { files: [{ id: "DOC9" }] });

    const doc = await ensureMinutesDoc(await fakeClients(), request({ share: { anyone: "none", groups: [] } }));
    expect(doc).toMatchObject({ id: "DOC9", created: true });
    expect(token.isDone()).toBe(true);
    expect(api.isDone()).toBe(true);
  });

  it("gives up after 429 three times with an 'unavailable' error", async () => {
    const token = mockTokenExchange();
    const api = drive().get("/drive/v3/files").query(true).times(3).reply(429, googleError(429, "rateLimitExceeded", "Rate Limit Exceeded"));

    const error = await ensureMinutesDoc(await fakeClients(), request()).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "GoogleDocsError", kind: "unavailable", status: 429 });
    expect((error as Error).message).toBe(
      "Google is unavailable (429 rateLimitExceeded) when trying to look for the meeting's minutes doc; the next run tries again",
    );
    expect(token.isDone()).toBe(true);
    expect(api.isDone()).toBe(true);
  });

  it("does not retry a 4xx other than 429", async () => {
    const token = mockTokenExchange();
    const api = drive().get("/drive/v3/files").query(true).once().reply(400, googleError(400, "invalid", "Invalid Value"));
    const error = await ensureMinutesDoc(await fakeClients(), request()).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "failed", status: 400 });
    expect(token.isDone()).toBe(true);
    expect(api.isDone()).toBe(true);
  });
});

/** Splits a multipart/related body into its parts. */
function multipartParts(body: string): Array<{ contentType: string; body: string }> {
  const boundary = /^--([^\r\n]+)/.exec(body)?.[1] ?? "";
  return body
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => {
      const [head = "", ...rest] = part.replace(/^\r\n/, "").split("\r\n\r\n");
      return { contentType: /content-type: (.*)/i.exec(head)?.[1] ?? "", body: rest.join("\r\n\r\n").replace(/\r\n$/, "") };
    });
}
