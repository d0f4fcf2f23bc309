import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { readGoogleCredentials } from "../../../src/google/credentials.js";
import { GoogleDocsError } from "../../../src/google/errors.js";
import { keyJson, PRIVATE_KEY, SERVICE_ACCOUNT } from "../../helpers/google.js";

const dir = mkdtempSync(join(tmpdir(), "wg-google-"));
function keyFile(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Lines of the PEM body: no message may contain any of them. */
const KEY_LINES = PRIVATE_KEY.split("\n").filter((line) => line.length > 20 && !line.startsWith("-----"));

async function failure(env: NodeJS.ProcessEnv): Promise<GoogleDocsError> {
  const error = await readGoogleCredentials(env).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GoogleDocsError);
  const message = (error as GoogleDocsError).message;
  for (const line of KEY_LINES) expect(message).not.toContain(line.slice(0, 20));
  expect(message).not.toContain("PRIVATE KEY");
  return error as GoogleDocsError;
}

describe("readGoogleCredentials", () => {
  it("is null when no variable is set (or they are empty)", async () => {
    expect(await readGoogleCredentials({})).toBeNull();
    expect(await readGoogleCredentials({ GOOGLE_APPLICATION_CREDENTIALS: " ", GOOGLE_CREDENTIALS_JSON: "" })).toBeNull();
  });

  it("reads a key file named by GOOGLE_APPLICATION_CREDENTIALS", async () => {
    const credentials = await readGoogleCredentials({ GOOGLE_APPLICATION_CREDENTIALS: keyFile("key.json", keyJson()) });
    expect(credentials).toMatchObject({ clientEmail: SERVICE_ACCOUNT, privateKeyId: "0123456789abcdef", impersonate: undefined, source: "GOOGLE_APPLICATION_CREDENTIALS" });
    expect(credentials?.privateKey).toBe(PRIVATE_KEY);
  });

  it("reads GOOGLE_CREDENTIALS_JSON (raw or base64), which wins over the key file", async () => {
    const env = { GOOGLE_CREDENTIALS_JSON: keyJson(), GOOGLE_APPLICATION_CREDENTIALS: "/nonexistent.json", GOOGLE_IMPERSONATE: "bot@example.org" };
    expect(await readGoogleCredentials(env)).toMatchObject({ source: "GOOGLE_CREDENTIALS_JSON", impersonate: "bot@example.org" });
    const b64 = await readGoogleCredentials({ GOOGLE_CREDENTIALS_JSON: Buffer.from(keyJson()).toString("base64") });
    expect(b64?.privateKey).toBe(PRIVATE_KEY);
  });

  it("accepts a key whose newlines arrived as literal \\n", async () => {
    const flattened = keyJson({ private_key: PRIVATE_KEY.replace(/\n/g, "\\n") });
    expect((await readGoogleCredentials({ GOOGLE_CREDENTIALS_JSON: flattened }))?.privateKey).toBe(PRIVATE_KEY);
  });

  it("never shows the private key when the credentials are logged or serialised", async () => {
    const credentials = await readGoogleCredentials({ GOOGLE_CREDENTIALS_JSON: keyJson() });
    for (const text of [JSON.stringify(credentials), inspect(credentials, { depth: 5 }), String(Object.values(credentials!))]) {
      expect(text).toContain(SERVICE_ACCOUNT);
      expect(text).not.toContain("PRIVATE KEY");
    }
  });

  it("names the variable and the missing file", async () => {
    const error = await failure({ GOOGLE_APPLICATION_CREDENTIALS: join(dir, "missing.json") });
    expect(error.kind).toBe("not-configured");
    expect(error.message).toBe(`GOOGLE_APPLICATION_CREDENTIALS: the key file ${join(dir, "missing.json")} does not exist`);
  });

  it("says the JSON is invalid without quoting it (V8's message would quote the key)", async () => {
    const broken = keyJson().replace(/}$/, "");
    const error = await failure({ GOOGLE_CREDENTIALS_JSON: broken });
    expect(error.message).toBe("GOOGLE_CREDENTIALS_JSON is not valid JSON (expected a service-account key downloaded from Google Cloud)");
    const fromFile = await failure({ GOOGLE_APPLICATION_CREDENTIALS: keyFile("broken.json", `${PRIVATE_KEY}\n}`) });
    expect(fromFile.message).toMatch(/^GOOGLE_APPLICATION_CREDENTIALS: the key file .*broken\.json is not valid JSON/);
  });

  it("names the fields a key lacks, and refuses other credential types", async () => {
    expect((await failure({ GOOGLE_CREDENTIALS_JSON: keyJson({ client_email: undefined }) })).message).toBe(
      "GOOGLE_CREDENTIALS_JSON has no client_email (expected a service-account key)",
    );
    expect((await failure({ GOOGLE_CREDENTIALS_JSON: JSON.stringify({ type: "service_account" }) })).message).toBe(
      "GOOGLE_CREDENTIALS_JSON has no client_email and no private_key (expected a service-account key)",
    );
    expect((await failure({ GOOGLE_CREDENTIALS_JSON: keyJson({ type: "authorized_user" }) })).message).toContain('type "authorized_user"');
    expect((await failure({ GOOGLE_CREDENTIALS_JSON: keyJson({ private_key: "not a pem" }) })).message).toBe(
      "GOOGLE_CREDENTIALS_JSON: private_key is not a PEM private key",
    );
    expect((await failure({ GOOGLE_CREDENTIALS_JSON: "[1,2]" })).message).toContain("is not a JSON object");
  });

  it("checks GOOGLE_IMPERSONATE is an email address", async () => {
    const error = await failure({ GOOGLE_CREDENTIALS_JSON: keyJson(), GOOGLE_IMPERSONATE: "not-an-email" });
    expect(error.message).toBe("GOOGLE_IMPERSONATE: expected the email address of a Workspace user");
  });
});
