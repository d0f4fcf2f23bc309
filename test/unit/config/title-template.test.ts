import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../../src/config/load-config.js";

/** A minimal series whose `issue.title` is the only thing each case changes (line 12). */
function config(title: string): string {
  return `meetings:
  - id: security-wg
    name: Security team
    host: Node.js
    schedule:
      rrule: FREQ=WEEKLY;INTERVAL=2;BYDAY=TH
      start: 2022-07-21T10:00
      zone: America/New_York
    agenda:
      label: security-wg-agenda
      orgs: [nodejs]
    issue:
      title: ${JSON.stringify(title)}
`;
}

describe("issue.title is checked by the renderer's rules when the config is validated", () => {
  it.each([
    ["an inline partial", '{{#*inline "a"}}x{{/inline}}{{> a}}'],
    ["the log helper", "{{log host}} Meeting"],
    ["a partial", "{{> secrets}}"],
    ["an unknown helper", "{{shout host}}"],
    ["more tags than a title may have", "{{host}}".repeat(51)],
  ])("%s is an error at the title key, with its line", (_name, title) => {
    const result = parseConfigText(config(title), ".github/meetings.yml");
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    const error = errors.find((candidate) => candidate.path === "meetings[0].issue.title");
    expect(error, JSON.stringify(errors)).toBeDefined();
    expect(error?.line).toBe(13);
    expect(error?.message).toMatch(/not a title template the App renders/);
  });

  it("the default title and ordinary titles pass", () => {
    expect(parseConfigText(config("{{host}} {{name}} Meeting {{date}}"), "x").ok).toBe(true);
    expect(parseConfigText(config("{{#if host}}{{host}} {{/if}}{{name}} — {{date}}"), "x").ok).toBe(true);
  });
});
