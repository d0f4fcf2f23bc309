import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";

/** A permission level as a GitHub App manifest grants it. */
export type PermissionLevel = "read" | "write";

/** The part of `app.yml` (a GitHub App manifest) that is the App's contract with GitHub. */
export interface AppManifest {
  name: string;
  description?: string;
  /** The webhook events the App subscribes to. */
  default_events: string[];
  /** The permissions every installation grants, by GitHub's permission name. */
  default_permissions: Record<string, PermissionLevel>;
  [key: string]: unknown;
}

/**
 * Events GitHub delivers to every App without a subscription (they cannot even be chosen in
 * the App's settings): an App always hears about its own installations and about repositories
 * added to or removed from them. A manifest lists only what it subscribes to, so these are
 * never in `default_events`; an emulated GitHub that filters every event by the subscription
 * must be given them on top.
 */
export const DELIVERED_WITHOUT_SUBSCRIPTION = ["installation", "installation_repositories"] as const;

/**
 * The repository's `app.yml`, found upwards from this file, so the same code works from
 * `e2e/harness/` (tests) and from its compiled copy under `node_modules/.cache/` (the demo).
 */
export function appManifestPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "app.yml");
    if (existsSync(candidate) && existsSync(join(dir, "package.json"))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("e2e: app.yml not found above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** Reads and parses `app.yml` (the real file, never a copy of its lists). */
export function readAppManifest(path = appManifestPath()): AppManifest {
  const manifest = parseYaml(readFileSync(path, "utf8")) as AppManifest;
  if (!Array.isArray(manifest?.default_events) || typeof manifest.default_permissions !== "object" || manifest.default_permissions === null) {
    throw new Error(`e2e: ${path} has no default_events list or default_permissions map`);
  }
  return manifest;
}
