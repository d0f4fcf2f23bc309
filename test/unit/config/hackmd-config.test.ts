import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../../src/config/load-config.js";

const series = (minutes: string) => `meetings:
  - id: security-team
    name: Security team
    schedule: "2026-08-04T13:00:00[America/Chicago]/P2W"
    agenda: { label: security-wg-agenda, repos: [nodejs/security-wg] }
    minutes:
${minutes.replace(/^/gm, "      ")}
`;

function parse(minutes: string) {
  const result = parseConfigText(series(minutes));
  return result.ok ? { minutes: result.config.meetings[0]!.minutes } : { errors: result.errors.map((error) => error.message) };
}

describe("minutes.doc: hackmd and the minutes.hackmd block", () => {
  it("takes hackmd beside google and none", () => {
    expect(parse("doc: hackmd").minutes).toMatchObject({ doc: "hackmd" });
    expect(parse("doc: hackmd").minutes?.hackmd).toBeUndefined();
  });

  it("fills the block's defaults from any key: the token's own workspace, anyone reads, signed-in users write and comment", () => {
    expect(parse("doc: hackmd\nhackmd: { team: nodejs-security }").minutes?.hackmd).toEqual({
      team: "nodejs-security",
      readPermission: "guest",
      writePermission: "signed_in",
      commentPermission: "signed_in_users",
    });
    expect(parse("doc: hackmd\nhackmd: { team: null }").minutes?.hackmd?.team).toBeNull();
  });

  it("takes every permission HackMD knows", () => {
    expect(parse("doc: hackmd\nhackmd: { readPermission: owner, writePermission: owner, commentPermission: disabled }").minutes?.hackmd).toEqual({
      team: null,
      readPermission: "owner",
      writePermission: "owner",
      commentPermission: "disabled",
    });
  });

  it.each([
    ["a team path that is a URL path", "hackmd: { team: a/b }", 'meetings[0].minutes.hackmd.team (line 8): expected a HackMD team path (the part after hackmd.io/team/), got "a/b"'],
    ["an unknown read permission", "hackmd: { readPermission: everyone }", 'meetings[0].minutes.hackmd.readPermission (line 8): expected one of "owner", "signed_in", "guest", got "everyone"'],
    ["an unknown comment permission", "hackmd: { commentPermission: all }", 'meetings[0].minutes.hackmd.commentPermission (line 8): expected one of "disabled", "forbidden", "owners", "signed_in_users", "everyone", got "all"'],
    [
      "writers a wider group than readers (HackMD refuses such a note)",
      "hackmd: { readPermission: owner }",
      "meetings[0].minutes.hackmd.writePermission (line 8): writePermission signed_in lets more people write than readPermission owner lets read: HackMD refuses such a note",
    ],
    ["an unknown key (a typo never turns a setting off)", "hackmd: { teem: nodejs }", "meetings[0].minutes.hackmd"],
  ])("refuses %s, naming the key", (_what, block, message) => {
    const errors = parse(`doc: hackmd\n${block}`).errors ?? [];
    expect(errors.length, JSON.stringify(errors)).toBe(1);
    expect(errors[0]).toContain(message);
  });

  it("says what it expected when minutes.doc is misspelled", () => {
    expect(parse("doc: hackmb").errors?.[0]).toContain('expected one of "none", "google", "hackmd", got "hackmb" (did you mean "hackmd"?)');
  });
});
