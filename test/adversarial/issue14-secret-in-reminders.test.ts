import { describe, expect, it } from "vitest";
import { formatConfigErrors } from "../../src/config/format-errors.js";
import { parseConfigText } from "../../src/config/load-config.js";

/**
 * Who does it: a config author who pastes the chat webhook into the `announce` block where a
 * lead time belongs. `.github/meetings.yml` is public, but its errors are repeated in more
 * places (the config check run, the invalid-config alarm issue, `validate`, the logs) that stay
 * after the file is fixed: the announce schema promises that a value looking like a URL or a
 * secret is refused without being repeated. A reminder's error quoted the duration parser's
 * message, which repeats the whole value.
 */

const SECRET = "s3cr3tT0kenValueXXXXXXXX";
const WEBHOOK = `https://hooks.slack.com/services/T0AAAA/B0BBBB/${SECRET}`;

function config(announce: string): string {
  return `meetings:
  - id: wg
    name: WG
    host: Acme
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=TH
      start: 2026-07-23T10:00
      zone: UTC
    agenda:
      label: wg-agenda
      orgs: [acme]
    announce:
${announce}
`;
}

function errorsOf(text: string): string {
  const result = parseConfigText(text);
  if (result.ok) throw new Error("expected the config to be refused");
  return formatConfigErrors(result.errors, ".github/meetings.yml", result.omitted);
}

describe("issue 14, adversarial: a chat secret pasted into announce.reminders", () => {
  it.each([
    ["a webhook URL", WEBHOOK],
    ["a Slack bot token", `xoxb-1234567890-${SECRET}`],
    ["a Matrix access token", `syt_${SECRET}`],
  ])("%s is refused with the words that say where it belongs, never repeated", (_what, value) => {
    const text = errorsOf(config(`      to: [acme-slack]\n      reminders: [PT1H, "${value}"]`));
    expect(text).toContain("meetings[0].announce.reminders[1]: looks like a URL or a secret");
    expect(text).toContain("WG_MEETINGS_CHAT");
    expect(text).not.toContain(SECRET);
  });

  it("a lead time that is merely wrong still says what was written", () => {
    expect(errorsOf(config("      to: [acme-slack]\n      reminders: [PT1X]"))).toContain('invalid ISO-8601 duration "PT1X"');
  });
});
