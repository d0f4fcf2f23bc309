// `npm pack` / `npm publish` (prepack): writes npm-shrinkwrap.json, the production part of
// package-lock.json, so that `npx wg-meetings` and `npm install wg-meetings` get exactly the
// tree this repository tested. A dependency's `overrides` are ignored by npm, but its
// shrinkwrap is honoured: without it, installs would take the newest `content-type` 3.x,
// which needs Node 22. Development packages are left out: npm would install every package a
// shipped shrinkwrap lists, test tools included. postpack deletes the file again (npm would
// otherwise prefer it to package-lock.json in this checkout).
import { readFileSync, writeFileSync } from "node:fs";

const REGISTRY = "https://registry.npmjs.org/";
const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));

/**
 * Where the registry serves a locked package. This repository's npm config leaves `resolved`
 * out of the lockfile; a shrinkwrap without it makes every install fetch each package's
 * registry document first. npm maps this default registry onto the one a user configured.
 */
function resolvedUrl(path, entry) {
  const name = entry.name ?? path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length);
  return `${REGISTRY}${name}/-/${name.split("/").pop()}-${entry.version}.tgz`;
}

const packages = {};
for (const [path, entry] of Object.entries(lock.packages)) {
  if (entry.dev) continue;
  if (path === "") {
    const { devDependencies: _dev, ...root } = entry;
    packages[path] = root;
  } else {
    packages[path] = entry.resolved || entry.link ? entry : { ...entry, resolved: resolvedUrl(path, entry) };
  }
}
writeFileSync("npm-shrinkwrap.json", `${JSON.stringify({ ...lock, packages }, null, 2)}\n`);
