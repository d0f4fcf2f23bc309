import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, type DefaultTreeAdapterMap } from "parse5";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";

type Node = DefaultTreeAdapterMap["node"];
type Element = DefaultTreeAdapterMap["element"];

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DENY_NETWORK = join(ROOT, "test", "helpers", "deny-network.mjs");

/** A free loopback port (Probot turns PORT=0 into 3000, so the server must be told one). */
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Every element of a parsed document, in document order. */
function elements(node: Node): Element[] {
  const children = "childNodes" in node ? node.childNodes : [];
  const own = "tagName" in node ? [node as Element] : [];
  const content = "content" in node && node.content ? elements(node.content as Node) : [];
  return [...own, ...children.flatMap((child) => elements(child as Node)), ...content];
}

const attribute = (element: Element, name: string) => element.attrs.find((attr) => attr.name === name)?.value;

function textOf(node: Node): string {
  if (node.nodeName === "#text") return (node as DefaultTreeAdapterMap["textNode"]).value;
  return "childNodes" in node ? node.childNodes.map((child) => textOf(child as Node)).join("") : "";
}

/**
 * The page as a browser sees it: parse5 implements the HTML standard's parsing algorithm, so the
 * button's value is what a browser would put in the form it posts to GitHub.
 */
function readSetupPage(html: string) {
  const all = elements(parse(html));
  const buttons = all.filter((element) => element.tagName === "button" && attribute(element, "name") === "manifest");
  expect(buttons).toHaveLength(1);
  const button = buttons[0]!;
  const form = all.find((element) => element.tagName === "form" && elements(element).includes(button));
  return {
    manifest: JSON.parse(attribute(button, "value") ?? "") as Record<string, unknown>,
    formAction: form && attribute(form, "action"),
    formMethod: form && attribute(form, "method"),
    scripts: all.filter((element) => element.tagName === "script").length,
    paragraphs: all.filter((element) => element.tagName === "p").map((element) => textOf(element).trim()),
  };
}

interface SetupServer {
  base: string;
  cwd: string;
  output: () => string;
  /** Resolves once the server's output contains `text` (log lines are written after the response). */
  waitForOutput: (text: string) => Promise<void>;
  stop: () => Promise<void>;
}

/**
 * `node lib/server.js` as `npm start` runs it, with no APP_ID or key, in a temporary working
 * directory holding the given app.yml and package.json (Probot's setup reads both from there,
 * and writes `.env` there). Network beyond loopback is denied in the child and reported.
 */
async function startSetupServer(files: { appYml: string; packageJson: string }, env: Record<string, string> = {}): Promise<SetupServer> {
  const cwd = mkdtempSync(join(tmpdir(), "wg-meetings-setup-"));
  writeFileSync(join(cwd, "app.yml"), files.appYml);
  writeFileSync(join(cwd, "package.json"), files.packageJson);
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["--import", DENY_NETWORK, join(ROOT, "lib", "server.js")], {
    cwd,
    env: { PATH: process.env.PATH, NO_SMEE_SETUP: "true", HOST: "127.0.0.1", PORT: String(port), LOG_FORMAT: "json", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  const onData = (chunk: Buffer) => {
    output += chunk;
    for (const waiter of waiters.filter((w) => output.includes(w.text))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const waitForOutput = (text: string) =>
    output.includes(text) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ text, resolve }));
  // Waits for the server to say it listens, however long that takes; fails at once if it exits.
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the server exited (${code}) before listening:\n${output}`)));
    waitForOutput("Listening on").then(resolve);
  });
  return {
    base: `http://127.0.0.1:${port}`,
    cwd,
    output: () => output,
    waitForOutput,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}

const realAppYml = readFileSync(join(ROOT, "app.yml"), "utf8");
const realPackageJson = readFileSync(join(ROOT, "package.json"), "utf8");

/** Everything a single-quoted attribute, a tag or an entity could trip over. */
const HOSTILE_TEXT = `It's the "group's" app </button><script>alert(1)</script> &amp; &lt;b&gt; 'quoted' 🎉 café ✓`;
const hostileAppYml = `# A manifest with every character the setup page must carry safely.
name: ${JSON.stringify(`wg-meetings ' " </button><script>x</script> &amp; 🎉`)}
description: ${JSON.stringify(`${HOSTILE_TEXT}\nsecond line\tand a tab`)}
url: "https://example.org/?a=1&b=2&c='3'"
public: false
default_events:
  - issues
default_permissions:
  issues: write
  metadata: read
`;
const hostilePackageJson = JSON.stringify({ name: "wg-meetings", version: "0.1.0", description: HOSTILE_TEXT });

/** Whether the repository's own .env exists, and when it last changed: setup must never write it. */
const repoEnvState = () => (existsSync(join(ROOT, ".env")) ? statSync(join(ROOT, ".env")).mtimeMs : "absent");

describe("the setup page of the production entry (lib/server.js without credentials)", () => {
  const repoEnvBefore = repoEnvState();
  afterAll(() => {
    expect(repoEnvState()).toBe(repoEnvBefore);
  });

  describe("with the repository's app.yml", () => {
    let server: SetupServer;
    beforeAll(async () => {
      server = await startSetupServer({ appYml: realAppYml, packageJson: realPackageJson });
    }, 120_000);
    afterAll(async () => {
      await server?.stop();
    });

    it("posts app.yml, every key unchanged, to GitHub's new-App form", { timeout: 120_000 }, async () => {
      const response = await fetch(`${server.base}/probot`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      const page = readSetupPage(await response.text());

      const appYml = parseYaml(realAppYml) as Record<string, unknown>;
      // The apostrophe that used to cut the JSON short.
      expect(appYml.description).toContain("'");
      for (const [key, value] of Object.entries(appYml)) expect(page.manifest[key], key).toEqual(value);
      expect(page.manifest.redirect_url).toBe(`${server.base}/probot/setup`);
      expect(page.manifest.hook_attributes).toEqual({ url: `${server.base}/api/github/webhooks` });
      expect(page.formAction).toBe("https://github.com/settings/apps/new");
      expect(page.formMethod).toBe("post");
    });

    it("keeps Probot's other setup routes", { timeout: 120_000 }, async () => {
      const root = await fetch(`${server.base}/`, { redirect: "manual" });
      expect(root.status).toBe(302);
      expect(root.headers.get("location")).toBe("/probot");
      expect((await fetch(`${server.base}/probot/import`)).status).toBe(200);
      expect((await fetch(`${server.base}/probot/success`)).status).toBe(200);
      expect((await fetch(`${server.base}/probot/setup`)).status).toBe(400);
      expect((await fetch(`${server.base}/ping`)).status).toBe(200);
    });

    it("reaches nothing beyond loopback, and logs through the redacting logger", { timeout: 120_000 }, async () => {
      await fetch(`${server.base}/probot?logged=1`, { headers: { authorization: "Bearer not-for-the-log" } });
      await server.waitForOutput("GET /probot?logged=1 200");
      expect(server.output()).not.toContain("deny-network:");
      expect(server.output()).toContain('"authorization":"[redacted]"');
      expect(server.output()).not.toContain("not-for-the-log");
    });
  });

  describe("with an app.yml full of quotes, tags, entities, emoji and a line break, on GitHub Enterprise Server", () => {
    let server: SetupServer;
    let ghes: HttpServer;
    let ghesHost: string;
    const conversions: Array<{ method?: string; url?: string }> = [];
    const PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----\n";
    const SECRETS = { webhook_secret: "whsec-setup-3c1e9a", client_secret: "client-secret-77ab" };

    beforeAll(async () => {
      // GitHub Enterprise Server, as far as the code exchange needs it.
      ghes = createHttpServer((req: IncomingMessage, res) => {
        conversions.push({ method: req.method, url: req.url });
        res.writeHead(201, { "content-type": "application/json" }).end(
          JSON.stringify({ id: 4242, client_id: "Iv1.setup", pem: PEM, html_url: `http://${req.headers.host}/github-apps/wg-meetings`, ...SECRETS }),
        );
      });
      await new Promise<void>((resolve) => ghes.listen(0, "127.0.0.1", resolve));
      ghesHost = `127.0.0.1:${(ghes.address() as { port: number }).port}`;
      server = await startSetupServer({ appYml: hostileAppYml, packageJson: hostilePackageJson }, { GHE_HOST: ghesHost, GHE_PROTOCOL: "http" });
    }, 120_000);
    afterAll(async () => {
      await server?.stop();
      ghes?.close();
    });

    it("posts exactly that text, parsed the way a browser parses the page", { timeout: 120_000 }, async () => {
      const page = readSetupPage(await (await fetch(`${server.base}/probot`)).text());
      const appYml = parseYaml(hostileAppYml) as Record<string, unknown>;
      expect(appYml.description).toContain("\n");
      for (const [key, value] of Object.entries(appYml)) expect(page.manifest[key], key).toEqual(value);
      expect(page.manifest.redirect_url).toBe(`${server.base}/probot/setup`);
      // Probot's form, pointed at the Enterprise Server's new-App page.
      expect(page.formAction).toBe(`http://${ghesHost}/settings/apps/new`);
      // The page's own text (package.json's description) is text too, never markup.
      expect(page.paragraphs).toContain(HOSTILE_TEXT);
      expect(page.scripts).toBe(0);
    });

    it("exchanges GitHub's code at /probot/setup and writes .env in the working directory, not the repository", { timeout: 120_000 }, async () => {
      const response = await fetch(`${server.base}/probot/setup?code=the-code`, { redirect: "manual" });
      expect(conversions).toEqual([{ method: "POST", url: "/api/v3/app-manifests/the-code/conversions" }]);
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toMatch(/\/github-apps\/wg-meetings\/installations\/new$/);
      const env = readFileSync(join(server.cwd, ".env"), "utf8");
      expect(env).toContain("APP_ID=4242");
      expect(env).toContain(`WEBHOOK_SECRET=${SECRETS.webhook_secret}`);
      expect(env).toContain("PRIVATE_KEY=");
      expect(server.output()).not.toContain(SECRETS.webhook_secret);
      expect(server.output()).not.toContain(SECRETS.client_secret);
      expect(server.output()).not.toContain("MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu");
      expect(server.output()).not.toContain("deny-network:");
    });
  });
});
