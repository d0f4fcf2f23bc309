import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { renderConfigReference } from "../../../src/config/config-reference.js";
import { parseConfigText } from "../../../src/config/load-config.js";
import { configSchema } from "../../../src/config/schema.js";
import { optionsOf, elementOf, kindOf, shapeOf, type AnySchema } from "../../../src/config/schema-walk.js";

const DOC = "docs/configuration.md";

/** Every key path in the schema, e.g. `meetings[].agenda.label`. */
function keyPaths(schema: AnySchema, prefix: string): string[] {
  switch (kindOf(schema)) {
    case "object":
      return Object.entries(shapeOf(schema)).flatMap(([key, child]) => [`${prefix}${key}`, ...keyPaths(child, `${prefix}${key}.`)]);
    case "array": {
      const element = elementOf(schema);
      return element ? keyPaths(element, `${prefix.replace(/\.$/, "")}[].`) : [];
    }
    case "union":
      return optionsOf(schema).flatMap((option) => keyPaths(option, prefix));
    default:
      return [];
  }
}

describe("docs/configuration.md", () => {
  const generated = renderConfigReference();

  it("is the generator's output (UPDATE_CONFIG_DOC=1 rewrites it, and still fails that run)", async () => {
    const onDisk = await readFile(DOC, "utf8");
    if (process.env.UPDATE_CONFIG_DOC === "1" && onDisk !== generated) {
      await writeFile(DOC, generated);
      // Rewriting is not passing: a run in this mode must never report a stale file as fine.
      expect.fail(`${DOC} was out of date and has been rewritten: review the change, then run the tests again without UPDATE_CONFIG_DOC`);
    }
    expect(onDisk).toBe(generated);
  });

  it("is never rewritten by CI: no workflow, CI script or npm script sets UPDATE_CONFIG_DOC", async () => {
    const { readdir } = await import("node:fs/promises");
    const workflows = (await readdir(".github/workflows")).map((name) => `.github/workflows/${name}`);
    const files = [...workflows, ".ci/run", "package.json"];
    expect(workflows.length).toBeGreaterThan(0);
    for (const file of files) expect(await readFile(file, "utf8"), file).not.toContain("UPDATE_CONFIG_DOC");
  });

  it("documents every key with a description", () => {
    const rows = generated.split("\n").filter((line) => line.startsWith("| `"));
    for (const row of rows) expect(row, row).not.toMatch(/\|\s*\|$/);
    const documented = new Set(rows.map((row) => /^\| `([^`]+)`/.exec(row)?.[1]));
    for (const path of keyPaths(configSchema, "")) {
      expect(documented.has(path.split(".").pop()!.replace("[]", "")), path).toBe(true);
    }
  });

  it("has a full example that is itself a valid config", () => {
    const example = /## Full annotated example\n\n```yaml\n([\s\S]*?)```/.exec(generated)?.[1];
    expect(example).toBeDefined();
    const result = parseConfigText(example!);
    expect(result.ok ? result.config.meetings.map((series) => series.id) : result.errors).toEqual(["security-wg", "triage"]);
  });
});
