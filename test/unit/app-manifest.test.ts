import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { Probot, ProbotOctokit, type ApplicationFunctionOptions } from "probot";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { parse as parseYaml } from "yaml";
import wgMeetings from "../../src/index.js";
import { DELIVERED_WITHOUT_SUBSCRIPTION } from "../../e2e/harness/app-manifest.js";
import { ENDPOINT_PERMISSIONS, EVENT_PERMISSIONS, levelSatisfies } from "../../src/github/required-permissions.js";
import { privateKey } from "../helpers/probot.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** app.yml, parsed with the same YAML package Probot's setup page uses. */
const manifest = parseYaml(readFileSync(join(ROOT, "app.yml"), "utf8")) as {
  default_events: string[];
  default_permissions: Record<string, string>;
};

/**
 * Loads the real app function (src/index.ts's default export) into a real Probot whose `on` and
 * `onAny` record what is registered instead of listening. The app may start timers or add routes
 * when it is loaded as under a server: timers are faked while it loads and dropped afterwards,
 * routes are collected and ignored.
 */
async function registeredEvents(): Promise<{ names: string[]; onAny: number }> {
  const probot = new Probot({ appId: 1, privateKey, log: pino({ level: "silent" }) });
  const names: string[] = [];
  let onAny = 0;
  probot.on = ((name: string | string[]) => {
    names.push(...(Array.isArray(name) ? name : [name]));
  }) as Probot["on"];
  probot.onAny = (() => {
    onAny++;
  }) as Probot["onAny"];
  vi.useFakeTimers();
  try {
    const options: Partial<ApplicationFunctionOptions> = { cwd: ROOT, addHandler: () => undefined };
    await wgMeetings(probot, options);
  } finally {
    vi.useRealTimers();
  }
  return { names, onAny };
}

describe("app.yml's default_events against the app.on registrations", () => {
  let handled: string[];
  beforeAll(async () => {
    const { names, onAny } = await registeredEvents();
    // An onAny handler would need every event: the comparison below would mean nothing.
    expect(onAny).toBe(0);
    // `issues.labeled` is delivered as the `issues` event with action `labeled`: a subscription is per event.
    handled = [...new Set(names.map((name) => name.split(".")[0]!))].sort();
  });

  it("the app registers handlers (the recorder works)", () => {
    expect(handled).toEqual(expect.arrayContaining(["issue_comment", "issues", "pull_request", "push", "installation", "installation_repositories"]));
  });

  it("every event the code handles is subscribed, except those GitHub delivers to every App unasked", () => {
    const unsubscribed = handled.filter(
      (event) => !manifest.default_events.includes(event) && !(DELIVERED_WITHOUT_SUBSCRIPTION as readonly string[]).includes(event),
    );
    expect(unsubscribed, "handled in src/index.ts but missing from app.yml's default_events").toEqual([]);
  });

  it("every subscribed event is handled by something", () => {
    expect(manifest.default_events.filter((event) => !handled.includes(event)), "in default_events but nothing handles it").toEqual([]);
  });

  it("does not list the events GitHub sends without a subscription (they are not subscribable)", () => {
    expect(manifest.default_events.filter((event) => (DELIVERED_WITHOUT_SUBSCRIPTION as readonly string[]).includes(event))).toEqual([]);
  });

  it("each subscribed event has its row in the table, and the permission its subscription needs is granted", () => {
    expect(EVENT_PERMISSIONS.map((row) => row.event).sort()).toEqual([...manifest.default_events].sort());
    for (const { event, needs } of EVENT_PERMISSIONS) {
      expect(levelSatisfies(manifest.default_permissions[needs.permission], needs.level), `${event} needs ${needs.permission}: ${needs.level}`).toBe(true);
    }
  });
});

describe("app.yml's default_permissions against the endpoint table", () => {
  it("grants every permission the table needs, at least at the level it needs", () => {
    const missing = ENDPOINT_PERMISSIONS.flatMap((row) =>
      row.needs
        .filter((need) => !levelSatisfies(manifest.default_permissions[need.permission], need.level))
        .map((need) => `${row.endpoint} needs ${need.permission}: ${need.level}`),
    );
    expect(missing).toEqual([]);
  });

  it("grants nothing no endpoint or event needs, and no more than write where read would do", () => {
    const needed = new Map<string, string>();
    for (const need of [...ENDPOINT_PERMISSIONS.flatMap((row) => row.needs), ...EVENT_PERMISSIONS.map((row) => row.needs)]) {
      if (needed.get(need.permission) !== "write") needed.set(need.permission, need.level);
    }
    expect(manifest.default_permissions).toEqual(Object.fromEntries(needed));
  });

  it("names each REST endpoint exactly as Octokit sends the method it is called with", () => {
    const octokit = new ProbotOctokit() as unknown as { rest: Record<string, Record<string, { endpoint: { DEFAULTS: { method: string; url: string } } }>> };
    const mismatched: string[] = [];
    for (const row of ENDPOINT_PERMISSIONS) {
      for (const call of row.calls.filter(isOctokitMethod)) {
        const [namespace, method] = call.split(".") as [string, string];
        const defaults = octokit.rest[namespace]?.[method]?.endpoint.DEFAULTS;
        const actual = defaults ? `${defaults.method} ${defaults.url}` : "(no such Octokit method)";
        if (actual !== row.endpoint) mismatched.push(`${call}: table says ${row.endpoint}, Octokit sends ${actual}`);
      }
    }
    expect(mismatched).toEqual([]);
  });
});

/** Octokit REST methods are `namespace.method`; the other call kinds have their own spelling. */
function isOctokitMethod(call: string): boolean {
  return /^[a-z]+\.[a-zA-Z]+$/.test(call) && call !== "config.get" && call !== "app.auth";
}

interface CallSite {
  call: string;
  where: string;
}

/**
 * Every way src/ reaches GitHub, found in the source text: Octokit REST methods (also through
 * `paginate`), `request`/`paginate` with a route string, Probot's config plugin, the
 * installation token exchange, and GraphQL documents by operation name. A call written some
 * other way (a route built at run time, an inline or anonymous GraphQL document) is reported as
 * uncheckable, so it cannot slip past the table either.
 */
function scanCallSites(): { sites: CallSite[]; uncheckable: CallSite[] } {
  const sites: CallSite[] = [];
  const uncheckable: CallSite[] = [];
  for (const file of sourceFiles(join(ROOT, "src"))) {
    const where = relative(ROOT, file);
    // The table describes calls in its comments; it calls nothing itself.
    if (where === join("src", "github", "required-permissions.ts")) continue;
    const text = readFileSync(file, "utf8");
    const lineOf = (index: number) => `${where}:${text.slice(0, index).split("\n").length}`;
    for (const match of text.matchAll(/\.rest\.([a-zA-Z]+)\.([a-zA-Z]+)\b/g)) sites.push({ call: `${match[1]}.${match[2]}`, where: lineOf(match.index) });
    for (const match of text.matchAll(/\.(?:request|paginate(?:\.iterator)?)\(\s*(["'`])((?:GET|POST|PUT|PATCH|DELETE) [^"'`]+)\1/g)) {
      sites.push({ call: match[2]!, where: lineOf(match.index) });
    }
    for (const match of text.matchAll(/\b(?:gh|appGh|octokit|github|client)\.(?:request|paginate(?:\.iterator)?)\(\s*(?!["'`]|\w+\.rest\.)/g)) {
      uncheckable.push({ call: match[0], where: lineOf(match.index) });
    }
    for (const match of text.matchAll(/\.config\.get\(/g)) sites.push({ call: "config.get", where: lineOf(match.index) });
    for (const match of text.matchAll(/\bapp\.auth\(/g)) sites.push({ call: "app.auth", where: lineOf(match.index) });
    for (const match of text.matchAll(/`\s*(?:query|mutation|subscription)\s+([A-Za-z_]\w*)/g)) sites.push({ call: `graphql:${match[1]}`, where: lineOf(match.index) });
    // Anonymous operations: `query { … }`, or a `{ … }` shorthand written straight into a call.
    for (const match of text.matchAll(/`\s*(?:query|mutation|subscription)\s*[({]|graphql(?:<[^>()]*>)?\(\s*`\s*\{/g)) {
      uncheckable.push({ call: match[0], where: lineOf(match.index) });
    }
  }
  return { sites, uncheckable };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  );
}

describe("the endpoint table against the source", () => {
  const { sites, uncheckable } = scanCallSites();
  const tabled = new Set(ENDPOINT_PERMISSIONS.flatMap((row) => [...row.calls, row.endpoint]));

  it("finds the call sites (the scan works)", () => {
    expect(sites.map((site) => site.call)).toEqual(
      expect.arrayContaining(["issues.create", "git.createRef", "apps.listInstallations", "app.auth", "graphql:AgendaSearch"]),
    );
  });

  it("has a row for every GitHub call in src/", () => {
    expect(sites.filter((site) => !tabled.has(site.call)).map((site) => `${site.call} at ${site.where}`)).toEqual([]);
  });

  it("finds no call it cannot check (a route built at run time, an anonymous GraphQL document)", () => {
    expect(uncheckable.map((site) => `${site.call} at ${site.where}`)).toEqual([]);
  });

  it("lists no call that src/ no longer makes", () => {
    const called = new Set(sites.map((site) => site.call));
    expect(ENDPOINT_PERMISSIONS.flatMap((row) => row.calls).filter((call) => !called.has(call))).toEqual([]);
  });
});

describe("docs/manifest.md", () => {
  const doc = readFileSync(join(ROOT, "docs", "manifest.md"), "utf8");

  it("has a row for every subscribed event", () => {
    expect(manifest.default_events.filter((event) => !new RegExp(`^\\| \`${event}\` \\|`, "m").test(doc))).toEqual([]);
  });

  it("has a row for every granted permission, with its level", () => {
    const rows = Object.entries(manifest.default_permissions).filter(
      ([permission, level]) => !new RegExp(`^\\| \`${permission}\` \\| ${level} \\|`, "m").test(doc),
    );
    expect(rows).toEqual([]);
  });
});
