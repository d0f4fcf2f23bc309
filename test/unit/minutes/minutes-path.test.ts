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

  /** The reason `minutesPath` gives, without the `minutes.path "<template>": ` prefix every refusal has. */
  function refusal(template: string, date: string): string {
    let error: unknown;
    try {
      minutesPath(template, date);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MinutesPathError);
    const prefix = `minutes.path "${template}": `;
    const message = (error as Error).message;
    expect(message.startsWith(prefix)).toBe(true);
    return message.slice(prefix.length);
  }

  it.each([
    ["a .. segment", "meetings/../{{date}}.md", "2022-07-21", 'has a "." or ".." segment: the file must stay inside "meetings/"'],
    ["a .. segment leaving the folder", "meetings/{{year}}/../../{{date}}.md", "2022-07-21", 'has a "." or ".." segment: the file must stay inside "meetings/"'],
    ["a .. segment at the start", "../{{date}}.md", "2022-07-21", 'has a "." or ".." segment: the file must stay inside the repository'],
    ["a . segment", "meetings/./{{date}}.md", "2022-07-21", 'has a "." or ".." segment: the file must stay inside "meetings/"'],
    ["absolute", "/meetings/{{date}}.md", "2022-07-21", "must be relative to the repository root (no leading / or drive letter)"],
    ["a drive letter", "C:/meetings/{{date}}.md", "2022-07-21", "must be relative to the repository root (no leading / or drive letter)"],
    ["no .md", "meetings/{{date}}", "2022-07-21", 'must name a Markdown file ending in .md (got "meetings/2022-07-21")'],
    ["another extension", "meetings/{{date}}.txt", "2022-07-21", 'must name a Markdown file ending in .md (got "meetings/2022-07-21.txt")'],
    ["a file named only .md", "meetings/{{date}}/.md", "2022-07-21", 'must name a Markdown file ending in .md (got "meetings/2022-07-21/.md")'],
    ["a file ending in md without the dot", "meetings/{{date}}md", "2022-07-21", 'must name a Markdown file ending in .md (got "meetings/2022-07-21md")'],
    ["an empty segment", "meetings//{{date}}.md", "2022-07-21", "has an empty folder or file name (a doubled or trailing /)"],
    ["a trailing slash", "meetings/{{date}}/", "2022-07-21", "has an empty folder or file name (a doubled or trailing /)"],
    ["a backslash", "meetings\\{{date}}.md", "2022-07-21", "contains a backslash (use / between folders)"],
    ["a control character", "meetings/\u0007{{date}}.md", "2022-07-21", "contains a control character"],
    ["a newline", "meetings/{{date}}.md\n", "2022-07-21", "contains a control character"],
    ["DEL", "meetings/{{date}}\u007f.md", "2022-07-21", "contains a control character"],
    ["no date", "meetings/latest.md", "2022-07-21", "does not contain the meeting's date ({{date}}, or {{year}}, {{month}} and {{day}}), so every meeting would write the same file"],
    ["only the year", "meetings/{{year}}.md", "2022-07-21", "does not contain the meeting's date ({{date}}, or {{year}}, {{month}} and {{day}}), so every meeting would write the same file"],
    ["the year and month without the day", "meetings/{{year}}/{{month}}.md", "2022-07-21", "does not contain the meeting's date ({{date}}, or {{year}}, {{month}} and {{day}}), so every meeting would write the same file"],
    ["the month and day without the year", "meetings/{{month}}-{{day}}.md", "2022-07-21", "does not contain the meeting's date ({{date}}, or {{year}}, {{month}} and {{day}}), so every meeting would write the same file"],
    ["an unknown placeholder", "meetings/{{id}}/{{date}}.md", "2022-07-21", "unknown placeholder {{id}} (use {{date}}, {{year}}, {{month}}, {{day}})"],
    ["a stray brace", "meetings/{{date}}}.md", "2022-07-21", "has a { or } outside a {{placeholder}}"],
    ["a lone opening brace", "meetings/{{{date}}.md", "2022-07-21", "has a { or } outside a {{placeholder}}"],
    ["a non-date", "meetings/{{date}}.md", "2022-7-21", 'meeting date: "2022-7-21" is not a date written YYYY-MM-DD'],
    ["a day that does not exist", "meetings/{{date}}.md", "2022-02-30", 'meeting date: "2022-02-30" is not a real calendar date'],
    ["month 13", "meetings/{{date}}.md", "2022-13-01", 'meeting date: "2022-13-01" is not a real calendar date'],
    ["not a leap year", "meetings/{{date}}.md", "2023-02-29", 'meeting date: "2023-02-29" is not a real calendar date'],
  ])("refuses %s, saying why", (_, template, date, reason) => {
    expect(refusal(template, date)).toBe(reason);
  });

  describe("never writes into git's own folder, wherever it is in the path", () => {
    it.each([
      ["the first folder", ".git/{{date}}.md"],
      ["a folder further down", "meetings/.git/{{date}}.md"],
      ["the last folder", "a/b/.git/{{date}}.md"],
      ["a folder after a placeholder", "meetings/{{year}}/.git/{{date}}.md"],
      ["upper case", "meetings/.GIT/{{date}}.md"],
      ["mixed case", "meetings/.Git/{{date}}.md"],
      // Windows drops trailing dots and spaces, so these are .git in a checkout there.
      ["a trailing dot", "meetings/.git./{{date}}.md"],
      ["trailing dots", ".git../{{date}}.md"],
      ["a trailing space", "meetings/.git /{{date}}.md"],
      ["an NTFS stream", "meetings/.git::$INDEX_ALLOCATION/{{date}}.md"],
      ["the NTFS short name", "meetings/GIT~1/{{date}}.md"],
    ])("refuses .git as %s (%s)", (_, template) => {
      expect(refusal(template, "2022-07-21")).toBe("writes into .git");
    });

    it.each([
      ["a folder that only starts with .git", ".github/minutes/{{date}}.md", ".github/minutes/2022-07-21.md"],
      ["a folder that contains .git", "notes.git/{{date}}.md", "notes.git/2022-07-21.md"],
      ["a folder named git", "git/{{date}}.md", "git/2022-07-21.md"],
      ["a file named like .git with .md", "meetings/{{date}}/.git.md", "meetings/2022-07-21/.git.md"],
      ["a folder named git~2", "git~2/{{date}}.md", "git~2/2022-07-21.md"],
    ])("allows %s (%s)", (_, template, path) => {
      expect(minutesPath(template, "2022-07-21")).toBe(path);
    });
  });

  describe("stays inside the folder the template names", () => {
    it.each([
      // Back into the same folder is refused too: a path is checked as written, never normalised.
      ["a .. that comes back into the folder", "meetings/{{year}}/../{{date}}.md"],
      ["a .. right after the folder", "meetings/../meetings/{{date}}.md"],
      ["a .. out of a nested folder", "doc/meetings/../../{{date}}.md"],
      ["a . before the file", "meetings/./{{date}}.md"],
      ["a .. in place of the file's folder", "{{year}}/../{{date}}.md"],
    ])("refuses %s (%s)", (_, template) => {
      expect(refusal(template, "2022-07-21")).toMatch(/^has a "\." or "\.\." segment: the file must stay inside /);
    });

    it("writes every accepted path under the template's leading folders", () => {
      for (const [template, folder] of [
        ["meetings/{{date}}.md", "meetings/"],
        ["doc/meetings/{{year}}/{{month}}/{{day}}.md", "doc/meetings/"],
        ["minutes/{{year}}/{{date}}-wg.md", "minutes/"],
      ] as const) {
        const path = minutesPath(template, "2024-02-29");
        expect(path.startsWith(folder), path).toBe(true);
        expect(path.split("/"), path).not.toContain("..");
      }
    });
  });

  it("names the template in the error", () => {
    expect(() => minutesPath("meetings/{{date}}", "2022-07-21")).toThrow('minutes.path "meetings/{{date}}": ');
  });
});
