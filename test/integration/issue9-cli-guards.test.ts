import { generateKeyPairSync } from "node:crypto";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import { installedRepo } from "../helpers/github.js";
import { privateKey } from "../helpers/probot.js";

/**
 * Issue 9, the command line on first contact: usage errors, credential errors and where the
 * links `wg-meetings tick` writes point. Cases cli.test.ts does not hold; run in-process.
 */

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (text) => (out += text), err: (text) => (err += text), env });
  return { code, out, err };
}

let unmatched: string[];
const onNoMatch = (req: { method?: string; path?: string; href?: string }) => unmatched.push(`${req.method} ${req.href ?? req.path}`);
beforeEach(() => {
  unmatched = [];
  nock.emitter.on("no match", onNoMatch);
});
afterEach(() => {
  nock.emitter.removeListener("no match", onNoMatch);
  nock.cleanAll();
});

describe("wg-meetings tick: an installation ID is digits only", () => {
  it.each(["1e3", "0x10", "4.0", " 42"])("--installation %j is a usage error (exit 2, the usage), before any credential is read", async (value) => {
    const { code, out, err } = await run(["tick", "--installation", value]);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toContain(`wg-meetings tick: --installation expects a number (got ${JSON.stringify(value)})`);
    expect(err).toContain("Usage: wg-meetings tick");
    expect(err).not.toContain("needs the App's credentials");
  });
});

describe("wg-meetings: --help after -- is an argument, not a request for help", () => {
  it("validate -- --help looks for a file named --help", async () => {
    const { code, out, err } = await run(["validate", "--", "--help"]);
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err).toBe("--help: cannot read the config: no such file\n");
  });
});

describe("wg-meetings tick: credential mistakes GitHub would reject are named up front", () => {
  it.each(["0", "000"])("APP_ID=%s is not an App ID", async (appId) => {
    const { code, out, err } = await run(["tick", "--dry-run"], { APP_ID: appId, PRIVATE_KEY: privateKey, LOG_LEVEL: "fatal" });
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err).toBe(`wg-meetings tick: APP_ID must be the App's numeric ID, shown on its settings page (got "${appId}")\n`);
    expect(unmatched).toEqual([]);
  });

  it("a key in the traditional encrypted PEM form (Proc-Type: 4,ENCRYPTED) is named as encrypted, and not shown", async () => {
    const encrypted = generateKeyPairSync("rsa", { modulusLength: 2048 })
      .privateKey.export({ type: "pkcs1", format: "pem", cipher: "aes-128-cbc", passphrase: "secret" })
      .toString();
    expect(encrypted).toContain("Proc-Type: 4,ENCRYPTED");
    const { code, out, err } = await run(["tick"], { APP_ID: "123", PRIVATE_KEY: encrypted, LOG_LEVEL: "fatal" });
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err).toBe("wg-meetings tick: PRIVATE_KEY is encrypted with a passphrase; GitHub App keys are not: use the .pem file as GitHub generated it\n");
    expect(err).not.toContain(encrypted.split("\n")[4]!);
  });
});

describe("wg-meetings tick on GitHub Enterprise Server (GHE_HOST)", () => {
  const GHE = "https://ghe.example.test";
  const BASE = "/api/v3/repos/acme/tsc";

  it("an invalid config's alarm links the file on the instance, never github.com", async () => {
    const config = "meetings:\n  - id: tsc\n    name: TSC\n    schedule: { rrule: FREQ=WEEKLY, start: 2026-01-07T16:00, zone: Europe/Londn }\n    agenda: { label: tsc-agenda, orgs: [acme] }\n";
    let created: { title: string; body: string } | undefined;
    const scope = nock(GHE)
      .get("/api/v3/app")
      .reply(200, { id: 123, slug: "wg-meetings", name: "wg-meetings" })
      .post("/api/v3/app/installations/1/access_tokens")
      .reply(201, { token: "ghs_test_1", expires_at: "2099-01-01T00:00:00Z" })
      .get(BASE)
      .reply(200, installedRepo("acme/tsc"))
      .get(`${BASE}/contents/.github%2Fmeetings.yml`)
      .reply(200, { type: "file", encoding: "base64", content: Buffer.from(config).toString("base64") })
      .get(`${BASE}/issues`)
      .query(true)
      .reply(200, [])
      .post(`${BASE}/issues`, (body) => ((created = body), true))
      .reply(201, { number: 50, html_url: `${GHE}/acme/tsc/issues/50` });

    const { code, err } = await run(["tick", "--installation", "1", "--repo", "acme/tsc"], {
      APP_ID: "123",
      PRIVATE_KEY: privateKey,
      GHE_HOST: "ghe.example.test",
      LOG_LEVEL: "fatal",
    });

    expect(err).toBe("");
    expect(code).toBe(0);
    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(created!.body).toContain(`(${GHE}/acme/tsc/blob/main/.github/meetings.yml)`);
    expect(created!.body).not.toContain("github.com");
  });
});
