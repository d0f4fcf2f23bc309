import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";

/**
 * `uses: OWNER/wg-meetings@<ref>` as a runner executes it, minus the runner: the entry step of
 * action.yml, with the inputs mapped to the environment exactly as action.yml says, runs as a
 * child process on a fixture event against a GitHub the test serves on loopback. The install
 * step (`npm ci` and the build in the action's folder) is not run here; `npm test` has built
 * lib/ already, which is what that step leaves behind.
 */
const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const TOKEN = "ghs_action_entry_token_5e1f";
const REPOSITORY = "Codertocat/Hello-World";
const fixture = (name: string) => join(ROOT, "test/fixtures/actions", `${name}.json`);

type ActionStep = { name?: string; uses?: string; run?: string; shell?: string; "working-directory"?: string; env?: Record<string, string>; if?: string };
type ActionYml = { runs: { using: string; steps: ActionStep[] }; inputs: Record<string, { default?: string; required?: boolean }> };
const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as ActionYml;

/**
 * Resolves the `${{ … }}` expressions action.yml may use, as the runner would for this run.
 * Anything else fails the test: a new expression in action.yml must be taught here first.
 */
function resolve(text: string, inputs: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_whole, expression: string) => {
    if (expression === "github.action_path") return ROOT;
    if (expression === "github.token") return TOKEN;
    const input = /^inputs\.([\w-]+)$/.exec(expression);
    if (input) {
      const name = input[1]!;
      if (!(name in action.inputs)) throw new Error(`action.yml uses undeclared input ${name}`);
      return name in inputs ? inputs[name]! : resolve(action.inputs[name]!.default ?? "", inputs);
    }
    throw new Error(`the test cannot resolve \${{ ${expression} }} in action.yml`);
  });
}

/** The step that runs wg-meetings: the one calling `bin/wg-meetings.js action`. */
function entryStep(): ActionStep {
  const entries = action.runs.steps.filter((step) => step.run?.includes("bin/wg-meetings.js") && step.run.includes(" action"));
  expect(entries).toHaveLength(1);
  return entries[0]!;
}

/** A daily meeting an hour's lead time ahead is due whenever the test runs: the issue opens. */
const CONFIG = `meetings:
  - id: hello
    name: Hello team
    schedule:
      rrule: FREQ=DAILY
      start: 2025-01-06T16:00
      zone: Europe/London
    createBefore: P1D
    agenda:
      label: hello-agenda
      repos: [Codertocat/Hello-World]
`;

interface Seen {
  method: string;
  path: string;
  authorization: string | undefined;
  body: any;
  status?: number;
}

/** The GitHub REST and GraphQL routes one scheduled run needs; anything else is a 404, recorded. */
async function fakeGitHub() {
  const seen: Seen[] = [];
  const repo = `/repos/${REPOSITORY}`;
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const url = new URL(req.url!, "http://127.0.0.1");
    const path = decodeURIComponent(url.pathname);
    const body = raw ? JSON.parse(raw) : undefined;
    const record: Seen = { method: req.method!, path: `${path}${url.search}`, authorization: req.headers.authorization, body };
    seen.push(record);
    const json = (status: number, answer: unknown) => {
      record.status = status;
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(answer));
    };
    const route = `${req.method} ${path}`;
    if (route === `GET ${repo}`) return json(200, { id: 1, name: "Hello-World", full_name: REPOSITORY, owner: { login: "Codertocat" }, private: false, archived: false, default_branch: "master" });
    if (route === `GET ${repo}/contents/.github/meetings.yml`) return json(200, { type: "file", encoding: "base64", content: Buffer.from(CONFIG).toString("base64") });
    if (route === `GET ${repo}/issues`) return json(200, []);
    if (route === "POST /graphql" && /\bquery AgendaSearch\b/.test(body?.query ?? "")) {
      return json(200, { data: { search: { issueCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] }, rateLimit: { cost: 1, remaining: 4999 } } });
    }
    if (route === `GET ${repo}/branches/master`) return json(200, { name: "master", commit: { sha: "c0ffee", commit: { tree: { sha: "7ree" } } } });
    if (route === `POST ${repo}/git/commits`) return json(201, { sha: "c1a1m" });
    if (route === `POST ${repo}/git/refs`) return json(201, { ref: body.ref, object: { sha: body.sha } });
    if (route === `POST ${repo}/issues`) return json(201, { number: 7, html_url: `https://github.com/${REPOSITORY}/issues/7`, title: body.title, body: body.body });
    return json(404, { message: "Not Found" });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { url, seen, close: () => new Promise<void>((done) => server.close(() => done())) };
}

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** Runs the entry step's command with bash, as a composite `shell: bash` step, in a workspace of its own. */
async function runEntry(event: string, eventPath: string, apiUrl: string, inputs: Record<string, string> = {}) {
  const step = entryStep();
  expect(step.shell).toBe("bash");
  const workspace = mkdtempSync(join(tmpdir(), "wg-action-entry-"));
  cleanup.push(() => rmSync(workspace, { recursive: true, force: true }));
  const summary = join(workspace, "step-summary.md");
  const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([name, value]) => [name, resolve(String(value), inputs)]));
  const child = spawn("bash", ["-e", "-c", resolve(step.run!, inputs)], {
    cwd: workspace,
    env: {
      PATH: process.env.PATH,
      TZ: process.env.TZ,
      HOME: workspace,
      // What the runner sets for every step.
      GITHUB_ACTIONS: "true",
      GITHUB_ACTION_PATH: ROOT,
      GITHUB_WORKSPACE: workspace,
      GITHUB_EVENT_NAME: event,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: REPOSITORY,
      GITHUB_API_URL: apiUrl,
      GITHUB_GRAPHQL_URL: `${apiUrl}/graphql`,
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_RUN_ID: "4242",
      GITHUB_RUN_ATTEMPT: "1",
      ...stepEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const code = await new Promise<number | null>((done) => child.once("exit", done));
  return { code, output, summary: readFileSync(summary, "utf8"), stepEnv };
}

describe("action.yml", () => {
  it("is a composite action: install and build in the action's folder, then the entry", () => {
    expect(action.runs.using).toBe("composite");
    const install = action.runs.steps.find((step) => step.run?.includes("npm ci"));
    expect(install, "an install step").toBeDefined();
    expect(resolve(install!["working-directory"]!, {})).toBe(ROOT);
    expect(install!.run).toMatch(/^npm ci --ignore-scripts\b.*&& npm run build$/);
    // Install before the entry, and the build writes what the entry imports.
    expect(action.runs.steps.indexOf(install!)).toBeLessThan(action.runs.steps.indexOf(entryStep()));
    expect(readFileSync(join(ROOT, "bin/wg-meetings.js"), "utf8")).toContain('from "../lib/cli.js"');
  });

  it("maps every input to the variable `wg-meetings action` reads, secrets from inputs only", () => {
    const env = entryStep().env!;
    expect(env).toEqual({
      GITHUB_TOKEN: "${{ inputs.token }}",
      WG_MEETINGS_BOT_LOGIN: "${{ inputs.bot-login }}",
      WG_MEETINGS_DRY_RUN: "${{ inputs.dry-run }}",
      GOOGLE_CREDENTIALS_JSON: "${{ inputs.google-credentials-json }}",
      GOOGLE_IMPERSONATE: "${{ inputs.google-impersonate }}",
      LOG_LEVEL: "${{ inputs.log-level }}",
    });
    // Every input is used by a step (node-version by setup-node).
    const text = JSON.stringify(action.runs.steps);
    for (const name of Object.keys(action.inputs)) expect(text, name).toContain(`inputs.${name}`);
    expect(action.inputs.token!.default).toBe("${{ github.token }}");
    expect(action.inputs["bot-login"]!.default).toBe("github-actions[bot]");
  });

  it("a schedule event: reads the config with the token, claims and opens the meeting issue, writes the step summary", async () => {
    const github = await fakeGitHub();
    cleanup.push(github.close);

    const run = await runEntry("schedule", fixture("schedule"), github.url);

    expect(run.code, run.output).toBe(0);
    expect(run.stepEnv.GITHUB_TOKEN).toBe(TOKEN);
    expect(run.stepEnv.WG_MEETINGS_BOT_LOGIN).toBe("github-actions[bot]");
    // Every request carried the workflow's token; none asked for the App or an installation.
    expect(github.seen.length).toBeGreaterThan(0);
    for (const request of github.seen) expect(request.authorization, `${request.method} ${request.path}`).toBe(`token ${TOKEN}`);
    expect(github.seen.filter((request) => request.path.startsWith("/app"))).toEqual([]);

    // Only requests this fake knows: a new one shows up here as a 404.
    expect(github.seen.filter((request) => request.status === 404)).toEqual([]);
    const lines = github.seen.map((request) => `${request.method} ${request.path.split("?")[0]}`);
    const repo = `/repos/${REPOSITORY}`;
    const order = [
      `GET ${repo}/contents/.github/meetings.yml`,
      `GET ${repo}/issues`,
      "POST /graphql",
      `POST ${repo}/git/commits`,
      `POST ${repo}/git/refs`,
      `POST ${repo}/issues`,
    ].map((line) => lines.indexOf(line));
    expect(order.every((index) => index >= 0), lines.join("\n")).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // Looked for the meeting among the issues the bot login opened.
    expect(github.seen.find((request) => request.method === "GET" && request.path.startsWith(`${repo}/issues?`))!.path).toContain("creator=github-actions%5Bbot%5D");

    const created = github.seen.find((request) => request.method === "POST" && request.path === `${repo}/issues`)!.body;
    expect(created.title).toMatch(/^Hello team Meeting \d{4}-\d{2}-\d{2}$/);
    // The claim names the same meeting: series and start (16:00 London is 15:00 or 16:00 UTC).
    const date = created.title.slice(-10).replaceAll("-", "");
    const claim = github.seen.find((request) => request.path === `${repo}/git/refs`)!.body;
    expect(claim.ref).toMatch(new RegExp(`^refs/wg-meetings/claims/hello/${date}T1[56]0000Z$`));
    expect(created.body).toContain('<!-- wg-meetings:meeting {"v":1,"series":"hello"');

    expect(run.summary).toContain(`### wg-meetings: tick (schedule) on ${REPOSITORY}: ok`);
    expect(run.summary).toContain(`| hello | opened https://github.com/${REPOSITORY}/issues/7 |`);
    expect(run.summary).toContain(`- \`POST ${repo}/issues\` → 201`);
    expect(run.output).not.toContain(TOKEN);
  });

  it("dry-run input: reads everything, writes nothing", async () => {
    const github = await fakeGitHub();
    cleanup.push(github.close);

    const run = await runEntry("schedule", fixture("schedule"), github.url, { "dry-run": "true" });

    expect(run.code, run.output).toBe(0);
    expect(github.seen.some((request) => request.path.endsWith("/contents/.github/meetings.yml"))).toBe(true);
    expect(github.seen.filter((request) => request.method !== "GET" && request.path !== "/graphql")).toEqual([]);
    expect(run.summary).toContain("(dry run)");
    expect(run.summary).toMatch(/would open "Hello team Meeting \d{4}-\d{2}-\d{2}"/);
  });
});
