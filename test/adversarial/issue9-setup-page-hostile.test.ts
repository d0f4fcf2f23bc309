import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, type DefaultTreeAdapterMap } from "parse5";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";

/**
 * Issue 9, attacked from outside: the setup page must carry any app.yml text to GitHub exactly.
 * test/integration/setup-page.test.ts covers quotes, tags, entities, emoji, a newline and a tab;
 * this adds what an HTML parser treats specially inside an attribute or as text: NUL, a bare CR,
 * U+2028/U+2029, a lone surrogate, character references without their semicolon (`&amp`,
 * `&lt`, `&#x27`), `&#0;`, an ambiguous ampersand before a name (`&copy=`), comment and CDATA
 * openers, and a `</textarea>`/`</title>` that would close raw-text elements.
 */

type Node = DefaultTreeAdapterMap["node"];
type Element = DefaultTreeAdapterMap["element"];

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DENY_NETWORK = join(ROOT, "test", "helpers", "deny-network.mjs");

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

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

/** Every character class an HTML tokenizer handles specially, as YAML escapes so the file stays text. */
const NASTY = String.raw`nul[\0] cr[\r] crlf[\r\n] ls[\u2028] ps[\u2029] lone[\ud800] bom[\ufeff] amp[&amp] lt[&lt] apos[&#x27] zero[&#0;] copy[&copy=1] semi[&amp;] big[&#x110000;] `;
const NASTY_MARKUP = `<!-- <![CDATA[ ]]> </title></textarea></noscript></style></form> <button> ' " \` =`;

/** app.yml written as YAML double-quoted scalars, so the escapes above become the characters. */
function hostileAppYml(): string {
  const quoted = (text: string) => `"${text.replace(/"/g, '\\"')}"`;
  return [
    `name: ${quoted(`wg ${NASTY}`)}`,
    `description: ${quoted(`${NASTY}${NASTY_MARKUP.replace(/\\/g, "\\\\")}`)}`,
    `url: ${quoted("https://example.org/?a=1&amp=2&lt=3&copy;=4&#39;")}`,
    "public: false",
    "default_events: [issues]",
    "default_permissions: { issues: write, metadata: read }",
    "",
  ].join("\n");
}

interface SetupServer {
  base: string;
  stop(): Promise<void>;
}

async function startSetupServer(files: { appYml: string; packageJson: string }): Promise<SetupServer> {
  const cwd = mkdtempSync(join(tmpdir(), "wg-adv-setup-"));
  writeFileSync(join(cwd, "app.yml"), files.appYml);
  writeFileSync(join(cwd, "package.json"), files.packageJson);
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["--import", DENY_NETWORK, join(ROOT, "lib", "server.js")], {
    cwd,
    env: { PATH: process.env.PATH, NO_SMEE_SETUP: "true", HOST: "127.0.0.1", PORT: String(port), LOG_FORMAT: "json", LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (output.includes("Listening on")) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`the server exited (${code}) before listening:\n${output}`)));
  });
  return {
    base: `http://127.0.0.1:${port}`,
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

describe("issue 9 adversarial: the setup page carries hostile app.yml and package.json text exactly", () => {
  const yml = hostileAppYml();
  const expected = parseYaml(yml) as Record<string, unknown>;
  const pkgDescription = `${NASTY_MARKUP} & &amp &#0; \u2028 end`;
  let server: SetupServer;

  beforeAll(async () => {
    server = await startSetupServer({ appYml: yml, packageJson: JSON.stringify({ name: `wg ${NASTY_MARKUP}`, version: "1.0.0", description: pkgDescription }) });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("the YAML really holds the characters (the test is not testing escapes only)", () => {
    const name = expected.name as string;
    for (const char of ["\0", "\r", "\u2028", "\u2029", "\ud800", "\ufeff"]) expect(name).toContain(char);
    expect(name).toContain("&amp]");
    expect(expected.description as string).toContain("</textarea>");
  });

  it("the button's value, parsed as a browser parses the page, is app.yml's JSON key for key", async () => {
    const html = await (await fetch(`${server.base}/probot`)).text();
    const all = elements(parse(html));
    const buttons = all.filter((element) => element.tagName === "button" && attribute(element, "name") === "manifest");
    expect(buttons).toHaveLength(1);
    const manifest = JSON.parse(attribute(buttons[0]!, "value") ?? "") as Record<string, unknown>;
    for (const [key, value] of Object.entries(expected)) expect(manifest[key], key).toEqual(value);
    // The page's markup is the view's own: hostile text added no element.
    expect(all.filter((element) => element.tagName === "script")).toHaveLength(0);
    expect(all.filter((element) => element.tagName === "form")).toHaveLength(1);
    expect(all.filter((element) => element.tagName === "button")).toHaveLength(1);
    // package.json's description is shown as text, exactly (a lone CR is normalised by every HTML parser; none here).
    expect(all.filter((element) => element.tagName === "p").map((element) => textOf(element).trim())).toContain(pkgDescription.trim());
    expect(textOf(all.find((element) => element.tagName === "title")!)).toBe(`Setup wg ${NASTY_MARKUP} | built with Probot`);
  });
});
