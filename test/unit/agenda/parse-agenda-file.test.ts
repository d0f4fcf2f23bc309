import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAgendaFile } from "../../../src/agenda/parse-agenda-file.js";

describe("parseAgendaFile", () => {
  it("reads the example agenda of the 2022-07-21 meeting", () => {
    const text = readFileSync(new URL("../../../examples/agenda-2022-07-21.json", import.meta.url), "utf8");
    const items = parseAgendaFile(text, "examples/agenda-2022-07-21.json");
    expect(items.map((i) => i.number)).toEqual([812, 811, 802, 799, 791, 488]);
    expect(items.every((i) => i.repository === "nodejs/security-wg" && i.kind === "issue")).toBe(true);
  });

  it("names the file, index and field of every problem", () => {
    const text = JSON.stringify([
      { repository: "nodejs", number: 1, title: "x", url: "https://github.com/a/b/issues/1", kind: "issue" },
      { repository: "a/b", number: 2, title: "y", url: "javascript:alert(1)", kind: "pr", extra: true },
    ]);
    expect(() => parseAgendaFile(text, "a.json")).toThrowError(
      /^a\.json\[0\]\.repository: expected owner\/name, got "nodejs"\na\.json\[1\]\.extra: unknown key.*\na\.json\[1\]\.url: expected an http\(s\) URL.*\na\.json\[1\]\.kind: expected "issue" or "pull_request", got "pr"$/,
    );
  });

  it("rejects non-JSON and non-arrays", () => {
    expect(() => parseAgendaFile("{", "a.json")).toThrowError(/a\.json: not valid JSON/);
    expect(() => parseAgendaFile("{}", "a.json")).toThrowError(/^a\.json: expected a JSON array/);
    expect(() => parseAgendaFile("[1]", "a.json")).toThrowError(/^a\.json\[0\]: expected an object/);
  });
});
