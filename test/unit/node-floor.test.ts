import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/**
 * The Node.js floor is stated once, in package.json's `engines`, and everything else must agree
 * with it: every locked package must accept it (npm only warns, and a package that needs a newer
 * Node fails at run time), and the README names the same floor.
 */

type Version = [number, number, number];

const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { engines: { node: string } };
const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as {
  packages: Record<string, { engines?: { node?: string } | string[]; optional?: boolean }>;
};

function parseVersion(text: string): Version {
  const match = /^v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/.exec(text.trim());
  if (!match) throw new Error(`not a version: ${JSON.stringify(text)}`);
  const part = (value: string | undefined) => (value === undefined || value === "x" || value === "*" ? 0 : Number(value));
  return [Number(match[1]), part(match[2]), part(match[3])];
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** The subset of semver ranges that engines fields in our lockfile use; anything else throws. */
function satisfies(version: Version, range: string): boolean {
  return range.split("||").some((alternative) => {
    const comparators = alternative.trim().replace(/(>=|<=|>|<|\^|~|=)\s+/g, "$1").split(/\s+/).filter(Boolean);
    if (comparators.length === 0 || comparators[0] === "*") return true;
    return comparators.every((comparator) => {
      const match = /^(>=|<=|>|<|\^|~|=)?(.+)$/.exec(comparator);
      if (!match) throw new Error(`unsupported range: ${range}`);
      const [, op = "=", rest = ""] = match;
      const bound = parseVersion(rest);
      const diff = compare(version, bound);
      switch (op) {
        case ">=":
          return diff >= 0;
        case ">":
          return diff > 0;
        case "<=":
          return diff <= 0;
        case "<":
          return diff < 0;
        case "^":
          return diff >= 0 && version[0] === bound[0];
        case "~":
          return diff >= 0 && version[0] === bound[0] && version[1] === bound[1];
        default:
          return rest.split(".").length < 3 ? version[0] === bound[0] && (rest.split(".").length < 2 || version[1] === bound[1]) : diff === 0;
      }
    });
  });
}

const floorMatch = /^>=\s*(\d+\.\d+(?:\.\d+)?)$/.exec(pkg.engines.node);

describe("the Node.js floor", () => {
  it("is one plain lower bound in package.json's engines", () => {
    expect(floorMatch, pkg.engines.node).not.toBeNull();
  });

  const floor = parseVersion(floorMatch?.[1] ?? "0");

  it("is accepted by every package in the lockfile", () => {
    const refusing = Object.entries(lock.packages).flatMap(([name, entry]) => {
      const range = entry.engines && !Array.isArray(entry.engines) ? entry.engines.node : undefined;
      return range && !satisfies(floor, range) ? [`${name || "(root)"} needs node ${range}`] : [];
    });
    expect(refusing).toEqual([]);
  });

  it("is the one the README gives a newcomer", () => {
    const readme = readFileSync("README.md", "utf8");
    expect(readme).toContain(`Node.js ${floorMatch?.[1]}+`);
  });

  it("is what the suite runs on: the same major version (CI runs it on the floor)", () => {
    const running = parseVersion(process.versions.node);
    expect(satisfies(running, pkg.engines.node)).toBe(true);
  });

  it("reads ranges the way npm does (the checker above cannot pass by accident)", () => {
    expect(satisfies([20, 19, 0], ">=22")).toBe(false);
    expect(satisfies([20, 19, 0], "^20.18.1 || >= 22")).toBe(true);
    expect(satisfies([20, 17, 0], "^20.18.1 || >= 22")).toBe(false);
    expect(satisfies([20, 19, 0], "^20.19.0 || ^22.13.0 || >=23.5.0")).toBe(true);
    expect(satisfies([20, 19, 0], ">= 20")).toBe(true);
    expect(satisfies([20, 19, 0], "20 || 22")).toBe(true);
    expect(satisfies([21, 0, 0], "20 || 22")).toBe(false);
    expect(() => satisfies([20, 0, 0], ">=banana")).toThrow();
  });
});
