import { describe, expect, it } from "vitest";
import {
  hackmdAllowListWarning,
  isWorkspaceAllowed,
  notAllowedMessage,
  parseHackmdAllowList,
  readHackmdAllowList,
  requireWorkspaceAllowed,
} from "../../../src/hackmd/allow-list.js";
import { hackmdSettingsProblem } from "../../../src/hackmd/permissions.js";
import { MinutesDocError } from "../../../src/minutes-doc/backend.js";

describe("WG_MEETINGS_HACKMD_ALLOW", () => {
  it("reads team:PATH and personal entries, for any owner or after OWNER=", () => {
    expect(parseHackmdAllowList(" nodejs=team:nodejs-security,octo-org=personal\n team:shared.notes personal ")).toEqual({
      mode: "listed",
      entries: [
        { team: "nodejs-security", owner: "nodejs" },
        { team: null, owner: "octo-org" },
        { team: "shared.notes", owner: null },
        { team: null, owner: null },
      ],
    });
  });

  it("is unrestricted when unset or empty, and everything on purpose with *", () => {
    expect(parseHackmdAllowList(undefined).mode).toBe("unset");
    expect(parseHackmdAllowList("  ").mode).toBe("unset");
    expect(parseHackmdAllowList("*")).toEqual({ mode: "everything", entries: [] });
    expect(hackmdAllowListWarning(parseHackmdAllowList(undefined))).toMatch(/^WG_MEETINGS_HACKMD_ALLOW is not set: any installation's config may use any HackMD team workspace/);
    expect(hackmdAllowListWarning(parseHackmdAllowList("*"))).toBeNull();
  });

  it("refuses malformed entries, naming the variable and the entry", () => {
    expect(() => parseHackmdAllowList("*, team:x")).toThrow('WG_MEETINGS_HACKMD_ALLOW: "*" allows everything and cannot be combined with entries');
    expect(() => parseHackmdAllowList("team:ok folder:1AbC")).toThrow('WG_MEETINGS_HACKMD_ALLOW: entry 2 ("folder:1AbC"): expected team:PATH or personal, optionally after OWNER=');
    expect(() => parseHackmdAllowList("-bad-=team:x")).toThrow('entry 1 ("-bad-=team:x"): "-bad-" before "=" is not a GitHub owner name');
    expect(() => parseHackmdAllowList("team:..")).toThrow('entry 1 ("team:.."): ".." is not a HackMD team path');
    expect(() => parseHackmdAllowList("team:a/b")).toThrow("is not a HackMD team path");
    expect(() => parseHackmdAllowList("team:")).toThrow("is not a HackMD team path");
  });

  it("is read from the environment", () => {
    expect(readHackmdAllowList({ WG_MEETINGS_HACKMD_ALLOW: "acme=team:acme" }).entries).toEqual([{ team: "acme", owner: "acme" }]);
    expect(readHackmdAllowList({}).mode).toBe("unset");
  });

  it("allows a workspace only as named: team paths and owners in any case, personal apart from teams", () => {
    const list = parseHackmdAllowList("nodejs=team:nodejs-security, octo-org=personal, team:shared");
    expect(isWorkspaceAllowed(list, "nodejs-security", "nodejs")).toBe(true);
    expect(isWorkspaceAllowed(list, "NodeJS-Security", "NodeJS")).toBe(true);
    expect(isWorkspaceAllowed(list, "nodejs-security", "acme")).toBe(false);
    expect(isWorkspaceAllowed(list, "nodejs-security", null)).toBe(false);
    expect(isWorkspaceAllowed(list, null, "octo-org")).toBe(true);
    expect(isWorkspaceAllowed(list, null, "nodejs")).toBe(false);
    expect(isWorkspaceAllowed(list, "shared", "anyone")).toBe(true);
    expect(isWorkspaceAllowed(list, "shared", null)).toBe(true);
    expect(isWorkspaceAllowed(list, "personal", "octo-org")).toBe(false);
    expect(isWorkspaceAllowed(parseHackmdAllowList("*"), "any", "acme")).toBe(true);
    expect(isWorkspaceAllowed(parseHackmdAllowList(""), null, "acme")).toBe(true);
  });

  it("refuses with kind not-allowed and a message that tells nothing of other owners' entries", () => {
    const list = parseHackmdAllowList("nodejs=team:nodejs-security");
    let error: unknown;
    try {
      requireWorkspaceAllowed(list, "nodejs-security", "acme");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MinutesDocError);
    expect(error).toMatchObject({ kind: "not-allowed" });
    expect((error as Error).message).not.toContain("nodejs=");
    expect(notAllowedMessage("t", null)).toBe(
      "HackMD team t is not on the App's HackMD allow-list, so the App did not use it: ask the App's operator to add team:t to WG_MEETINGS_HACKMD_ALLOW, or use a workspace they allow",
    );
  });
});

describe("hackmdSettingsProblem", () => {
  const base = { team: "t", readPermission: "guest", writePermission: "signed_in", commentPermission: "signed_in_users" } as const;

  it("accepts writers no wider than readers", () => {
    expect(hackmdSettingsProblem(base)).toBeNull();
    expect(hackmdSettingsProblem({ ...base, readPermission: "owner", writePermission: "owner" })).toBeNull();
    expect(hackmdSettingsProblem({ ...base, team: null, writePermission: "guest" })).toBeNull();
  });

  it("refuses writers wider than readers, and a team that is no HackMD path", () => {
    expect(hackmdSettingsProblem({ ...base, readPermission: "owner", writePermission: "signed_in" })).toBe(
      "minutes.hackmd.writePermission signed_in lets more people write than readPermission owner lets read, which HackMD refuses",
    );
    expect(hackmdSettingsProblem({ ...base, team: "../me" })).toBe('minutes.hackmd.team "../me" is not a HackMD team path (letters, digits, ".", "_" and "-")');
  });
});
