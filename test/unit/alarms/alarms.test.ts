import { describe, expect, it } from "vitest";
import { clearAlarm, raiseAlarm } from "../../../src/alarms/alarms.js";
import { alarmText, type AlarmContent } from "../../../src/alarms/alarm-text.js";
import type { GitHub } from "../../../src/github/client.js";
import type { AppIssue } from "../../../src/github/meeting-issues.js";

const BOT = "wg-meetings[bot]";
const REPO = { owner: "acme", repo: "tsc" };
const NOW = new Date("2026-11-30T17:00:00Z");
const CONTENT: AlarmContent = { scope: "series", series: "tsc", seriesName: "TSC", cause: "Cause A.", fix: ["Fix A."] };

/** Records every write; the use case must never list when given `issues`. */
function fakeGitHub() {
  const calls: Array<[string, Record<string, unknown>]> = [];
  const record = (name: string, data: object) => async (params: Record<string, unknown>) => {
    calls.push([name, params]);
    return { data };
  };
  const gh = {
    rest: {
      issues: {
        listForRepo: record("list", []),
        create: record("create", { number: 99, html_url: "https://github.com/acme/tsc/issues/99" }),
        update: record("update", {}),
        createComment: record("comment", {}),
      },
    },
  } as unknown as GitHub;
  return { gh, calls };
}

function issue(number: number, content: AlarmContent, fields: Partial<AppIssue> = {}): AppIssue {
  const text = alarmText(content);
  return { number, url: `https://github.com/acme/tsc/issues/${number}`, state: "open", title: text.title, body: text.body, author: BOT, ...fields };
}

describe("raiseAlarm and clearAlarm", () => {
  it("folds a duplicate (two runs raced) into the older alarm", async () => {
    const { gh, calls } = fakeGitHub();
    const result = await raiseAlarm(gh, REPO, { ...CONTENT, botLogin: BOT, now: NOW, issues: [issue(12, CONTENT), issue(10, CONTENT)] });
    expect(result).toEqual({ action: "unchanged", number: 10, url: "https://github.com/acme/tsc/issues/10" });
    expect(calls.map(([name, params]) => [name, params.issue_number])).toEqual([
      ["comment", 12],
      ["update", 12],
    ]);
    expect(calls[0]![1].body).toBe("Duplicate of #10, which tracks the same problem. Closing this one.");
    expect(calls[1]![1]).toMatchObject({ state: "closed", body: expect.stringContaining('"resolved":true') });
  });

  it("reopens an alarm a person closed once the problem is different, with a comment", async () => {
    const { gh, calls } = fakeGitHub();
    const changed = { ...CONTENT, cause: "Cause B." };
    const result = await raiseAlarm(gh, REPO, { ...changed, botLogin: BOT, now: NOW, issues: [issue(10, CONTENT, { state: "closed" })] });
    expect(result.action).toBe("reopened");
    expect(calls.map(([name]) => name)).toEqual(["update", "comment"]);
    expect(calls[0]![1]).toMatchObject({ state: "open", body: alarmText(changed).body });
    expect(calls[1]![1].body).toContain("Cause B.");
  });

  it("opens a new alarm when the last one was resolved by the App", async () => {
    const { gh, calls } = fakeGitHub();
    const resolved = issue(10, CONTENT, { state: "closed" });
    resolved.body = resolved.body.replace('"series":"tsc"}', '"series":"tsc","resolved":true}');
    const result = await raiseAlarm(gh, REPO, { ...CONTENT, botLogin: BOT, now: NOW, issues: [resolved] });
    expect(result).toEqual({ action: "opened", number: 99, url: "https://github.com/acme/tsc/issues/99" });
    expect(calls).toEqual([["create", { ...REPO, ...alarmText(CONTENT) }]]);
  });

  it("updates the text without a comment when only the fix changed", async () => {
    const { gh, calls } = fakeGitHub();
    const result = await raiseAlarm(gh, REPO, { ...CONTENT, fix: ["Fix B."], botLogin: BOT, now: NOW, issues: [issue(10, CONTENT)] });
    expect(result.action).toBe("updated");
    expect(calls.map(([name]) => name)).toEqual(["update"]);
  });

  it("clearing marks an alarm a person closed as resolved, silently, and reports none; no alarm means no request", async () => {
    const { gh, calls } = fakeGitHub();
    const resolvedBy = { number: 42, url: "https://github.com/acme/tsc/issues/42" };
    expect(await clearAlarm(gh, REPO, { scope: "series", series: "tsc", resolvedBy, botLogin: BOT, issues: [issue(10, CONTENT, { state: "closed" })] })).toEqual({
      action: "none",
    });
    expect(calls).toEqual([["update", { ...REPO, issue_number: 10, body: expect.stringContaining('"resolved":true') }]]);

    calls.length = 0;
    expect(await clearAlarm(gh, REPO, { scope: "series", series: "other", resolvedBy, botLogin: BOT, issues: [issue(10, CONTENT)] })).toEqual({ action: "none" });
    expect(calls).toEqual([]);
  });

  it("lists the App's issues itself when not given them", async () => {
    const { gh, calls } = fakeGitHub();
    await clearAlarm(gh, REPO, { scope: "config", resolvedBy: "config-valid", botLogin: BOT });
    expect(calls).toEqual([["list", { ...REPO, creator: BOT, state: "all", sort: "created", direction: "desc", per_page: 100 }]]);
  });
});
