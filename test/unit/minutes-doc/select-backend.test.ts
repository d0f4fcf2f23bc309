import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../../src/config/load-config.js";
import type { SeriesConfig } from "../../../src/config/schema.js";
import { UNRESTRICTED } from "../../../src/google/allow-list.js";
import type { GoogleDocs, MinutesDocRequest } from "../../../src/google/types.js";
import type { HackmdClient } from "../../../src/hackmd/client.js";
import { hackmdSettingsOf, markerBackend, seriesBackend, type DocLoaders } from "../../../src/minutes-doc/select-backend.js";

function series(minutes: string): SeriesConfig {
  const text = [
    "meetings:",
    "  - id: security-wg",
    "    name: Security team",
    "    host: Node.js",
    '    schedule: "2026-08-04T13:00:00[America/Chicago]/P2W"',
    "    agenda: { label: security-wg-agenda, repos: [nodejs/security-wg] }",
    "    minutes:",
    ...minutes.split("\n").map((line) => `      ${line}`),
    "",
  ].join("\n");
  const result = parseConfigText(text);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config.meetings[0]!;
}

const GOOGLE = series("doc: google\ngoogle: { folder: FOLDER1, share: { anyone: commenter } }");
const HACKMD = series("doc: hackmd\nhackmd: { team: nodejs, readPermission: signed_in, writePermission: owner, commentPermission: owners }");
const HACKMD_DEFAULTS = series("doc: hackmd");
const NONE = series("doc: none");

/** Loaders that count how often each gateway was loaded. */
function counting(google: GoogleDocs | null, hackmd: HackmdClient | null): { loaders: DocLoaders; loads: { google: number; hackmd: number } } {
  const loads = { google: 0, hackmd: 0 };
  return {
    loads,
    loaders: {
      google: async () => {
        loads.google++;
        return google;
      },
      hackmd: async () => {
        loads.hackmd++;
        return hackmd;
      },
    },
  };
}

function fakeGoogle(requests: MinutesDocRequest[]): GoogleDocs {
  return {
    actor: "wg@project.iam.gserviceaccount.com",
    allowList: UNRESTRICTED,
    ensureMinutesDoc: async (request) => {
      requests.push(request);
      return { id: "DOC1", url: "https://docs.google.com/document/d/DOC1/edit", created: true };
    },
    openMeetingDoc: async () => {
      throw new Error("not used");
    },
    exportMarkdown: async () => "",
    moveDoc: async () => undefined,
  };
}

const FAKE_HACKMD = { apiUrl: "https://api.hackmd.io/v1", webUrl: "https://hackmd.io" } as unknown as HackmdClient;

describe("seriesBackend: minutes.doc picks the backend new docs are drafted in", () => {
  it("none: no backend, and no gateway is loaded", () => {
    const { loaders, loads } = counting(null, null);
    expect(seriesBackend({ series: NONE, owner: "nodejs", loaders })).toBeNull();
    expect(loads).toEqual({ google: 0, hackmd: 0 });
  });

  it("google: the Google gateway, loaded only when asked, with the series' folder and sharing bound", async () => {
    const requests: MinutesDocRequest[] = [];
    const { loaders, loads } = counting(fakeGoogle(requests), FAKE_HACKMD);
    const selected = seriesBackend({ series: GOOGLE, owner: "nodejs", loaders })!;
    expect(selected).toMatchObject({ kind: "google", label: "Google" });
    expect(loads).toEqual({ google: 0, hackmd: 0 });
    const backend = (await selected.load())!;
    expect(backend.kind).toBe("google");
    await backend.ensureDoc({ meeting: { repository: "nodejs/security-wg", series: "security-wg", start: "2026-12-10T17:00:00.000Z" }, title: "T", markdown: "# T\n", replacements: {} });
    expect(requests[0]).toMatchObject({ folderId: "FOLDER1", share: { anyone: "commenter", groups: [] } });
    expect(loads).toEqual({ google: 1, hackmd: 0 });
  });

  it("hackmd: the HackMD gateway, loaded only when asked", async () => {
    const { loaders, loads } = counting(null, FAKE_HACKMD);
    const selected = seriesBackend({ series: HACKMD, owner: "nodejs", loaders })!;
    expect(selected).toMatchObject({ kind: "hackmd", label: "HackMD" });
    expect(loads).toEqual({ google: 0, hackmd: 0 });
    const backend = (await selected.load())!;
    expect(backend.kind).toBe("hackmd");
    expect(loads).toEqual({ google: 0, hackmd: 1 });
  });

  it.each([
    ["google", GOOGLE, "Google is not configured for this App (set GOOGLE_APPLICATION_CREDENTIALS or GOOGLE_CREDENTIALS_JSON)"],
    ["hackmd", HACKMD, "HackMD is not configured for this App (set HACKMD_API_TOKEN"],
  ] as const)("%s without credentials: load() gives null, and the message says what the operator sets", async (_kind, config, message) => {
    for (const loaders of [counting(null, null).loaders, {}]) {
      const selected = seriesBackend({ series: config, owner: "nodejs", loaders })!;
      await expect(selected.load()).resolves.toBeNull();
      expect(selected.notConfigured.startsWith(message)).toBe(true);
    }
  });

  it("a gateway that cannot be loaded (bad credentials) throws from load(), for the use case to report", async () => {
    const failing: DocLoaders = { hackmd: async () => Promise.reject(new Error("boom")) };
    await expect(seriesBackend({ series: HACKMD, owner: "nodejs", loaders: failing })!.load()).rejects.toThrow("boom");
  });
});

describe("hackmdSettingsOf: minutes.hackmd, or its documented defaults", () => {
  it("takes the series' settings", () => {
    expect(hackmdSettingsOf(HACKMD)).toEqual({ team: "nodejs", readPermission: "signed_in", writePermission: "owner", commentPermission: "owners" });
  });

  it("a series that leaves the block out gets the token's own workspace, anyone reads, signed-in users write and comment", () => {
    expect(HACKMD_DEFAULTS.minutes.hackmd).toBeUndefined();
    expect(hackmdSettingsOf(HACKMD_DEFAULTS)).toEqual({ team: null, readPermission: "guest", writePermission: "signed_in", commentPermission: "signed_in_users" });
  });
});

describe("markerBackend: a meeting's existing doc is used where it lives", () => {
  it("a bare id (every marker before HackMD) is a Google Doc, whatever the series now says", async () => {
    const { loaders } = counting(fakeGoogle([]), FAKE_HACKMD);
    const found = markerBackend("1AbCdEf", { series: HACKMD, owner: "nodejs", loaders });
    expect(found.id).toBe("1AbCdEf");
    expect(found.backend.kind).toBe("google");
    expect((await found.backend.load())!.kind).toBe("google");
  });

  it("hackmd:<id> is a HackMD note, even in a series that has since switched to Google or to none", async () => {
    for (const config of [GOOGLE, NONE, HACKMD]) {
      const found = markerBackend("hackmd:k5zK8_yDRoKxKmEuVW0RvA", { series: config, owner: "nodejs", loaders: counting(null, FAKE_HACKMD).loaders });
      expect(found).toMatchObject({ id: "k5zK8_yDRoKxKmEuVW0RvA", backend: { kind: "hackmd", label: "HackMD" } });
      expect((await found.backend.load())!.kind).toBe("hackmd");
    }
  });

  it("a note is looked for in the workspace the marker names, not the one the config names now", () => {
    const context = { series: HACKMD, owner: "nodejs", loaders: {} };
    expect(markerBackend("hackmd:k5zK8_yDRoKxKmEuVW0RvA", context).backend.ref("x")).toEqual({ kind: "hackmd", id: "x", team: null });
    expect(markerBackend("hackmd:old-team/k5zK8_yDRoKxKmEuVW0RvA", context).backend.ref("x")).toEqual({ kind: "hackmd", id: "x", team: "old-team" });
    // New notes go where the config says.
    expect(seriesBackend(context)!.ref("x")).toEqual({ kind: "hackmd", id: "x", team: "nodejs" });
    expect(seriesBackend({ ...context, series: GOOGLE })!.ref("x")).toEqual({ kind: "google", id: "x" });
  });

  it("a Google Doc of a series that no longer has minutes.google still opens (only creating needs the block)", async () => {
    const found = markerBackend("1AbCdEf", { series: HACKMD, owner: "nodejs", loaders: counting(fakeGoogle([]), null).loaders });
    const backend = (await found.backend.load())!;
    await expect(backend.ensureDoc({ meeting: { repository: "a/b", series: "s", start: "x" }, title: "", markdown: "", replacements: {} })).rejects.toMatchObject({
      kind: "not-configured",
    });
  });
});
