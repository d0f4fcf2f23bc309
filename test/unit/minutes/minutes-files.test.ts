import { describe, expect, it } from "vitest";
import { minutesFileDate, walkMinutesFiles, type FolderEntry, type MinutesFolderIo } from "../../../src/minutes/minutes-files.js";
import { MinutesPathError } from "../../../src/minutes/minutes-path.js";

describe("minutesFileDate", () => {
  it.each([
    ["meetings/{{date}}.md", "meetings/2022-07-21.md", "2022-07-21"],
    ["meetings/{{ date }}.md", "meetings/2022-07-21.md", "2022-07-21"],
    ["{{date}}.md", "2022-07-21.md", "2022-07-21"],
    ["meetings/{{year}}/{{date}}.md", "meetings/2022/2022-07-21.md", "2022-07-21"],
    ["notes/{{year}}/{{month}}/{{day}}-minutes.md", "notes/2022/07/21-minutes.md", "2022-07-21"],
    ["meetings/{{day}}.{{month}}.{{year}}.md", "meetings/21.07.2022.md", "2022-07-21"],
  ])("%s reads %s as %s", (template, path, date) => {
    expect(minutesFileDate(template, path)).toBe(date);
  });

  it.each([
    ["meetings/{{date}}.md", "meetings/2022-07-21"], // no .md, as in the real history
    ["meetings/{{date}}.md", "meetings/README.md"],
    ["meetings/{{date}}.md", "meetings/2022-02-30.md"], // no such day
    ["meetings/{{date}}.md", "meetings/2022-7-21.md"],
    ["meetings/{{date}}.md", "Meetings/2022-07-21.md"], // paths are case-sensitive on GitHub
    ["meetings/{{date}}.md", "meetings/2022-07-21/minutes.md"],
    ["meetings/{{date}}.md", "meetings/sub/2022-07-21.md"],
    ["meetings/{{year}}/{{date}}.md", "meetings/2021/2022-07-21.md"], // the year folders disagree
    ["meetings/{{date}}.md", "meetings/2022-07-21.md.md"],
  ])("%s does not name %s", (template, path) => {
    expect(minutesFileDate(template, path)).toBeNull();
  });

  it("refuses a template that cannot name a minutes file", () => {
    expect(() => minutesFileDate("meetings/minutes.md", "meetings/minutes.md")).toThrow(MinutesPathError);
  });
});

/** A folder tree in memory, recording what was listed and read. */
function tree(files: Record<string, string>) {
  const listed: string[] = [];
  const read: string[] = [];
  const io: MinutesFolderIo = {
    async list(path) {
      listed.push(path);
      const prefix = path === "" ? "" : `${path}/`;
      const entries = new Map<string, FolderEntry>();
      for (const [file, text] of Object.entries(files)) {
        if (!file.startsWith(prefix)) continue;
        const [name, ...rest] = file.slice(prefix.length).split("/");
        entries.set(name!, rest.length > 0 ? { name: name!, type: "dir", size: 0 } : { name: name!, type: "file", size: Buffer.byteLength(text) });
      }
      return entries.size === 0 ? null : [...entries.values()];
    },
    async read(path) {
      read.push(path);
      return files[path] ?? null;
    },
  };
  return { io, listed, read };
}

describe("walkMinutesFiles", () => {
  it("reads only the newest `count` files before the date", async () => {
    const { io, listed, read } = tree({
      "meetings/2024-01-04.md": "a",
      "meetings/2024-01-18.md": "b",
      "meetings/2024-02-01.md": "c",
      "meetings/2024-02-15.md": "d",
    });
    const walk = await walkMinutesFiles(io, "meetings/{{date}}.md", { before: "2024-02-15", count: 2 });
    expect(walk.files.map((f) => f.path)).toEqual(["meetings/2024-02-01.md", "meetings/2024-01-18.md"]);
    expect(listed).toEqual(["meetings"]);
    expect(read).toEqual(["meetings/2024-02-01.md", "meetings/2024-01-18.md"]);
  });

  it("lists at most `limits.listings` folders and says it stopped", async () => {
    const files: Record<string, string> = {};
    for (let year = 2000; year < 2030; year++) files[`m/${year}/${year}-01-01.md`] = "x";
    const { io, listed } = tree(files);
    const walk = await walkMinutesFiles(io, "m/{{year}}/{{date}}.md", { before: null, count: 100, limits: { listings: 4, fileBytes: 100, totalBytes: 1000 } });
    expect(listed).toEqual(["m", "m/2029", "m/2028", "m/2027"]);
    expect(walk.files.map((f) => f.date)).toEqual(["2029-01-01", "2028-01-01", "2027-01-01"]);
    expect(walk.truncated).toBe(true);
  });

  it("reads four files at a time, newest first", async () => {
    const files: Record<string, string> = {};
    for (let day = 10; day < 20; day++) files[`meetings/2024-01-${day}.md`] = `day ${day}`;
    const { io } = tree(files);
    let inFlight = 0;
    let most = 0;
    const counting: MinutesFolderIo = {
      list: io.list,
      async read(path) {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
        return io.read(path);
      },
    };
    const walk = await walkMinutesFiles(counting, "meetings/{{date}}.md", { before: null, count: 9 });
    expect(walk.files.map((f) => f.text)).toEqual(["day 19", "day 18", "day 17", "day 16", "day 15", "day 14", "day 13", "day 12", "day 11"]);
    expect(most).toBe(4);
  });

  it("stops at the total by what was read when the listing understated the sizes", async () => {
    const { io } = tree({ "meetings/2024-01-04.md": "a".repeat(90), "meetings/2024-01-18.md": "b".repeat(90), "meetings/2024-02-01.md": "c".repeat(90) });
    const understated: MinutesFolderIo = { list: async (path) => (await io.list(path))!.map((entry) => ({ ...entry, size: 10 })), read: io.read };
    const walk = await walkMinutesFiles(understated, "meetings/{{date}}.md", { before: null, count: 5, limits: { listings: 2, fileBytes: 100, totalBytes: 150 } });
    expect(walk.files.map((f) => f.date)).toEqual(["2024-02-01"]);
    expect(walk.truncated).toBe(true);
  });

  it("names a file that vanished between the listing and the read", async () => {
    const { io } = tree({ "meetings/2024-01-04.md": "a" });
    const vanishing: MinutesFolderIo = { list: io.list, read: async () => null };
    const walk = await walkMinutesFiles(vanishing, "meetings/{{date}}.md", { before: null, count: 5 });
    expect(walk).toEqual({ files: [], skipped: [{ path: "meetings/2024-01-04.md", reason: "gone or not a file" }], truncated: false });
  });
});
