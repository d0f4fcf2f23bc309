import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../../src/config/load-config.js";

/**
 * `.github/meetings.yml` is public, and its errors reach a public check run, the alarm issue and
 * `validate`'s output. A webhook URL or token pasted where the config takes only a name is
 * refused without being repeated.
 */
const WEBHOOK = "https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/cccccccccccccccccccccccc";
const TOKEN = "3F9A6C1E0B7D4A2F8E5C9B1D7A3E6F0C2B8D4A9E";

const config = (extra: string) => `meetings:
  - id: security-team
    name: Security team
    schedule: "2026-08-04T13:00:00[America/Chicago]/P2W"
    agenda: { label: security-wg-agenda, repos: [nodejs/security-wg] }
${extra.replace(/^/gm, "    ")}
`;

function errorsOf(extra: string): string[] {
  const result = parseConfigText(config(extra));
  return result.ok ? [] : result.errors.map((error) => error.message);
}

describe("a secret pasted into the public config is refused and never repeated", () => {
  it.each([
    ["a webhook URL as announce.to, a string where a list belongs", `announce:\n  to: ${WEBHOOK}`, "meetings[0].announce.to"],
    ["a webhook URL as the whole announce value", `announce: ${WEBHOOK}`, "meetings[0].announce"],
    ["a webhook URL as announce.moments", `announce:\n  to: [nodejs-slack]\n  moments: ${WEBHOOK}`, "meetings[0].announce.moments"],
    ["a webhook URL among announce.moments", `announce:\n  to: [nodejs-slack]\n  moments: [${WEBHOOK}]`, "meetings[0].announce.moments[0]"],
    ["a HackMD token as minutes.hackmd.team", `minutes:\n  doc: hackmd\n  hackmd: { team: ${TOKEN} }`, "meetings[0].minutes.hackmd.team"],
    ["a URL as minutes.hackmd.team", `minutes:\n  doc: hackmd\n  hackmd: { team: "https://hackmd.io/team/x?token=${TOKEN}" }`, "meetings[0].minutes.hackmd.team"],
  ])("%s", (_what, extra, key) => {
    const errors = errorsOf(extra);
    expect(errors.length, JSON.stringify(errors)).toBeGreaterThan(0);
    expect(errors.some((error) => error.startsWith(key))).toBe(true);
    for (const error of errors) {
      expect(error).not.toContain("hooks.slack.com");
      expect(error).not.toContain("cccccccccccc");
      expect(error).not.toContain(TOKEN);
    }
  });

  it("still repeats an ordinary wrong value elsewhere, so a typo is easy to find", () => {
    const errors = errorsOf("announce:\n  to: [nodejs-slack]\n  moments: [opend]");
    expect(errors.join("\n")).toContain('got "opend"');
  });
});
