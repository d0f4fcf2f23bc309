import { readFile } from "node:fs/promises";
import { GoogleDocsError } from "./errors.js";

/** The environment variables that configure Google, named in every message about them. */
export const GOOGLE_ENV = {
  keyFile: "GOOGLE_APPLICATION_CREDENTIALS",
  json: "GOOGLE_CREDENTIALS_JSON",
  impersonate: "GOOGLE_IMPERSONATE",
} as const;

/**
 * A service account's credentials. `privateKey` is non-enumerable, so logging or serialising
 * the object (pino, JSON.stringify, util.inspect, vitest diffs) never prints the key.
 */
export interface GoogleCredentials {
  /** The service account, e.g. `wg-meetings@project.iam.gserviceaccount.com`. */
  readonly clientEmail: string;
  /** PEM, from the key's `private_key`. */
  readonly privateKey: string;
  readonly privateKeyId: string | undefined;
  /**
   * A Workspace user to act as (domain-wide delegation, `GOOGLE_IMPERSONATE`): needed where a
   * service account may not own files, e.g. a folder in someone's My Drive.
   */
  readonly impersonate: string | undefined;
  /** Which variable the key came from, for messages. */
  readonly source: (typeof GOOGLE_ENV)["keyFile" | "json"];
}

/**
 * Reads the App's Google service-account credentials from the environment:
 * `GOOGLE_CREDENTIALS_JSON` (the key's JSON, or that JSON base64-encoded as CI secrets often
 * are) wins over `GOOGLE_APPLICATION_CREDENTIALS` (a key-file path), because it is specific to
 * this App while the latter is a convention other Google tooling may have set.
 *
 * @returns null when neither is set (Google is optional).
 * @throws GoogleDocsError (`not-configured`) naming the variable and what is wrong; never
 *   quoting the content, which would leak the key.
 */
export async function readGoogleCredentials(env: NodeJS.ProcessEnv): Promise<GoogleCredentials | null> {
  const json = env[GOOGLE_ENV.json]?.trim();
  const keyFile = env[GOOGLE_ENV.keyFile]?.trim();
  const impersonate = readImpersonate(env);

  if (json) return parseServiceAccount(decodeJson(json), GOOGLE_ENV.json, impersonate);
  if (!keyFile) return null;

  let text: string;
  try {
    text = await readFile(keyFile, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === "ENOENT" ? "does not exist" : code === "EACCES" ? "is not readable by the App" : `cannot be read (${code ?? "unknown error"})`;
    throw notConfigured(`${GOOGLE_ENV.keyFile}: the key file ${keyFile} ${what}`);
  }
  return parseServiceAccount(text, `${GOOGLE_ENV.keyFile}`, impersonate, keyFile);
}

function readImpersonate(env: NodeJS.ProcessEnv): string | undefined {
  const value = env[GOOGLE_ENV.impersonate]?.trim();
  if (!value) return undefined;
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) {
    throw notConfigured(`${GOOGLE_ENV.impersonate}: expected the email address of a Workspace user`);
  }
  return value;
}

/** Accepts raw JSON, or base64 of it (how secrets stores often hand JSON over). */
function decodeJson(value: string): string {
  if (value.startsWith("{")) return value;
  const decoded = Buffer.from(value, "base64").toString("utf8").trim();
  return decoded.startsWith("{") ? decoded : value;
}

function parseServiceAccount(
  text: string,
  variable: GoogleCredentials["source"],
  impersonate: string | undefined,
  file?: string,
): GoogleCredentials {
  const where = file ? `${variable}: the key file ${file}` : variable;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Deliberately not V8's message: it quotes the start of the input, i.e. the key.
    throw notConfigured(`${where} is not valid JSON (expected a service-account key downloaded from Google Cloud)`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw notConfigured(`${where} is not a JSON object (expected a service-account key)`);
  }
  const key = parsed as Record<string, unknown>;
  if (key["type"] !== undefined && key["type"] !== "service_account") {
    // A gcloud user login (`authorized_user`) or a workload-identity config looks similar.
    throw notConfigured(`${where} has type "${String(key["type"]).slice(0, 40)}", expected a service-account key (type "service_account")`);
  }
  const clientEmail = key["client_email"];
  let privateKey = key["private_key"];
  const missing = [
    typeof clientEmail === "string" && clientEmail.includes("@") ? null : "client_email",
    typeof privateKey === "string" && privateKey.length > 0 ? null : "private_key",
  ].filter((name): name is string => name !== null);
  if (missing.length > 0) throw notConfigured(`${where} has no ${missing.join(" and no ")} (expected a service-account key)`);

  // Keys pasted through shells and secret stores often arrive with literal "\n" sequences.
  privateKey = (privateKey as string).replace(/\\n/g, "\n");
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(privateKey as string)) {
    throw notConfigured(`${where}: private_key is not a PEM private key`);
  }

  const credentials = {
    clientEmail: clientEmail as string,
    privateKeyId: typeof key["private_key_id"] === "string" ? key["private_key_id"] : undefined,
    impersonate,
    source: variable,
  };
  Object.defineProperty(credentials, "privateKey", { value: privateKey, enumerable: false });
  return credentials as GoogleCredentials;
}

function notConfigured(message: string): GoogleDocsError {
  return new GoogleDocsError("not-configured", message);
}
