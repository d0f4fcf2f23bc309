import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/load-config.js";
import { parseItemNotes } from "../../src/minutes/item-notes.js";

/**
 * `.` and `..` match the repository-name patterns (`[A-Za-z0-9._-]+`) but are no repository:
 * Octokit sends them as path segments and the URL parser resolves them, so a request meant for
 * `acme/..` goes to another endpoint (`POST /repos/acme/../issues` is sent as `POST /repos/issues`,
 * `acme/.` as `POST /repos/acme/issues`). GitHub answers those with 404 today, but the App should
 * never aim a write at a URL other than the one it means.
 */
function config(repository: string) {
  return `meetings:
  - id: hello
    name: Hello team
    schedule: { rrule: FREQ=WEEKLY;BYDAY=WE, start: 2026-01-07T16:00, zone: Europe/London }
    agenda: { label: hello-agenda, repos: [acme/wg] }
    actionItems: { repository: "${repository}" }
`;
}

describe("issue 13, adversarial: dot segments as repository names", () => {
  it("a plain repository name is taken (control)", () => {
    expect(parseConfigText(config("action-items")).ok).toBe(true);
  });

  // Guarded: a repository name made only of dots is refused, so it never becomes a dot segment of an API URL.
  it.each([".", ".."])("actionItems.repository %j is refused by the config schema", (name) => {
    expect(parseConfigText(config(name)).ok).toBe(false);
  });

  // Guarded: an item link or reference whose repository name is only dots is no agenda item.
  it("a link to github.com/acme/../issues/5 in the notes is no agenda item", () => {
    const notes = parseItemNotes(
      `# Meeting\n\n## Agenda\n\n### Something ([acme/..#5](https://github.com/acme/../issues/5))\n\n* notes\n* Decision: yes\n`,
      { meeting: "acme/wg:hello:2026-12-02" },
    );
    expect(notes.items.map((item) => item.repository)).not.toContain("acme/..");
  });

  it.each([".", "..", "..."])("agenda.repos acme/%s is refused by the config schema; acme/.github is taken", (name) => {
    const repos = (repo: string) => config("action-items").replace("repos: [acme/wg]", `repos: ["${repo}"]`);
    expect(parseConfigText(repos(`acme/${name}`)).ok).toBe(false);
    expect(parseConfigText(repos("acme/.github")).ok).toBe(true);
  });

  it.each([
    ["a reference", "### Something (acme/..#5)\n\n* notes\n"],
    ["a group heading", "### acme/..\n\n* Something #5\n  * notes\n"],
    ["a pull request URL", "### Something (https://github.com/acme/./pull/5)\n\n* notes\n"],
  ])("%s naming a repository of dots only is no agenda item", (_, agenda) => {
    const notes = parseItemNotes(`# Meeting\n\n## Agenda\n\n${agenda}`, { meeting: "acme/wg:hello:2026-12-02" });
    expect(notes.items).toEqual([]);
  });
});
