import nock from "nock";
import { beforeEach, describe, expect, it } from "vitest";
import type { GitHub } from "../../../src/github/client.js";
import { readMinutesHistory } from "../../../src/github/minutes-history.js";
import { MinutesPathError } from "../../../src/minutes/minutes-path.js";
import { API, mockToken } from "../../helpers/github.js";
import { createTestProbot } from "../../helpers/probot.js";

/**
 * The merged minutes through the contents API: the folder listing, then the files newest first,
 * each at the ref asked for. Files over the size bound are not fetched at all.
 */

const repo = { owner: "nodejs", repo: "security-wg" };
const b64 = (text: string) => Buffer.from(text).toString("base64");
const file = (name: string, size = 100) => ({ type: "file", name, path: `meetings/${name}`, size });
const content = (path: string, text: string) => ({ type: "file", name: path.split("/").at(-1), path, encoding: "base64", content: b64(text), size: text.length });

let gh: GitHub;
beforeEach(async () => {
  const { probot } = await createTestProbot();
  mockToken(nock(API), 1);
  gh = await probot.auth(1);
});

describe("readMinutesHistory", () => {
  it("lists meetings/ once and reads the newest files before the date, newest first", async () => {
    const scope = nock(API)
      .get("/repos/nodejs/security-wg/contents/meetings")
      .query({ ref: "main" })
      .reply(200, [
        file("2024-10-10.md"),
        file("2024-10-24.md"),
        file("2024-11-07.md"),
        file("2024-11-21.md"), // the meeting itself: not before it
        file("README.md"),
        file("2025-06-11"), // no .md: the real history's mistake, not a minutes file
        { type: "dir", name: "2024-10-24.md", path: "meetings/2024-10-24.md/", size: 0 },
        { type: "symlink", name: "2024-09-26.md", path: "meetings/2024-09-26.md", size: 10 },
      ])
      .get("/repos/nodejs/security-wg/contents/meetings%2F2024-11-07.md")
      .query({ ref: "main" })
      .reply(200, content("meetings/2024-11-07.md", "## Present\n\n* @a\n"))
      .get("/repos/nodejs/security-wg/contents/meetings%2F2024-10-24.md")
      .query({ ref: "main" })
      .reply(200, content("meetings/2024-10-24.md", "## Present\n\n* @b\n"));
    const history = await readMinutesHistory(gh, repo, { template: "meetings/{{date}}.md", ref: "main", before: "2024-11-21", count: 2 });
    expect(history).toEqual({
      files: [
        { date: "2024-11-07", path: "meetings/2024-11-07.md", text: "## Present\n\n* @a\n" },
        { date: "2024-10-24", path: "meetings/2024-10-24.md", text: "## Present\n\n* @b\n" },
      ],
      skipped: [],
      truncated: false,
    });
    expect(scope.isDone()).toBe(true);
  });

  it("reads the default branch when no ref is given, and a missing folder is no history", async () => {
    const scope = nock(API).get("/repos/nodejs/security-wg/contents/notes").reply(404, { message: "Not Found" });
    const history = await readMinutesHistory(gh, repo, { template: "notes/{{date}}.md", before: null, count: 10 });
    expect(history).toEqual({ files: [], skipped: [], truncated: false });
    expect(scope.isDone()).toBe(true);
  });

  it("skips a file over the size bound without fetching it, and stops at the total", async () => {
    const limits = { listings: 5, fileBytes: 1000, totalBytes: 1500 };
    const scope = nock(API)
      .get("/repos/nodejs/security-wg/contents/meetings")
      .query({ ref: "main" })
      .reply(200, [file("2024-11-21.md", 5_000_000), file("2024-11-07.md", 900), file("2024-10-24.md", 900)])
      .get("/repos/nodejs/security-wg/contents/meetings%2F2024-11-07.md")
      .query({ ref: "main" })
      .reply(200, content("meetings/2024-11-07.md", "x".repeat(900)));
    const history = await readMinutesHistory(gh, repo, { template: "meetings/{{date}}.md", ref: "main", before: null, count: 10, limits });
    expect(history.files.map((f) => f.date)).toEqual(["2024-11-07"]);
    expect(history.skipped).toEqual([{ path: "meetings/2024-11-21.md", reason: "larger than 1000 bytes" }]);
    expect(history.truncated).toBe(true);
    expect(scope.isDone()).toBe(true);
  });

  it("believes what it read, not the listing's size", async () => {
    const limits = { listings: 5, fileBytes: 50, totalBytes: 1000 };
    const scope = nock(API)
      .get("/repos/nodejs/security-wg/contents/meetings")
      .query({ ref: "main" })
      .reply(200, [file("2024-11-07.md", 10)])
      .get("/repos/nodejs/security-wg/contents/meetings%2F2024-11-07.md")
      .query({ ref: "main" })
      .reply(200, content("meetings/2024-11-07.md", "y".repeat(60)));
    const history = await readMinutesHistory(gh, repo, { template: "meetings/{{date}}.md", ref: "main", before: null, count: 10, limits });
    expect(history.files).toEqual([]);
    expect(history.skipped).toEqual([{ path: "meetings/2024-11-07.md", reason: "larger than 50 bytes" }]);
    expect(scope.isDone()).toBe(true);
  });

  it("walks {{year}} folders newest first, only the dated files in their own year", async () => {
    const scope = nock(API)
      .get("/repos/nodejs/security-wg/contents/meetings")
      .query({ ref: "v2" })
      .reply(200, [
        { type: "dir", name: "2023", path: "meetings/2023", size: 0 },
        { type: "dir", name: "2024", path: "meetings/2024", size: 0 },
        { type: "dir", name: "drafts", path: "meetings/drafts", size: 0 },
      ])
      .get("/repos/nodejs/security-wg/contents/meetings%2F2024")
      .query({ ref: "v2" })
      .reply(200, [{ type: "file", name: "2024-01-11.md", path: "meetings/2024/2024-01-11.md", size: 20 }])
      .get("/repos/nodejs/security-wg/contents/meetings%2F2023")
      .query({ ref: "v2" })
      .reply(200, [
        { type: "file", name: "2023-12-14.md", path: "meetings/2023/2023-12-14.md", size: 20 },
        { type: "file", name: "2024-01-25.md", path: "meetings/2023/2024-01-25.md", size: 20 }, // in the wrong year's folder
      ])
      .get("/repos/nodejs/security-wg/contents/meetings%2F2024%2F2024-01-11.md")
      .query({ ref: "v2" })
      .reply(200, content("meetings/2024/2024-01-11.md", "Present: @a\n"))
      .get("/repos/nodejs/security-wg/contents/meetings%2F2023%2F2023-12-14.md")
      .query({ ref: "v2" })
      .reply(200, content("meetings/2023/2023-12-14.md", "Present: @b\n"));
    const history = await readMinutesHistory(gh, repo, { template: "meetings/{{year}}/{{date}}.md", ref: "v2", before: null, count: 5 });
    expect(history.files.map((f) => f.path)).toEqual(["meetings/2024/2024-01-11.md", "meetings/2023/2023-12-14.md"]);
    expect(scope.isDone()).toBe(true);
  });

  it("does not list older year folders once the newer ones hold enough files", async () => {
    const scope = nock(API)
      .get("/repos/nodejs/security-wg/contents/meetings")
      .query({ ref: "v2" })
      .reply(200, [
        { type: "dir", name: "2023", path: "meetings/2023", size: 0 },
        { type: "dir", name: "2024", path: "meetings/2024", size: 0 },
      ])
      .get("/repos/nodejs/security-wg/contents/meetings%2F2024")
      .query({ ref: "v2" })
      .reply(200, [{ type: "file", name: "2024-01-11.md", path: "meetings/2024/2024-01-11.md", size: 20 }])
      .get("/repos/nodejs/security-wg/contents/meetings%2F2024%2F2024-01-11.md")
      .query({ ref: "v2" })
      .reply(200, content("meetings/2024/2024-01-11.md", "Present: @a\n"));
    const history = await readMinutesHistory(gh, repo, { template: "meetings/{{year}}/{{date}}.md", ref: "v2", before: null, count: 1 });
    expect(history.files.map((f) => f.path)).toEqual(["meetings/2024/2024-01-11.md"]);
    expect(scope.isDone()).toBe(true);
  });

  it("asks nothing for no files, and refuses a template that names no minutes file", async () => {
    expect(await readMinutesHistory(gh, repo, { template: "meetings/{{date}}.md", ref: "main", before: null, count: 0 })).toEqual({ files: [], skipped: [], truncated: false });
    await expect(readMinutesHistory(gh, repo, { template: "../{{date}}.md", ref: "main", before: null, count: 3 })).rejects.toBeInstanceOf(MinutesPathError);
  });

  it("passes a server error on", async () => {
    const scope = nock(API).get("/repos/nodejs/security-wg/contents/meetings").query({ ref: "main" }).reply(500, { message: "boom" });
    await expect(readMinutesHistory(gh, repo, { template: "meetings/{{date}}.md", ref: "main", before: null, count: 3 })).rejects.toMatchObject({ status: 500 });
    expect(scope.isDone()).toBe(true);
  });
});
