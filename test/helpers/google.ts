import { readFileSync } from "node:fs";
import nock from "nock";
import { createGoogleClients, type GoogleClients } from "../../src/google/clients.js";
import { readGoogleCredentials, type GoogleCredentials } from "../../src/google/credentials.js";

/** The RSA key the whole suite uses (PKCS#8 PEM). */
export const PRIVATE_KEY = readFileSync(new URL("../fixtures/mock-cert.pem", import.meta.url), "utf8");
export const SERVICE_ACCOUNT = "wg-meetings@wg-test.iam.gserviceaccount.com";
export const ACCESS_TOKEN = "ya29.fake-access-token";

export const TOKEN_HOST = "https://oauth2.googleapis.com";
export const DRIVE_HOST = "https://www.googleapis.com";
export const DOCS_HOST = "https://docs.googleapis.com";

/** A service-account key file's JSON, as Google Cloud hands it out. */
export function keyJson(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: "service_account",
    project_id: "wg-test",
    private_key_id: "0123456789abcdef",
    private_key: PRIVATE_KEY,
    client_email: SERVICE_ACCOUNT,
    client_id: "100000000000000000001",
    token_uri: "https://oauth2.googleapis.com/token",
    ...overrides,
  });
}

export async function fakeCredentials(env: Record<string, string> = {}): Promise<GoogleCredentials> {
  const credentials = await readGoogleCredentials({ GOOGLE_CREDENTIALS_JSON: keyJson(), ...env });
  if (!credentials) throw new Error("expected credentials");
  return credentials;
}

/** Retries without real waiting: tests must never sleep for seconds. */
export const FAST_RETRY = { retries: 2, baseDelayMs: 1, maxDelayMs: 2 };

export async function fakeClients(env: Record<string, string> = {}): Promise<GoogleClients> {
  return createGoogleClients(await fakeCredentials(env), { retry: FAST_RETRY });
}

/** Decodes the JWT assertion the App signs for the token exchange. */
export function jwtPayload(assertion: string): Record<string, unknown> {
  const payload = assertion.split(".")[1] ?? "";
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
}

/**
 * The token exchange: asserts the JWT-bearer grant, records the assertion's claims, and
 * answers with ACCESS_TOKEN. Google caches the token, so one exchange serves a whole test.
 */
export function mockTokenExchange(seen: { claims?: Record<string, unknown> } = {}): nock.Scope {
  return nock(TOKEN_HOST)
    .post("/token", (body: Record<string, string>) => {
      if (body["grant_type"] !== "urn:ietf:params:oauth:grant-type:jwt-bearer") return false;
      seen.claims = jwtPayload(body["assertion"] ?? "");
      return true;
    })
    .reply(200, { access_token: ACCESS_TOKEN, expires_in: 3600, token_type: "Bearer" });
}

/** A Drive scope that only matches requests carrying the bearer token. */
export function drive(): nock.Scope {
  return nock(DRIVE_HOST, { reqheaders: { authorization: `Bearer ${ACCESS_TOKEN}` } });
}

export function docs(): nock.Scope {
  return nock(DOCS_HOST, { reqheaders: { authorization: `Bearer ${ACCESS_TOKEN}` } });
}

/** Google's JSON error body (Drive v3 style). */
export function googleError(code: number, reason: string, message = "error"): object {
  return { error: { code, message, errors: [{ domain: "global", reason, message }] } };
}
