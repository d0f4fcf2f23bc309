import { describe, expect, it } from "vitest";
import { MinutesPathError, minutesPath } from "../../../src/minutes/minutes-path.js";

describe("minutesPath", () => {
  it.each([
    ["meetings/{{date}}.md", "2022-07-21", "meetings/2022-07-21.md"],
    ["meetings/{{ date }}.md", "2022-07-21", "meetings/2022-07-21.md"],
    ["{{date}}.md", "2022-07-21", "2022-07-21.md"],
    ["doc/meetings/{{year}}/{{month}}/{{day}}.md", "2024-02-29", "doc/meetings/2024/02/29.md"],
    ["meetings/{{year}}/{{date}}-security-wg.md", "2025-11-06", "meetings/2025/2025-11-06-security-wg.md"],
    [".github/minutes/{{date}}.md", "2022-07-21", ".github/minutes/2022-07-21.md"],
  ])("%s on %s → %s", (template, date, path) => {
    expect(minutesPath(template, date)).toBe(path);
  });

  it.each([
    ["a .. segment", "meetings/../{{date}}.md", "2022-07-21", '".." segment: the file must stay inside "meetings/"'],
    ["a .. segment leaving the folder", "meetings/{{year}}/../../{{date}}.md", "2022-07-21", 'must stay inside "meetings/"'],
    ["a . segment", "meetings/./{{date}}.md", "2022-07-21", '"." or ".." segment'],
    ["absolute", "/meetings/{{date}}.md", "2022-07-21", "must be relative"],
    ["a drive letter", "C:/meetings/{{date}}.md", "2022-07-21", "must be relative"],
    ["no .md", "meetings/{{date}}", "2022-07-21", "must name a Markdown file ending in .md"],
    ["another extension", "meetings/{{date}}.txt", "2022-07-21", "ending in .md"],
    ["an empty segment", "meetings//{{date}}.md", "2022-07-21", "empty folder or file name"],
    ["a trailing slash", "meetings/{{date}}/", "2022-07-21", "empty folder or file name"],
    ["a backslash", "meetings\\{{date}}.md", "2022-07-21", "backslash"],
    ["a control character", "meetings/\u0007{{date}}.md", "2022-07-21", "control character"],
    ["a newline", "meetings/{{date}}.md\n", "2022-07-21", "control character"],
    ["into .git", ".git/{{date}}.md", "2022-07-21", ".git"],
    ["no date", "meetings/latest.md", "2022-07-21", "does not contain the meeting's date"],
    ["only the year", "meetings/{{year}}.md", "2022-07-21", "does not contain the meeting's date"],
    ["an unknown placeholder", "meetings/{{id}}/{{date}}.md", "2022-07-21", "unknown placeholder {{id}}"],
    ["a stray brace", "meetings/{{date}}}.md", "2022-07-21", "outside a {{placeholder}}"],
    ["a non-date", "meetings/{{date}}.md", "2022-7-21", "not a date written YYYY-MM-DD"],
    ["a day that does not exist", "meetings/{{date}}.md", "2022-02-30", "not a real calendar date"],
    ["month 13", "meetings/{{date}}.md", "2022-13-01", "not a real calendar date"],
    ["not a leap year", "meetings/{{date}}.md", "2023-02-29", "not a real calendar date"],
  ])("refuses %s", (_, template, date, message) => {
    expect(() => minutesPath(template, date)).toThrow(MinutesPathError);
    expect(() => minutesPath(template, date)).toThrow(message);
  });

  it("names the template in the error", () => {
    expect(() => minutesPath("meetings/{{date}}", "2022-07-21")).toThrow('minutes.path "meetings/{{date}}": ');
  });
});
