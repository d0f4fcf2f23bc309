import { existsSync, readdirSync, readFileSync } from "node:fs";
import { register } from "node:module";
import { join } from "node:path";
import { validateAction, validateWorkflow } from "@action-validator/core";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

/**
 * No Actions runner here, so every workflow file and action.yml is checked against GitHub's
 * schemas by two independent validators: @action-validator/core (the SchemaStore JSON schemas)
 * and @actions/workflow-parser (the parser of GitHub's own language services, with the
 * expression and context rules). Then the release and CI workflows are held to what the
 * project promises: least privilege, pinned actions, the Node.js floor, the image's labels.
 */
const ROOT = new URL("../../", import.meta.url).pathname;
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
const yamlFiles = (dir: string) =>
  existsSync(join(ROOT, dir))
    ? readdirSync(join(ROOT, dir))
        .filter((name) => /\.ya?ml$/.test(name))
        .map((name) => `${dir}/${name}`)
    : [];

const WORKFLOWS = [...yamlFiles(".github/workflows"), ...yamlFiles("examples/github-actions")];

// @actions/workflow-parser imports its JSON schemas without `with { type: "json" }` (it is built
// for bundlers), which Node refuses. This hook adds the attribute for that package alone.
const JSON_IMPORTS = `export async function load(url, context, nextLoad) {
  if (url.endsWith(".json") && url.includes("/@actions/workflow-parser/")) {
    return nextLoad(url, { ...context, importAttributes: { ...context.importAttributes, type: "json" } });
  }
  return nextLoad(url, context);
}`;

let parser: typeof import("@actions/workflow-parser");
let actionParser: typeof import("@actions/workflow-parser/actions/index");
beforeAll(async () => {
  register(`data:text/javascript,${encodeURIComponent(JSON_IMPORTS)}`);
  parser = await import("@actions/workflow-parser");
  actionParser = await import("@actions/workflow-parser/actions/index");
});

/** action-validator's errors, as readable lines. */
function schemaErrors(state: ReturnType<typeof validateWorkflow>): string[] {
  return state.errors.map((error) => `${"path" in error ? error.path : ""} ${error.title}${error.detail ? `: ${error.detail}` : ""}`);
}

/** GitHub's parser on a workflow: schema, expressions and the conversion to a job graph. */
async function workflowParserErrors(name: string, content: string): Promise<string[]> {
  const result = parser.parseWorkflow({ name, content }, new parser.NoOperationTraceWriter());
  const errors = result.context.errors.getErrors().map((error) => error.message);
  if (result.value === undefined) return errors.length > 0 ? errors : ["nothing parsed"];
  const template = await parser.convertWorkflowTemplate(result.context, result.value);
  // The conversion repeats the parse errors in its own list: each is reported once.
  return [...new Set([...errors, ...(template.errors ?? []).map((error) => error.Message)])];
}

/** GitHub's parser on an action.yml. */
function actionParserErrors(content: string): string[] {
  const result = actionParser.parseAction({ name: "action.yml", content }, new parser.NoOperationTraceWriter());
  if (result.value === undefined) return ["nothing parsed", ...result.context.errors.getErrors().map((error) => error.message)];
  // The conversion reports into the same context (inputs, runs, each composite step).
  actionParser.convertActionTemplate(result.context, result.value);
  return result.context.errors.getErrors().map((error) => error.message);
}

describe("every workflow and action.yml passes GitHub's schemas", () => {
  it("there is a release workflow, a CI workflow and the example", () => {
    expect(WORKFLOWS).toEqual(expect.arrayContaining([".github/workflows/release.yml", ".github/workflows/ci.yml", "examples/github-actions/wg-meetings.yml"]));
  });

  it.each(WORKFLOWS)("%s: @action-validator/core", (path) => {
    expect(schemaErrors(validateWorkflow(read(path)))).toEqual([]);
  });

  it.each(WORKFLOWS)("%s: @actions/workflow-parser", async (path) => {
    expect(await workflowParserErrors(path, read(path))).toEqual([]);
  });

  it("action.yml: @action-validator/core", () => {
    const state = validateAction(read("action.yml"));
    expect(state.actionType).toBe("action");
    expect(schemaErrors(state)).toEqual([]);
  });

  it("action.yml: @actions/workflow-parser", () => {
    expect(actionParserErrors(read("action.yml"))).toEqual([]);
  });
});

describe("each validator catches a broken file (so a pass means something)", () => {
  const BROKEN_WORKFLOW = `on: push
jobs:
  test:
    runs-on: ubuntu-latest
    stepz:
      - run: npm test
`;
  // A composite step without `shell`, which GitHub rejects when the action is loaded.
  const BROKEN_ACTION = `name: x
description: y
runs:
  using: composite
  steps:
    - run: echo hi
`;
  // Well-formed YAML and schema, but an expression GitHub cannot parse.
  const BAD_EXPRESSION = `on: push
jobs:
  test:
    if: \${{ github.event_name == }}
    runs-on: ubuntu-latest
    steps:
      - run: npm test
`;

  it("@action-validator/core: a misspelt job key, a composite step without shell", () => {
    expect(schemaErrors(validateWorkflow(BROKEN_WORKFLOW))).not.toEqual([]);
    expect(schemaErrors(validateAction(BROKEN_ACTION))).not.toEqual([]);
  });

  it("@actions/workflow-parser: the same two, and a broken expression", async () => {
    expect(await workflowParserErrors("broken.yml", BROKEN_WORKFLOW)).toEqual([expect.stringContaining("Unexpected value 'stepz'")]);
    expect(actionParserErrors(BROKEN_ACTION)).toEqual([expect.stringContaining("shell")]);
    expect(await workflowParserErrors("expression.yml", BAD_EXPRESSION)).not.toEqual([]);
  });
});

type Step = { uses?: string; run?: string; with?: Record<string, string>; env?: Record<string, string>; if?: string };
type Job = { permissions?: Record<string, string>; needs?: string | string[]; if?: string; strategy?: { matrix: { node: string[] } }; steps: Step[] };
type Workflow = { on: Record<string, unknown>; permissions?: Record<string, string>; jobs: Record<string, Job> };

const workflow = (path: string) => parse(read(path)) as Workflow;
const pkg = JSON.parse(read("package.json")) as { engines: { node: string }; scripts: Record<string, string> };
/** The Node.js major the engines field allows at least (">=20.19" → "20"). */
const NODE_FLOOR = /^>=\s*(\d+)/.exec(pkg.engines.node)![1]!;
/** The Node.js major of the Docker image (the version the docs recommend for production). */
const IMAGE_NODE = /^FROM node:(\d+)/m.exec(read("Dockerfile"))![1]!;

describe("the release workflow", () => {
  const release = workflow(".github/workflows/release.yml");
  const jobs = release.jobs;
  const steps = (job: string) => jobs[job]!.steps;
  const step = (job: string, match: (s: Step) => boolean) => {
    const found = steps(job).find(match);
    expect(found, job).toBeDefined();
    return found!;
  };

  it("runs on version tags only, grants nothing by default, and each job only what it needs", () => {
    expect(release.on).toEqual({ push: { tags: ["v*.*.*"] } });
    expect(release.permissions).toEqual({});
    expect(Object.fromEntries(Object.entries(jobs).map(([name, job]) => [name, job.permissions]))).toEqual({
      test: { contents: "read" },
      npm: { contents: "read", "id-token": "write" },
      docker: { contents: "read", packages: "write" },
      "major-tag": { contents: "write" },
    });
  });

  it("tests first, on the engines floor and on the image's Node.js, with the CI entry point", () => {
    expect(jobs.test!.strategy!.matrix.node).toEqual([NODE_FLOOR, IMAGE_NODE]);
    expect(steps("test").map((s) => s.run)).toContain("bash .ci/run");
    expect(jobs.npm!.needs).toBe("test");
    expect(jobs.docker!.needs).toBe("test");
    expect(jobs["major-tag"]!.needs).toEqual(["npm", "docker"]);
  });

  it("publishes to npm with provenance, the token from a secret, prepack building lib/", () => {
    const publish = step("npm", (s) => s.run?.startsWith("npm publish") === true);
    expect(publish.run).toMatch(/^npm publish --provenance --access public\b/);
    expect(publish.env).toEqual({ NODE_AUTH_TOKEN: "${{ secrets.NPM_TOKEN }}" });
    expect(step("npm", (s) => s.uses?.startsWith("actions/setup-node") === true).with).toMatchObject({ "registry-url": "https://registry.npmjs.org" });
    // Provenance is refused unless package.json names the repository it was built from.
    expect(steps("npm").some((s) => s.run?.includes("repository.url=git+${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}.git"))).toBe(true);
    expect(pkg.scripts.prepack).toContain("npm run build");
    // Development dependencies installed: the build needs TypeScript.
    expect(steps("npm").some((s) => s.run?.startsWith("npm ci") && !s.run.includes("--omit=dev"))).toBe(true);
  });

  it("pushes a linux/amd64 + linux/arm64 image to ghcr.io with every OCI label the Dockerfile declares", () => {
    const uses = steps("docker").map((s) => s.uses?.split("@")[0]);
    expect(uses).toEqual(["actions/checkout", "docker/setup-qemu-action", "docker/setup-buildx-action", "docker/login-action", "docker/metadata-action", "docker/build-push-action"]);
    expect(step("docker", (s) => s.uses?.startsWith("docker/login-action") === true).with).toEqual({
      registry: "ghcr.io",
      username: "${{ github.actor }}",
      password: "${{ secrets.GITHUB_TOKEN }}",
    });
    expect(step("docker", (s) => s.uses?.startsWith("docker/metadata-action") === true).with!.images).toBe("ghcr.io/${{ github.repository }}");
    const build = step("docker", (s) => s.uses?.startsWith("docker/build-push-action") === true).with!;
    expect(build.platforms).toBe("linux/amd64,linux/arm64");
    expect(build.push).toBe(true);
    expect(build.context).toBe(".");

    // Every ARG of the runtime stage is filled, and each one names an OCI label.
    const dockerfile = read("Dockerfile");
    const runtime = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
    const args = [...runtime.matchAll(/^ARG (\w+)/gm)].map((m) => m[1]!);
    expect(args.sort()).toEqual(["CREATED", "REVISION", "SOURCE", "VERSION"]);
    const buildArgs = build["build-args"]!.trim().split("\n").map((line) => line.split("=")[0]!.trim());
    expect(buildArgs.sort()).toEqual(args);
    const labels = dockerfile.replace(/\\\n/g, " ");
    for (const [arg, label] of [["VERSION", "version"], ["REVISION", "revision"], ["CREATED", "created"], ["SOURCE", "source"]] as const) {
      expect(labels).toContain(`org.opencontainers.image.${label}="\${${arg}}"`);
    }
    for (const label of ["title", "description", "licenses"]) expect(labels).toContain(`org.opencontainers.image.${label}=`);
  });

  it("moves the action's major tag only for a full release, after npm and the image are out", () => {
    expect(jobs["major-tag"]!.if).toContain("!contains(github.ref_name, '-')");
    const script = steps("major-tag").map((s) => s.run ?? "").join("\n");
    expect(script).toContain('major="${GITHUB_REF_NAME%%.*}"');
    expect(script).toContain('git push --force origin "refs/tags/$major"');
  });
});

describe("CI", () => {
  const ci = workflow(".github/workflows/ci.yml");

  it("runs .ci/run on push and pull request, read-only, on the engines floor and the image's Node.js", () => {
    expect(Object.keys(ci.on).sort()).toEqual(["pull_request", "push"]);
    expect(ci.permissions).toEqual({ contents: "read" });
    const job = ci.jobs.test!;
    expect(job.strategy!.matrix.node).toEqual([NODE_FLOOR, IMAGE_NODE]);
    expect(job.steps.map((s) => s.run).filter(Boolean)).toEqual(["bash .ci/run"]);
  });
});

describe("the example workflow", () => {
  const example = workflow("examples/github-actions/wg-meetings.yml");
  const steps = example.jobs["wg-meetings"]!.steps;

  it("runs this repository's action (no npm release needed), with the token and its bot login, and no checkout", () => {
    expect(steps.some((s) => s.uses?.startsWith("actions/checkout"))).toBe(false);
    expect(steps.some((s) => s.run?.includes("npx"))).toBe(false);
    const step = steps.find((s) => s.uses?.startsWith("OWNER/wg-meetings@"));
    expect(step, "uses: OWNER/wg-meetings@<ref>").toBeDefined();
    expect(step!.with!.token).toBe("${{ steps.app-token.outputs.token || github.token }}");
    expect(step!.with!["bot-login"]).toContain("github-actions[bot]");
    // Only inputs the action declares.
    const inputs = Object.keys((parse(read("action.yml")) as { inputs: Record<string, unknown> }).inputs);
    for (const name of Object.keys(step!.with!)) expect(inputs, name).toContain(name);
  });
});

describe("actions are pinned", () => {
  /** Every `uses:` in the repository's own workflows and in action.yml. */
  const uses = [
    ...yamlFiles(".github/workflows").flatMap((path) => Object.values(workflow(path).jobs).flatMap((job) => job.steps.map((s) => s.uses))),
    ...(parse(read("action.yml")) as { runs: { steps: Step[] } }).runs.steps.map((s) => s.uses),
  ].filter((u): u is string => u !== undefined);

  it("to a major version tag or a full commit SHA", () => {
    expect(uses.length).toBeGreaterThan(5);
    for (const ref of uses) expect(ref).toMatch(/^[\w.-]+\/[\w.-]+@(v\d+|[0-9a-f]{40})$/);
  });

  it("the action sets up the Node.js the image runs", () => {
    const action = parse(read("action.yml")) as { inputs: Record<string, { default?: string }> };
    expect(action.inputs["node-version"]!.default).toBe(IMAGE_NODE);
  });
});
