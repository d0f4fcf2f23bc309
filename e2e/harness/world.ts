import { generateKeyPairSync, randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { pino } from "pino";
import { Probot, ProbotOctokit, Server, type ApplicationFunction } from "probot";
import { startFrontServer, type FrontServer } from "./front-server.js";
import {
  APP_ID,
  BOT_LOGIN,
  MEETINGS_REPO,
  ORG,
  SAMPLE_CONFIG,
  USERS,
  commitFile,
  seedOrg,
  startGitHub,
  type GitHubEmulator,
} from "./github.js";
import { startGoogleStandin, type GoogleStandin } from "./google-standin.js";
import { startHackmdStandin, type HackmdStandin } from "./hackmd-standin.js";
import { CHAT_ROOT_URL_ENV, startChatStandin, type ChatServiceName, type ChatStandin } from "./chat-standin.js";
import { activity } from "./http-util.js";

/**
 * Everything the App talks to, on loopback, and the App itself as a real Probot server:
 *
 *   emulate (GitHub) ← front server (/api/v3, /api/graphql, shims) ← Probot server (the App)
 *   emulate ──signed webhooks──→ front server /hooks/app ──relayed as is──→ /api/github/webhooks
 *   Google stand-in ← the App's googleapis clients (WG_MEETINGS_GOOGLE_ROOT_URL)
 *   HackMD stand-in ← the App's HackMD gateway (HACKMD_API_TOKEN, WG_MEETINGS_HACKMD_API_URL), when asked
 *   chat receiver   ← the App's chat gateway (WG_MEETINGS_CHAT, WG_MEETINGS_CHAT_ROOT_URL), when asked
 *
 * Every server listens on 127.0.0.1 with an OS-chosen port; `close()` stops them all and
 * restores the environment.
 */
export interface World {
  github: GitHubEmulator;
  front: FrontServer;
  google: GoogleStandin;
  /** The HackMD stand-in, when the world was started with `hackmd`. */
  hackmd: HackmdStandin | null;
  /** The chat receiver, when the world was started with `chat`. */
  chat: ChatStandin | null;
  /** The App's server, e.g. http://127.0.0.1:PORT */
  appUrl: string;
  /** Every line the App's logger wrote (raw pino JSON). */
  logs: string[];
  /** The secrets the App was given, for log scanning. */
  secrets: { privateKey: string; webhookSecret: string; tickSecret: string; googleKey: string; googleKeyJson: string; hackmdToken: string | null; chatEnv: string | null };
  /** POST /wg-meetings/tick with the bearer secret (or another token); resolves to status and report. */
  tick(bearer?: string): Promise<{ status: number; report: any }>;
  /** Commits the sample (or a given) config to acme/meetings as the org owner. */
  commitConfig(text?: string): Promise<void>;
  close(): Promise<void>;
}

export interface WorldOptions {
  /** The App function (src/index.ts's default export, or lib/index.js's). */
  app: ApplicationFunction;
  /** Probot's log level (default debug, so the secret scan sees as much as possible). */
  logLevel?: "trace" | "debug" | "info" | "warn" | "error" | "fatal";
  /**
   * Redact LOG_REDACT_PATHS in Probot's logger (default true). Probot 14's Server logs every
   * request's headers (pino-http), so without it `Authorization: Bearer <tick secret>` is written
   * on each tick request: the production entry must redact the same paths.
   */
  redactAuthorization?: boolean;
  /**
   * Start the HackMD stand-in and give the App its token and URL, and an allow-list naming
   * the sample org's team (`acme=team:<team>`). `teams`: the team workspaces the token's user
   * belongs to (default [{@link HACKMD_TEAM}]).
   */
  hackmd?: { teams?: string[] };
  /**
   * Start the chat receiver with these destinations (name → service), open to the sample org
   * (`owners: ["acme"]`), and give the App WG_MEETINGS_CHAT and the loopback origin override.
   */
  chat?: Record<string, ChatServiceName>;
}

/** The HackMD team workspace of the sample org (the stand-in's token belongs to it). */
export const HACKMD_TEAM = "acme-wg";

/** What Probot's HTTP request log must not show: the tick route's bearer secret (and cookies). */
export const LOG_REDACT_PATHS = ["req.headers.authorization", "req.headers.cookie", 'req.headers["proxy-authorization"]'];

const ENV_KEYS = [
  "WG_MEETINGS_TICK_SECRET",
  "GOOGLE_CREDENTIALS_JSON",
  "WG_MEETINGS_GOOGLE_ROOT_URL",
  "GOOGLE_APPLICATION_CREDENTIALS",
  "GOOGLE_IMPERSONATE",
  "GITHUB_SERVER_URL",
  "GHE_HOST",
  "GHE_PROTOCOL",
  "HACKMD_API_TOKEN",
  "WG_MEETINGS_HACKMD_API_URL",
  "WG_MEETINGS_HACKMD_ALLOW",
  "WG_MEETINGS_CHAT",
  CHAT_ROOT_URL_ENV,
] as const;

export async function startWorld(options: WorldOptions): Promise<World> {
  const stops: Array<() => Promise<void>> = [];
  const savedEnv = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));
  const close = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    for (const key of ENV_KEYS) {
      if (savedEnv[key] === undefined) delete process.env[key];
      else process.env[key] = savedEnv[key];
    }
  };

  try {
    const serviceAccount = "wg-meetings@acme-e2e.iam.gserviceaccount.com";
    const { privateKey: googleKey, publicKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    const googleKeyJson = JSON.stringify({
      type: "service_account",
      project_id: "acme-e2e",
      private_key_id: randomBytes(20).toString("hex"),
      private_key: googleKey,
      client_email: serviceAccount,
      token_uri: "https://oauth2.googleapis.com/token",
    });
    const google = await startGoogleStandin({ serviceAccount, publicKey });
    stops.push(google.close);

    let hackmd: HackmdStandin | null = null;
    if (options.hackmd) {
      hackmd = await startHackmdStandin({ teams: options.hackmd.teams ?? [HACKMD_TEAM] });
      stops.push(hackmd.close);
    }
    let chat: ChatStandin | null = null;
    let chatEnv: string | null = null;
    if (options.chat) {
      const started = await startChatStandin();
      chat = started;
      stops.push(started.close);
      const entries = Object.entries(options.chat).map(([name, service]) => {
        const entry =
          service === "slack"
            ? started.slackHook(name)
            : service === "discord"
              ? started.discordHook(name)
              : service === "zulip"
                ? started.zulipBot(name, "meetings", "acme-wg")
                : started.matrixRoom(name);
        return [name, { ...entry, owners: [ORG] }];
      });
      chatEnv = JSON.stringify(Object.fromEntries(entries));
    }

    const front = await startFrontServer({ bot: { login: BOT_LOGIN }, inspectorToken: USERS.owner.token });
    stops.push(front.close);

    const webhookSecret = `whsec-${randomBytes(16).toString("hex")}`;
    const tickSecret = `tick-${randomBytes(16).toString("hex")}`;
    const github = await startGitHub({ webhookUrl: `${front.url}/hooks/app`, webhookSecret });
    stops.push(() => github.emulator.close());
    front.setEmulateUrl(github.emulator.url);
    for (const person of Object.values(USERS)) front.registerUserToken(person.token, person.login);
    await seedOrg(github);

    // What the App reads from its environment, as in production.
    process.env.WG_MEETINGS_TICK_SECRET = tickSecret;
    process.env.GOOGLE_CREDENTIALS_JSON = googleKeyJson;
    process.env.WG_MEETINGS_GOOGLE_ROOT_URL = google.url;
    delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
    delete process.env.GOOGLE_IMPERSONATE;
    // The web host every link the App writes starts with: emulate's, whose html_urls are
    // http://localhost:<port>/owner/name (GHE_HOST would also move Probot's API, which the
    // world points at the front server itself).
    process.env.GITHUB_SERVER_URL = new URL(github.emulator.url).origin;
    delete process.env.GHE_HOST;
    delete process.env.GHE_PROTOCOL;
    // HackMD and chat only when asked: otherwise the App runs as it always did here.
    for (const key of ["HACKMD_API_TOKEN", "WG_MEETINGS_HACKMD_API_URL", "WG_MEETINGS_HACKMD_ALLOW", "WG_MEETINGS_CHAT", CHAT_ROOT_URL_ENV]) delete process.env[key];
    if (hackmd) {
      process.env.HACKMD_API_TOKEN = hackmd.token;
      process.env.WG_MEETINGS_HACKMD_API_URL = hackmd.url;
      process.env.WG_MEETINGS_HACKMD_ALLOW = hackmd.teams.map((team) => `${ORG}=team:${team}`).join(",");
    }
    if (chat && chatEnv) {
      process.env.WG_MEETINGS_CHAT = chatEnv;
      process.env[CHAT_ROOT_URL_ENV] = chat.url;
    }

    const logs: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split("\n")) if (line.trim()) logs.push(line);
        done();
      },
    });
    const log = pino(
      {
        level: options.logLevel ?? "debug",
        ...(options.redactAuthorization === false ? {} : { redact: { paths: LOG_REDACT_PATHS, censor: "[redacted]" } }),
      },
      sink,
    );
    const server = new Server({
      Probot: Probot.defaults({
        appId: APP_ID,
        privateKey: github.privateKey,
        secret: webhookSecret,
        // GitHub Enterprise style: REST at <host>/api/v3, GraphQL at <host>/api/graphql.
        baseUrl: front.apiUrl,
        log,
        // Octokit's write throttle (1 s between writes) and retries would only slow loopback down.
        Octokit: ProbotOctokit.defaults((instanceOptions: object) => ({
          ...instanceOptions,
          retry: { enabled: false },
          throttle: { enabled: false },
        })),
      }),
      host: "127.0.0.1",
      // Probot's Server treats a numeric 0 as "unset" (→ 3000); the string reaches listen() as port 0.
      port: "0" as unknown as number,
      log,
      enableStaticFiles: false,
    });
    const handling = new HandlingTracker();
    await server.load(async (app, appOptions) => {
      handling.watch(app.webhooks);
      await options.app(app, appOptions);
    });
    front.settleDelivery = (id) => handling.settled(id);
    await server.start();
    stops.push(() => server.stop());
    const appUrl = `http://127.0.0.1:${server.port}`;
    front.setWebhookTarget(`${appUrl}/api/github/webhooks`);

    return {
      github,
      front,
      google,
      hackmd,
      chat,
      appUrl,
      logs,
      secrets: { privateKey: github.privateKey, webhookSecret, tickSecret, googleKey, googleKeyJson, hackmdToken: hackmd?.token ?? null, chatEnv },
      async tick(bearer = tickSecret) {
        const response = await fetch(`${appUrl}/wg-meetings/tick`, { method: "POST", headers: { authorization: `Bearer ${bearer}` } });
        const text = await response.text();
        return { status: response.status, report: text ? JSON.parse(text) : null };
      },
      commitConfig: (text = SAMPLE_CONFIG) => commitFile(github, USERS.owner, MEETINGS_REPO, ".github/meetings.yml", text, "Add the meetings config"),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * When the App is done with each delivery. Probot answers a webhook 202 "still processing"
 * once its handlers have run for 9 s (Octokit's middleware timeout, not configurable through
 * Probot's Server), and a busy machine gets there: the HTTP answer alone does not say that the
 * App finished. Wrapping `verifyAndReceive`, which the middleware calls on this same object,
 * does: it settles when every handler of the delivery has.
 */
class HandlingTracker {
  readonly #running = new Map<string, number>();
  readonly #status = new Map<string, number>();
  readonly #waiters = new Map<string, Array<(status: number) => void>>();

  watch(webhooks: { verifyAndReceive: (event: any) => Promise<void> }): void {
    const receive = webhooks.verifyAndReceive;
    webhooks.verifyAndReceive = async (event: { id: string }) => {
      this.#running.set(event.id, (this.#running.get(event.id) ?? 0) + 1);
      let status = 500;
      try {
        await receive(event);
        status = 200;
      } finally {
        this.#finish(event.id, status);
      }
    };
  }

  /**
   * The status the App would have answered a delivery with, had it waited for its handlers (200,
   * or 500 when one failed); resolves once none of them is running.
   */
  settled(id: string): Promise<number> {
    const status = this.#status.get(id);
    if (status !== undefined && !this.#running.get(id)) return Promise.resolve(status);
    return new Promise((resolve) => this.#waiters.set(id, [...(this.#waiters.get(id) ?? []), resolve]));
  }

  #finish(id: string, status: number): void {
    const left = (this.#running.get(id) ?? 1) - 1;
    this.#running.set(id, left);
    this.#status.set(id, status);
    if (left > 0) return;
    for (const wake of this.#waiters.get(id) ?? []) wake(status);
    this.#waiters.delete(id);
    activity.notify();
  }
}

/**
 * Waits until `probe` returns something other than undefined/false/null, and returns it.
 * Webhooks are asynchronous: this is how tests wait for their effects, never a fixed sleep.
 * The probe is re-run each time the App does something on loopback (see `activity`), and
 * every second anyway. `timeoutMs` is only a safety net for a wait that would never end: it
 * then fails naming what it waited for and the last error the probe threw.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    // Taken before the probe: whatever happens while it runs wakes the next wait at once.
    const seen = activity.count;
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ""}`);
    }
    await activity.since(seen, 1_000);
  }
}
