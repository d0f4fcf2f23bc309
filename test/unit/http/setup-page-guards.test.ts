import type { IncomingMessage, ServerResponse } from "node:http";
import { parse, type DefaultTreeAdapterMap } from "parse5";
import { beforeAll, describe, expect, it } from "vitest";
import { loadProbotSetupParts, registrationPage, type ProbotSetupParts } from "../../../src/http/setup-page.js";

type Node = DefaultTreeAdapterMap["node"];
type Element = DefaultTreeAdapterMap["element"];

function elements(node: Node): Element[] {
  const children = "childNodes" in node ? node.childNodes : [];
  const own = "tagName" in node ? [node as Element] : [];
  return [...own, ...children.flatMap((child) => elements(child as Node))];
}

/** The manifest the *Register GitHub App* button posts, read as a browser's HTML parser reads it. */
function postedManifest(html: string): { redirect_url?: string; hook_attributes?: { url?: string } } {
  const button = elements(parse(html)).find((element) => element.tagName === "button" && element.attrs.some((attr) => attr.name === "name" && attr.value === "manifest"));
  return JSON.parse(button!.attrs.find((attr) => attr.name === "value")!.value);
}

/** GET /probot through the registration page, as a request with these headers would reach it. */
async function page(parts: ProbotSetupParts, headers: Record<string, string>, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const probotsOwnRoutes = () => {
    throw new Error("GET /probot must not reach Probot's own setup handler");
  };
  const handler = registrationPage(parts, probotsOwnRoutes, { webhookPath: "/api/github/webhooks", env });
  let body = "";
  const res = { writeHead: () => res, end: (text: string) => void (body = text) };
  const req = { method: "GET", url: "/probot", headers, socket: {} };
  expect(await handler(req as unknown as IncomingMessage, res as unknown as ServerResponse)).toBe(true);
  return body;
}

/**
 * Issue 9, the setup page behind a TLS-terminating proxy (an ingress, a tunnel): the browser
 * reached https://<public host>, so GitHub must be told to send webhooks and the browser back
 * there, not to the plain-HTTP address the proxy forwards to.
 */
describe("the registration page behind a proxy", () => {
  let parts: ProbotSetupParts;
  beforeAll(async () => {
    parts = await loadProbotSetupParts();
  });

  it("uses the forwarded protocol and host for the webhook and redirect URLs", async () => {
    const manifest = postedManifest(await page(parts, { host: "10.0.0.7:3000", "x-forwarded-proto": "https", "x-forwarded-host": "wg.example.org" }));
    expect(manifest.hook_attributes?.url).toBe("https://wg.example.org/api/github/webhooks");
    expect(manifest.redirect_url).toBe("https://wg.example.org/probot/setup");
  });

  it("takes the first of several forwarded values (a chain of proxies)", async () => {
    const manifest = postedManifest(await page(parts, { host: "10.0.0.7:3000", "x-forwarded-proto": "https, http", "x-forwarded-host": "wg.example.org, inner.local" }));
    expect(manifest.hook_attributes?.url).toBe("https://wg.example.org/api/github/webhooks");
  });

  it("without a proxy: the address the browser used, over plain HTTP", async () => {
    const manifest = postedManifest(await page(parts, { host: "localhost:3000" }));
    expect(manifest.hook_attributes?.url).toBe("http://localhost:3000/api/github/webhooks");
    expect(manifest.redirect_url).toBe("http://localhost:3000/probot/setup");
  });
});
