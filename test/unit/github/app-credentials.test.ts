import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AppCredentialsError, appCredentialsGiven, readAppCredentials } from "../../../src/github/app-credentials.js";

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PKCS1 = rsa.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const PKCS8 = rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
/** A line from the middle of the key: if it shows up in a message, the key leaked. */
const KEY_LINE = PKCS1.split("\n")[5]!;

/** An empty working directory, so Probot's `*.pem` lookup finds nothing unless a test puts a file there. */
const emptyDir = () => mkdtempSync(join(tmpdir(), "wg-meetings-creds-"));

function problem(env: NodeJS.ProcessEnv, cwd = emptyDir()): string {
  try {
    readAppCredentials(env, { cwd });
  } catch (error) {
    expect(error).toBeInstanceOf(AppCredentialsError);
    return (error as Error).message;
  }
  throw new Error("expected the credentials to be refused");
}

describe("readAppCredentials: the forms Probot accepts", () => {
  it.each([
    ["PKCS#1 PEM", PKCS1],
    ["PKCS#8 PEM", PKCS8],
    ["newlines written as \\n (a .env file)", PKCS1.replace(/\n/g, "\\n")],
    ["the whole file base64-encoded", Buffer.from(PKCS1).toString("base64")],
    ["all on one line, spaces for newlines", PKCS1.replace(/\n/g, " ").trim()],
  ])("PRIVATE_KEY as %s", (_name, value) => {
    const credentials = readAppCredentials({ APP_ID: "123", PRIVATE_KEY: value }, { cwd: emptyDir() });
    expect(credentials.appId).toBe(123);
    expect(credentials.privateKey).toContain("PRIVATE KEY-----\n");
  });

  it("PRIVATE_KEY_PATH, relative to the working directory", () => {
    const cwd = emptyDir();
    writeFileSync(join(cwd, "key.txt"), PKCS1);
    expect(readAppCredentials({ APP_ID: "7", PRIVATE_KEY_PATH: "key.txt" }, { cwd }).privateKey).toBe(PKCS1);
  });

  it("PRIVATE_KEY wins over PRIVATE_KEY_PATH, as in Probot", () => {
    expect(readAppCredentials({ APP_ID: "7", PRIVATE_KEY: PKCS8, PRIVATE_KEY_PATH: "/missing.pem" }, { cwd: emptyDir() }).privateKey).toBe(PKCS8);
  });

  it("the one .pem file in the working directory, when neither variable is set", () => {
    const cwd = emptyDir();
    writeFileSync(join(cwd, "my-app.2025-01-01.private-key.pem"), PKCS1);
    expect(readAppCredentials({ APP_ID: "7" }, { cwd }).privateKey).toBe(PKCS1);
  });

  it("keeps the key out of logs: it is not an enumerable property", () => {
    const credentials = readAppCredentials({ APP_ID: "123", PRIVATE_KEY: PKCS1 }, { cwd: emptyDir() });
    expect(JSON.stringify(credentials)).toBe('{"appId":123}');
    expect(Object.keys(credentials)).toEqual(["appId"]);
  });
});

describe("readAppCredentials: each mistake is named, the key never is", () => {
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const encrypted = rsa.privateKey.export({ type: "pkcs8", format: "pem", cipher: "aes-128-cbc", passphrase: "secret" }).toString();
  const truncated = PKCS1.split("\n").filter((_line, index) => index !== 3).join("\n");
  const publicKey = rsa.publicKey.export({ type: "spki", format: "pem" }).toString();

  it.each([
    ["nothing set", {}, "needs the App's credentials: set APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH)"],
    ["no APP_ID", { PRIVATE_KEY: PKCS1 }, "APP_ID is not set: set it to the App ID shown on the App's settings page"],
    ["APP_ID not a number", { APP_ID: "Iv1.0123abcd", PRIVATE_KEY: PKCS1 }, 'APP_ID must be the App\'s numeric ID, shown on its settings page (got "Iv1.0123abcd")'],
    ["no key", { APP_ID: "1" }, "no private key: set PRIVATE_KEY to the contents of the App's .pem file, or PRIVATE_KEY_PATH to its path"],
    ["PRIVATE_KEY=notakey", { APP_ID: "1", PRIVATE_KEY: "notakey" }, /^PRIVATE_KEY is not a PEM private key \(expected the contents of the \.pem file/],
    ["a truncated key", { APP_ID: "1", PRIVATE_KEY: truncated }, /^PRIVATE_KEY looks like a PEM private key but cannot be parsed: it may be truncated or altered/],
    ["a public key", { APP_ID: "1", PRIVATE_KEY: publicKey }, /^PRIVATE_KEY is not a PEM private key/],
    ["an EC key", { APP_ID: "1", PRIVATE_KEY: ec }, /^PRIVATE_KEY is an EC key; GitHub App keys are RSA/],
    ["an encrypted key", { APP_ID: "1", PRIVATE_KEY: encrypted }, /^PRIVATE_KEY is encrypted with a passphrase; GitHub App keys are not/],
    ["a missing key file", { APP_ID: "1", PRIVATE_KEY_PATH: "/missing.pem" }, "PRIVATE_KEY_PATH: file /missing.pem does not exist"],
    ["a directory as key file", { APP_ID: "1", PRIVATE_KEY_PATH: "/" }, "PRIVATE_KEY_PATH: file / is a directory, not a file"],
  ])("%s", (_name, env: NodeJS.ProcessEnv, expected) => {
    const message = problem(env);
    if (typeof expected === "string") expect(message).toBe(expected);
    else expect(message).toMatch(expected);
    expect(message).not.toContain(KEY_LINE);
    expect(message).not.toContain(KEY_LINE.slice(0, 12));
  });

  it("a key file with the wrong content: names the file, not what is in it", () => {
    const cwd = emptyDir();
    writeFileSync(join(cwd, "app.pem"), `${KEY_LINE}\n`);
    const message = problem({ APP_ID: "1", PRIVATE_KEY_PATH: "app.pem" }, cwd);
    expect(message).toMatch(/^PRIVATE_KEY_PATH: file app\.pem is not a PEM private key \(/);
    expect(message).not.toContain(KEY_LINE.slice(0, 12));
  });

  it("several .pem files and no variable: asks which", () => {
    const cwd = emptyDir();
    writeFileSync(join(cwd, "a.pem"), PKCS1);
    writeFileSync(join(cwd, "b.pem"), PKCS1);
    expect(problem({ APP_ID: "1" }, cwd)).toMatch(/several \.pem files in .* \(a\.pem, b\.pem\): set PRIVATE_KEY_PATH to the App's$/);
  });

  it("a file too large to be a key is not read", () => {
    const cwd = emptyDir();
    writeFileSync(join(cwd, "huge.pem"), Buffer.alloc(100_000, 0x41));
    expect(problem({ APP_ID: "1", PRIVATE_KEY_PATH: "huge.pem" }, cwd)).toBe("PRIVATE_KEY_PATH: file huge.pem is 100000 bytes: too large to be a private key");
  });
});

describe("appCredentialsGiven", () => {
  it("is false only when none is set: Probot's setup mode", () => {
    expect(appCredentialsGiven({})).toBe(false);
    expect(appCredentialsGiven({ APP_ID: "" })).toBe(false);
    expect(appCredentialsGiven({ APP_ID: "1" })).toBe(true);
    expect(appCredentialsGiven({ PRIVATE_KEY_PATH: "k.pem" })).toBe(true);
  });
});
