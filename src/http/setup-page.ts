import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Logger } from "pino";
import { Probot, Server } from "probot";

/**
 * Setup mode (the server started without the App's credentials): Probot's own setup flow, with
 * its registration page rendered safely.
 *
 * Probot 14's setup view writes the manifest into a single-quoted HTML attribute unescaped
 * (`value='${manifest}'`): one apostrophe in `app.yml` ("working group's") ends the attribute and
 * the *Register GitHub App* button posts truncated JSON. Here every value the page shows is
 * HTML-escaped before it goes into Probot's view; a browser decodes the entities when it parses
 * the attribute, so GitHub receives the manifest exactly. Everything else — the code exchange at
 * `/probot/setup` that writes `.env`, `/probot/import`, `/probot/success`, the static files, the
 * smee channel — is Probot's code, unchanged.
 */

type Handler = (req: IncomingMessage, res: ServerResponse) => void | boolean | Promise<void | boolean>;

/** What Probot's setup page reads from the working directory's package.json. */
interface PackageJson {
  name?: string;
  version?: string;
  description?: string;
}

/** Probot's setup-mode parts. Its package exports none of them, so they are loaded by file. */
export interface ProbotSetupParts {
  /** `probot/lib/apps/setup.js`: the setup routes (as Probot's `run` starts them). */
  setupAppFactory(options: { host: string; port: number; log: Logger }): () => Promise<Handler>;
  /** `probot/lib/manifest-creation.js`: reads app.yml and package.json from the working directory. */
  ManifestCreation: new () => { readonly pkg: PackageJson; getManifest(options: { pkg: PackageJson; baseUrl: string }): string; readonly createAppUrl: string };
  /** `probot/lib/views/setup.js`: the page, which interpolates what it is given as HTML. */
  setupView(options: { name?: string | undefined; description?: string | undefined; version?: string | undefined; createAppUrl: string; manifest: string }): string;
  /** `probot/lib/bin/read-env-options.js`: how `run` reads its options from the environment. */
  readEnvOptions(env: NodeJS.ProcessEnv): {
    appId: number;
    privateKey: string | undefined;
    host: string | undefined;
    port: number;
    webhookPath: string | undefined;
    webhookProxy: string | undefined;
    secret: string | undefined;
    baseUrl: string;
  };
}

/** Probot's webhook route when WEBHOOK_PATH is not set (its `defaultWebhookPath`). */
const DEFAULT_WEBHOOK_PATH = "/api/github/webhooks";

/**
 * Loads Probot's setup-mode parts from the installed Probot. Fails with a message naming the
 * file when a Probot release has moved one, instead of serving a broken page.
 */
export async function loadProbotSetupParts(): Promise<ProbotSetupParts> {
  const lib = dirname(createRequire(import.meta.url).resolve("probot"));
  const load = async <T>(file: string, name: string): Promise<T> => {
    const module = (await import(pathToFileURL(join(lib, file)).href).catch(() => ({}))) as Record<string, unknown>;
    if (typeof module[name] !== "function") {
      throw new Error(`wg-meetings: setup mode needs ${name} from probot/lib/${file}, which this Probot version does not have (${Server.version})`);
    }
    return module[name] as T;
  };
  const [setupAppFactory, ManifestCreation, setupView, readEnvOptions] = await Promise.all([
    load<ProbotSetupParts["setupAppFactory"]>("apps/setup.js", "setupAppFactory"),
    load<ProbotSetupParts["ManifestCreation"]>("manifest-creation.js", "ManifestCreation"),
    load<ProbotSetupParts["setupView"]>("views/setup.js", "setupView"),
    load<ProbotSetupParts["readEnvOptions"]>("bin/read-env-options.js", "readEnvOptions"),
  ]);
  return { setupAppFactory, ManifestCreation, setupView, readEnvOptions };
}

/**
 * Whether Probot's `run` would start its setup page: no App ID or no private key, read as Probot
 * reads them. In production Probot refuses to start instead ("App ID is missing"), and so does
 * the server: this answers false there and `run` reports it.
 */
export function wantsSetup(parts: ProbotSetupParts, env: NodeJS.ProcessEnv): boolean {
  if (env.NODE_ENV === "production") return false;
  const options = parts.readEnvOptions(env);
  return !options.appId || !options.privateKey;
}

/**
 * Starts the setup server the way Probot's `run` does (same host, port, webhook path and
 * logger), with the setup page replaced by `registrationPage`.
 */
export async function startSetupServer(parts: ProbotSetupParts, env: NodeJS.ProcessEnv, log: Logger): Promise<Server> {
  const options = parts.readEnvOptions(env);
  const webhookPath = options.webhookPath ?? DEFAULT_WEBHOOK_PATH;
  const server = new Server({
    host: options.host ?? "localhost",
    port: options.port,
    webhookPath,
    webhookProxy: options.webhookProxy,
    log,
    // As Probot's run: the App instance is never used in setup mode, but it must construct.
    Probot: Probot.defaults({ appId: 1, privateKey: "dummy value for setup, see probot#1512", secret: options.secret, baseUrl: options.baseUrl, log }),
  });
  const probotSetup = parts.setupAppFactory({ host: server.host, port: server.port, log: log.child({ name: "setup" }) });
  await server.loadHandlerFactory(async () => registrationPage(parts, await probotSetup(), { webhookPath, env }));
  await server.start();
  return server;
}

/**
 * Probot's setup handler with `GET /probot` — the page with the *Register GitHub App* button —
 * rendered from escaped values. The manifest is Probot's (app.yml over its defaults), except
 * that the webhook URL is the route this server receives webhooks on rather than Probot's `/`,
 * unless app.yml or WEBHOOK_PROXY_URL says otherwise.
 */
export function registrationPage(parts: ProbotSetupParts, probotSetup: Handler, options: { webhookPath: string; env: NodeJS.ProcessEnv }): Handler {
  const creation = new parts.ManifestCreation();
  return async (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" || path !== "/probot") return probotSetup(req, res);
    const baseUrl = requestBaseUrl(req);
    const pkg = creation.pkg;
    const manifest = JSON.parse(creation.getManifest({ pkg, baseUrl })) as { hook_attributes?: { url?: string } };
    if (!options.env.WEBHOOK_PROXY_URL && manifest.hook_attributes?.url === `${baseUrl}/`) {
      manifest.hook_attributes.url = `${baseUrl}${options.webhookPath}`;
    }
    const page = parts.setupView({
      name: escapeOptional(pkg.name),
      version: escapeOptional(pkg.version),
      description: escapeOptional(pkg.description),
      createAppUrl: escapeHtml(creation.createAppUrl),
      manifest: escapeHtml(JSON.stringify(manifest)),
    });
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
    return true;
  };
}

/**
 * Escapes text for HTML, in element content and in attribute values quoted either way. A
 * browser's parser turns the entities back into the original characters.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Probot's view falls back to its own wording when a value is missing: keep it missing. */
function escapeOptional(value: unknown): string | undefined {
  return value === undefined || value === null || value === "" ? undefined : escapeHtml(String(value));
}

/**
 * The server's address as the browser reached it (behind a proxy: the forwarded one). Probot
 * computes it the same way, except that it takes any X-Forwarded-Proto, even `http`, for https.
 */
function requestBaseUrl(req: IncomingMessage): string {
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.split(",")[0]?.trim();
  const protocol = first(req.headers["x-forwarded-proto"]) ?? ((req.socket as { encrypted?: boolean }).encrypted ? "https" : "http");
  const host = first(req.headers["x-forwarded-host"]) ?? req.headers.host;
  return `${protocol}://${host}`;
}
