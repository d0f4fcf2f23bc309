import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments, parse } from "yaml";
import { TICK_PATH } from "../../../src/http/tick-route.js";

/**
 * The deployment files cannot be applied or built here (no cluster, no Docker engine), so their
 * promises are checked as data: every manifest parses, the pods are hardened, the CronJob calls
 * the route the App serves, every variable the App reads is provided or knowingly left out.
 */
const ROOT = new URL("../../../", import.meta.url).pathname;
const K8S = join(ROOT, "deploy/kubernetes");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; spec?: any; stringData?: Record<string, string> };

function manifests(): Map<string, Manifest[]> {
  const byFile = new Map<string, Manifest[]>();
  for (const file of readdirSync(K8S).filter((name) => name.endsWith(".yaml"))) {
    const docs = parseAllDocuments(readFileSync(join(K8S, file), "utf8"));
    for (const doc of docs) expect(doc.errors, file).toEqual([]);
    byFile.set(file, docs.map((doc) => doc.toJS() as Manifest));
  }
  return byFile;
}
const all = () => [...manifests().values()].flat();
const one = (kind: string) => {
  const found = all().filter((m) => m.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0]!;
};

/** Every environment variable name the App's source reads. */
function envNamesInSource(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (path.endsWith(".ts")) {
        const text = readFileSync(path, "utf8");
        for (const m of text.matchAll(/\benv\??\.([A-Z][A-Z0-9_]+)\b/g)) names.add(m[1]!);
        for (const m of text.matchAll(/\benv\[\s*"([A-Z][A-Z0-9_]+)"\s*\]/g)) names.add(m[1]!);
        // Names kept in constants: `GOOGLE_ENV = { json: "GOOGLE_CREDENTIALS_JSON" }`, `HACKMD_ENV`, `X_ENV = "…"`.
        for (const m of text.matchAll(/"((?:WG_MEETINGS|GOOGLE|HACKMD)_[A-Z0-9_]+)"/g)) names.add(m[1]!);
      }
    }
  };
  walk(join(ROOT, "src"));
  return names;
}

/** Variables the server reads but that a deployment need not set, and why. */
const NOT_FOR_THE_SERVER: Record<string, string> = {
  PRIVATE_KEY_PATH: "alternative to PRIVATE_KEY",
  GOOGLE_APPLICATION_CREDENTIALS: "alternative to GOOGLE_CREDENTIALS_JSON",
  GITHUB_TOKEN: "CLI preview and `wg-meetings action`",
  GITHUB_API_URL: "CLI preview and `wg-meetings action`",
  GITHUB_SERVER_URL: "`wg-meetings action` (set by the runner); the server takes its web host from GHE_HOST",
  GITHUB_EVENT_NAME: "`wg-meetings action`",
  GITHUB_EVENT_PATH: "`wg-meetings action`",
  GITHUB_REPOSITORY: "`wg-meetings action`",
  GITHUB_STEP_SUMMARY: "`wg-meetings action`",
  GITHUB_RUN_ID: "`wg-meetings action`",
  GITHUB_RUN_ATTEMPT: "`wg-meetings action`",
  WG_MEETINGS_BOT_LOGIN: "token runs only; the server asks GitHub (GET /app)",
  WG_MEETINGS_SETUP: "registration (setup mode) only, never a deployed server",
  WG_MEETINGS_DRY_RUN: "`wg-meetings action`",
  WG_MEETINGS_GOOGLE_ROOT_URL: "tests and the e2e fakes point Google elsewhere",
  WG_MEETINGS_CHAT_ROOT_URL: "tests and the demo send chat requests to a loopback stand-in",
  // Probot's own options: optional, with defaults (HOST is set in the Deployment and checked above).
  ...Object.fromEntries(
    ["LOG_LEVEL", "LOG_FORMAT", "LOG_LEVEL_IN_STRING", "LOG_MESSAGE_KEY", "SENTRY_DSN", "REDIS_URL", "GHE_HOST", "GHE_PROTOCOL", "WEBHOOK_PATH", "WEBHOOK_PROXY_URL", "NO_SMEE_SETUP", "PORT", "NODE_ENV"].map(
      (name) => [name, "Probot option with a default"],
    ),
  ),
};
/** What the Secret must hold for the App to work (the Google key may be left empty). */
const SECRET_KEYS = ["APP_ID", "PRIVATE_KEY", "WEBHOOK_SECRET", "WG_MEETINGS_TICK_SECRET", "GOOGLE_CREDENTIALS_JSON", "GOOGLE_IMPERSONATE", "HACKMD_API_TOKEN", "WG_MEETINGS_CHAT"];

describe("deploy/kubernetes", () => {
  it("every file parses, and kustomization lists every manifest but the Secret template", () => {
    const files = manifests();
    const kustomization = files.get("kustomization.yaml")![0] as unknown as { resources: string[]; kind: string };
    expect(kustomization.kind).toBe("Kustomization");
    const expected = [...files.keys()].filter((file) => file !== "kustomization.yaml" && file !== "secret.example.yaml").sort();
    expect([...kustomization.resources].sort()).toEqual(expected);
    expect(all().map((m) => m.kind).sort()).toEqual(["CronJob", "Deployment", "Kustomization", "Namespace", "Secret", "Service"]);
  });

  it("the Deployment: ≥ 2 replicas, non-root, read-only root, resources, HOST=0.0.0.0, probes on /ping, the Secret", () => {
    const deployment = one("Deployment");
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(pod.containers).toHaveLength(1);
    const container = pod.containers[0];
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    expect(container.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.resources.limits.memory).toEqual(expect.any(String));
    expect(container.env).toContainEqual({ name: "HOST", value: "0.0.0.0" });
    for (const probe of [container.readinessProbe, container.livenessProbe]) {
      expect(probe.httpGet.path).toBe("/ping");
      expect([container.ports[0].name, container.ports[0].containerPort]).toContain(probe.httpGet.port);
    }
    expect(container.envFrom).toEqual([{ secretRef: { name: one("Secret").metadata.name } }]);
    // The Service selects these pods and targets their port.
    const service = one("Service");
    expect(deployment.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    expect(service.spec.ports[0].targetPort).toBe(container.ports[0].name);
  });

  it("the CronJob POSTs the tick route the App serves, with the bearer secret from the Secret, never overlapping", () => {
    const cron = one("CronJob");
    expect(cron.spec.concurrencyPolicy).toBe("Forbid");
    const pod = cron.spec.jobTemplate.spec.template.spec;
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    const container = pod.containers[0];
    expect(container.image).toMatch(/^curlimages\/curl:\d/);
    const script: string = container.args.join(" ");
    const url = /(http:\/\/\S+)/.exec(script)![1]!;
    const service = one("Service");
    expect(new URL(url).hostname).toBe(service.metadata.name);
    expect(new URL(url).pathname).toBe(TICK_PATH);
    expect(script).toMatch(/curl -fsS .*-X POST/);
    expect(script).toContain('-H "Authorization: Bearer $WG_MEETINGS_TICK_SECRET"');
    expect(container.env).toContainEqual({
      name: "WG_MEETINGS_TICK_SECRET",
      valueFrom: { secretKeyRef: { name: one("Secret").metadata.name, key: "WG_MEETINGS_TICK_SECRET" } },
    });
  });

  it("the Secret template names every variable, with placeholders only", () => {
    const secret = one("Secret");
    expect(Object.keys(secret.stringData!).sort()).toEqual([...SECRET_KEYS].sort());
    for (const [key, value] of Object.entries(secret.stringData!)) {
      expect(value.trim(), key).toMatch(/^<.*>$/s);
    }
  });

  it("every variable the App reads is provided by the manifests, or known not to be needed by the server", () => {
    const text = readdirSync(K8S).map((file) => readFileSync(join(K8S, file), "utf8")).join("\n");
    const missing = [...envNamesInSource()].filter((name) => !(name in NOT_FOR_THE_SERVER) && !new RegExp(`\\b${name}\\b`).test(text));
    expect(missing, "add them to deploy/kubernetes (secret.example.yaml or deployment.yaml) and docs/deploy.md").toEqual([]);
    for (const name of SECRET_KEYS) expect(envNamesInSource().has(name) || ["APP_ID", "PRIVATE_KEY", "WEBHOOK_SECRET"].includes(name), name).toBe(true);
  });
});

describe("Dockerfile", () => {
  // Docker drops whole-line comments first, even inside a continued instruction, then joins
  // the lines ending in a backslash.
  const lines = read("Dockerfile")
    .split("\n")
    .filter((line) => !line.trim().startsWith("#"))
    .join("\n")
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim().replace(/\s+/g, " "))
    .filter(Boolean);
  const froms = lines.filter((line) => line.startsWith("FROM "));
  const runtime = lines.slice(lines.lastIndexOf(froms.at(-1)!));

  it("two stages, the runtime on Node 24", () => {
    expect(froms).toHaveLength(2);
    expect(froms[0]).toMatch(/^FROM node:24[\w.-]* AS build$/);
    expect(froms[1]).toMatch(/^FROM node:24[\w.-]*$/);
  });

  it("the runtime: production dependencies only, HOST=0.0.0.0, numeric non-root user, /ping health check, tini", () => {
    expect(runtime.some((line) => /^RUN npm ci --omit=dev\b/.test(line))).toBe(true);
    expect(runtime.find((line) => line.startsWith("ENV "))).toMatch(/\bHOST=0\.0\.0\.0\b/);
    expect(runtime.find((line) => line.startsWith("ENV "))).toMatch(/\bNODE_ENV=production\b/);
    const user = runtime.find((line) => line.startsWith("USER "))!;
    expect(user).toMatch(/^USER [1-9]\d*(:\d+)?$/);
    expect(runtime.find((line) => line.startsWith("HEALTHCHECK "))).toContain("/ping");
    expect(runtime.find((line) => line.startsWith("ENTRYPOINT "))).toContain("tini");
    // The same entry as `npm start` (it redacts secrets from request logs); the image may add
    // V8 heap-sizing flags only (docs/deploy.md, "Memory": they depend on the image's Node).
    const start = JSON.parse(read("package.json")).scripts.start as string;
    const cmd = JSON.parse(runtime.find((line) => line.startsWith("CMD "))!.slice(4)) as string[];
    const flags = cmd.filter((arg) => arg.startsWith("--"));
    for (const flag of flags) expect(flag).toMatch(/^--max-(semi|old)-space-size=\d+$/);
    expect(cmd.filter((arg) => !flags.includes(arg)).join(" ")).toBe(start);
    // USER comes after every COPY: the app's files stay root-owned and read-only to it.
    expect(runtime.indexOf(user)).toBeGreaterThan(Math.max(...runtime.map((line, i) => (line.startsWith("COPY ") ? i : -1))));
  });

  it("copies what the App reads at run time and no .env", () => {
    const copies = runtime.filter((line) => line.startsWith("COPY "));
    for (const needed of ["lib", "bin", "templates", "app.yml", "package-lock.json"]) {
      expect(copies.some((line) => line.split(/\s+/).includes(needed) || line.includes(`/app/${needed} `)), needed).toBe(true);
    }
    for (const line of lines.filter((l) => l.startsWith("COPY "))) {
      expect(line).not.toMatch(/\.env|COPY \. /);
    }
  });

  it(".dockerignore keeps out everything but what the stages copy from the context", () => {
    const patterns = read(".dockerignore")
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith("#"));
    expect(patterns[0]).toBe("*");
    const allowed = patterns.filter((p) => p.startsWith("!")).map((p) => p.slice(1).replace(/\/$/, ""));
    const fromContext = lines
      .filter((line) => line.startsWith("COPY ") && !line.includes("--from="))
      .flatMap((line) => line.split(/\s+/).slice(1, -1));
    expect(new Set(fromContext)).toEqual(new Set(allowed));
    for (const secret of ["**/.env", "**/.env.*", "**/*.pem"]) expect(patterns).toContain(secret);
  });
});

describe("the production install", () => {
  it("every package the App imports at run time is a regular dependency (the image runs npm ci --omit=dev)", () => {
    const pkg = JSON.parse(read("package.json")) as { dependencies: Record<string, string> };
    const imported = new Map<string, string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (path.endsWith(".ts")) {
          const text = readFileSync(path, "utf8");
          // Value imports only: `import type` and `import { type X }`-only lines are erased.
          for (const m of text.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^;]*?\sfrom\s+)?["']([^"'.][^"']*)["']/gm)) imported.set(m[1]!, path);
          for (const m of text.matchAll(/\bimport\(\s*["']([^"'.][^"']*)["']\s*\)/g)) imported.set(m[1]!, path);
        }
      }
    };
    walk(join(ROOT, "src"));
    const packages = [...imported.keys()]
      .filter((spec) => !spec.startsWith("node:"))
      .map((spec) => (spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!));
    expect(packages.length).toBeGreaterThan(5);
    expect([...new Set(packages)].filter((name) => !(name in pkg.dependencies))).toEqual([]);
  });
});

describe("the GitHub Actions example", () => {
  const text = read("examples/github-actions/wg-meetings.yml");
  const workflow = parse(text) as any;

  it("runs on the events the action handles, with least privilege and per-event concurrency", () => {
    expect(Object.keys(workflow.on).sort()).toEqual(["issue_comment", "pull_request", "push", "schedule", "workflow_dispatch"]);
    expect(workflow.on.issue_comment.types).toEqual(["created"]);
    expect(workflow.on.pull_request.types).toEqual(["closed"]);
    expect(workflow.on.push.paths).toEqual([".github/meetings.yml"]);
    expect(workflow.on.schedule[0].cron).toMatch(/^\*\/\d+ \* \* \* \*$/);
    expect(workflow.permissions).toEqual({ issues: "write", contents: "write", "pull-requests": "write" });
    expect(workflow.concurrency.group).toContain("github.event_name");
    expect(workflow.concurrency["cancel-in-progress"]).toBe(false);
  });

  it("is quoted verbatim in docs/github-actions.md", () => {
    expect(read("docs/github-actions.md")).toContain(`\`\`\`yaml\n${text}\`\`\``);
  });
});
