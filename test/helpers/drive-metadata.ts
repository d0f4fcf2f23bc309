import nock from "nock";
import type { FakeDoc } from "./fake-world.js";

const GOOGLE_DRIVE = "https://www.googleapis.com";

/**
 * Drive's `files.get` for the docs of a fake world: the App reads a doc's `appProperties`
 * before it exports or renames it. Serves the docs the world holds (and any added by the
 * test, e.g. another group's), 404 for the rest, with only the fields asked for. Each request
 * is recorded in `seen` as `GET <id>`.
 */
export function serveDocMetadata(docs: () => readonly FakeDoc[], seen: string[] = []): string[] {
  nock(GOOGLE_DRIVE)
    .persist()
    .get(/^\/drive\/v3\/files\/[^/?]+(\?.*)?$/)
    .reply(function (uri) {
      const url = new URL(uri, GOOGLE_DRIVE);
      const id = decodeURIComponent(url.pathname.split("/").pop()!);
      seen.push(`GET ${id}`);
      const doc = docs().find((candidate) => candidate.id === id);
      if (!doc) return [404, { error: { code: 404, message: `File not found: ${id}.`, errors: [{ reason: "notFound" }] } }];
      const fields = (url.searchParams.get("fields") ?? "id,name").split(",").map((field) => field.trim());
      const full: Record<string, unknown> = { id: doc.id, name: doc.name, parents: doc.parents, appProperties: doc.appProperties };
      return [200, Object.fromEntries(Object.entries(full).filter(([key]) => fields.includes(key)))];
    });
  return seen;
}
