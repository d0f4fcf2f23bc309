import { describe, expect, it } from "vitest";
import { announceSchema, SECRET_IN_CONFIG } from "../../../src/config/announce-schema.js";

const messages = (value: unknown) => {
  const parsed = announceSchema.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
};

describe("the announce block", () => {
  it("defaults to every moment and one reminder an hour before", () => {
    expect(announceSchema.parse({ to: ["nodejs-slack"] })).toEqual({
      to: ["nodejs-slack"],
      moments: ["opened", "reminder", "moved", "cancelled", "merged"],
      reminders: ["PT1H"],
      templates: {},
    });
  });

  it.each([
    "https://hooks.slack.com/services/T000/B000/XXXX",
    "hooks.slack.com/services/T0/B0/x",
    "xoxb-1234-abcd",
    "syt_bWF0cml4_abcdefghijklmnop",
    "wg-bot@zulipchat.com",
    "!room:matrix.org",
    "a1b2c3d4e5f6a7b8c9d0e1f2a3b4",
  ])("refuses %s as a name, saying where secrets belong without repeating it", (value) => {
    const errors = messages({ to: [value] });
    expect(errors).toEqual([`to.0: ${SECRET_IN_CONFIG}`]);
    expect(errors.join("\n")).not.toContain(value);
    expect(SECRET_IN_CONFIG).toContain("WG_MEETINGS_CHAT");
  });

  it("takes plain names, long words included", () => {
    expect(messages({ to: ["nodejs-slack", "openjs-discord", "security-wg-zulip", "nodejssecurityannouncements"] })).toEqual([]);
    for (const name of ["bad name", "Nodejs", "a.b", "a_b", "-a", "a-", "a".repeat(65)]) {
      expect(messages({ to: [name] })).toEqual(["to.0: expected a destination name as WG_MEETINGS_CHAT names it: lower-case letters, digits and '-' (not first or last), at most 64"]);
    }
  });

  it("takes at most 3 reminders, each at most 7 days before, without months or years", () => {
    expect(messages({ to: ["a"], reminders: ["P7D", "P1W", "PT15M"] })).toEqual([]);
    expect(messages({ to: ["a"], reminders: ["P1D", "PT1H", "PT5M", "PT1M"] })).toEqual(["reminders: list at most 3 reminders"]);
    expect(messages({ to: ["a"], reminders: ["P7DT1M"] })).toEqual(['reminders.0: reminder "P7DT1M" is more than 7 days before the meeting (at most P7D)']);
    expect(messages({ to: ["a"], reminders: ["P1M"] })).toEqual(['reminders.0: reminder "P1M": use weeks, days, hours or minutes (at most P7D)']);
    expect(messages({ to: ["a"], reminders: ["1h"] })[0]).toMatch(/^reminders\.0: invalid ISO-8601 duration/);
  });

  it("refuses unknown moments and keys, repeated names, and template paths outside .github/", () => {
    expect(messages({ to: ["a"], moments: ["opened", "started"] })[0]).toMatch(/^moments\.1:/);
    expect(messages({ to: ["a", "a"] })).toEqual(["to: a destination is named twice"]);
    expect(messages({ to: ["a"], webhook: "x" })[0]).toMatch(/webhook/);
    expect(messages({ to: ["a"], templates: { opened: ".github/announce/opened.md.hbs" } })).toEqual([]);
    expect(messages({ to: ["a"], templates: { opened: "../secrets.hbs" } })).toHaveLength(1);
    expect(messages({ to: ["a"], templates: { opened: ".github/../x.hbs" } })).toHaveLength(1);
  });
});
