import { Writable } from "node:stream";
import { inspect } from "node:util";
import nock from "nock";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { readGoogleCredentials } from "../../../src/google/credentials.js";
import { loadGoogleDocs } from "../../../src/google/google-docs.js";
import type { MinutesDocRequest } from "../../../src/google/types.js";
import { ACCESS_TOKEN, drive, FAST_RETRY, googleError, keyJson, mockTokenExchange, PRIVATE_KEY, TOKEN_HOST } from "../../helpers/google.js";

const REQUEST: MinutesDocRequest = {
  meeting: { repository: "o/r", series: "s", start: "2024-10-24T14:00:00.000Z" },
  title: "T",
  markdown: "# T\n",
  folderId: "FOLDER",
  replacements: {},
  share: { anyone: "reader", groups: [] },
};

/** The meeting REQUEST's doc belongs to, as /minutes asks for it. */
const MEETING = { repository: "o/r", series: "s", starts: ["2024-10-24T14:00:00.000Z"] };
const OWN_DOC = { appProperties: { wgMeetingsKey: "o/r#s@2024-10-24T14:00:00.000Z" } };

/** Everything that must never reach a log or a message. */
const SECRETS = [
  ...PRIVATE_KEY.split("\n").filter((line) => line.length > 20 && !line.startsWith("-----")).map((line) => line.slice(0, 24)),
  "PRIVATE KEY",
  ACCESS_TOKEN,
];

/** Logs the error the way the App does (pino, err serializer) and every other way it might be printed. */
function everyRendering(error: unknown): string {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const log = pino({ level: "debug" }, sink);
  log.error({ err: error }, "google failed");
  log.warn({ message: (error as Error).message }, "google failed");
  return [...lines, String(error), JSON.stringify(error), inspect(error, { depth: 8 }), (error as Error).stack ?? ""].join("\n");
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e,
  );
}

describe("no secret in any error or log line", () => {
  it("holds for API failures (403, 429 after retries, 500 on export)", async () => {
    const token = mockTokenExchange();
    const api = drive()
      .get("/drive/v3/files")
      .query(true)
      .reply(200, { files: [] })
      .post("/upload/drive/v3/files")
      .query(true)
      .reply(403, googleError(403, "insufficientFilePermissions", `echo of the request: Bearer ${ACCESS_TOKEN}`))
      .get("/drive/v3/files")
      .query(true)
      .times(3)
      .reply(429, googleError(429, "rateLimitExceeded"))
      .get("/drive/v3/files/D")
      .query({ supportsAllDrives: "true", fields: "appProperties" })
      .reply(200, OWN_DOC)
      .get("/drive/v3/files/D/export")
      .query(true)
      .times(3)
      .reply(500, `internal error; token was ${ACCESS_TOKEN}`);

    const google = (await loadGoogleDocs({ GOOGLE_CREDENTIALS_JSON: keyJson() }, { retry: FAST_RETRY }))!;
    const errors = [await caught(google.ensureMinutesDoc(REQUEST)), await caught(google.ensureMinutesDoc(REQUEST)), await caught(google.openMeetingDoc("D", MEETING).then((doc) => google.exportMarkdown(doc)))];

    expect(errors.map((e) => (e as { kind?: string }).kind)).toEqual(["forbidden", "unavailable", "unavailable"]);
    for (const error of errors) {
      const text = everyRendering(error);
      for (const secret of SECRETS) expect(text).not.toContain(secret);
    }
    expect(token.isDone()).toBe(true);
    expect(api.isDone()).toBe(true);
  });

  it("holds when Google refuses the credentials at the token exchange", async () => {
    const token = nock(TOKEN_HOST).post("/token").reply(400, { error: "invalid_grant", error_description: "Invalid JWT Signature." });
    const google = (await loadGoogleDocs({ GOOGLE_CREDENTIALS_JSON: keyJson() }, { retry: FAST_RETRY }))!;

    const error = await caught(google.openMeetingDoc("D", MEETING));

    expect(error).toMatchObject({ kind: "forbidden", reason: "invalid_grant" });
    expect((error as Error).message).toContain("Google refused the App's service-account credentials");
    const text = everyRendering(error);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect(token.isDone()).toBe(true);
  });

  it("holds for credential errors, including JSON that is the key itself", async () => {
    const errors = await Promise.all([
      caught(readGoogleCredentials({ GOOGLE_CREDENTIALS_JSON: PRIVATE_KEY })),
      caught(readGoogleCredentials({ GOOGLE_CREDENTIALS_JSON: keyJson().slice(0, -1) })),
      caught(readGoogleCredentials({ GOOGLE_CREDENTIALS_JSON: keyJson({ client_email: 42 }) })),
    ]);
    for (const error of errors) {
      expect(error).toMatchObject({ name: "GoogleDocsError", kind: "not-configured" });
      const text = everyRendering(error);
      for (const secret of SECRETS) expect(text).not.toContain(secret);
    }
  });
});
