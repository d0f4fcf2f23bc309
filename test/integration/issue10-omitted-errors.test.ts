import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import { runTick } from "../../src/meetings/tick.js";
import { API, installedRepo, mockApp, mockToken } from "../helpers/github.js";
import { createTestProbot } from "../helpers/probot.js";

/**
 * Issue 10: every report of an invalid config lists its first 50 errors and says how many it
 * left out, in the same words: the tick's report and log line, the config alarm, `preview`.
 */
const SERIES = `meetings:
  - id: wg
    name: Web team
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=WE
      start: 2026-01-07T16:00
      zone: Europe/London
    agenda:
      label: web-agenda
      orgs: [acme]
`;
/** 2,000 unknown top-level keys: 2,000 errors, 50 listed, 1,950 counted. */
const BROKEN = SERIES + Array.from({ length: 2000 }, (_, i) => `unknown${i}: 0\n`).join("");
const MORE = "… and 1,950 more errors (the first 50 are listed; fix them and check again)";
const NOW = new Date("2026-11-30T17:00:00Z");
const BOT = "wg-meetings[bot]";

function content(text: string) {
  return { type: "file", encoding: "base64", content: Buffer.from(text).toString("base64") };
}

describe("issue 10: the omitted-errors count reaches every report of an invalid config", () => {
  it("a tick over a config with 2,000 errors: the report, the log line and the config alarm say 1,950 more", async () => {
    const scope = nock(API);
    mockApp(scope);
    mockToken(scope, 9);
    scope.get("/repos/acme/web").reply(200, installedRepo("acme/web"));
    scope.get("/repos/acme/web/contents/.github%2Fmeetings.yml").reply(200, content(BROKEN));
    scope
      .get("/repos/acme/web/issues")
      .query({ creator: BOT, state: "all", sort: "created", direction: "desc", per_page: "100" })
      .reply(200, []);
    let alarm: { title: string; body: string } | undefined;
    scope.post("/repos/acme/web/issues", (body) => ((alarm = body), true)).reply(201, { number: 3, html_url: "https://github.com/acme/web/issues/3" });

    const { probot, logs } = await createTestProbot();
    const report = await runTick({ auth: (id) => probot.auth(id), log: probot.log }, { now: NOW, installationId: 9, repository: "acme/web" });

    expect(scope.isDone()).toBe(true);
    expect(report.invalidConfigs).toHaveLength(1);
    expect(report.invalidConfigs[0]!.errors).toHaveLength(50);
    expect(report.invalidConfigs[0]!.omitted).toBe(1950);
    const warning = logs.find((line) => line.msg === "skipped: invalid .github/meetings.yml");
    expect(warning).toMatchObject({ repo: "acme/web", omitted: 1950 });

    expect(alarm!.title).toBe("wg-meetings cannot read .github/meetings.yml: no meeting opens");
    expect(alarm!.body).toContain("- The file has 2,000 errors:\n");
    expect(alarm!.body).toContain(`  - ${MORE}\n`);
    expect(alarm!.body.match(/^ {2}- \[Line \d+\]/gm)).toHaveLength(50);
  });

  it("preview of the same config prints the 50 errors and the count line, like validate", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wg-issue10-"));
    const file = join(dir, "meetings.yml");
    writeFileSync(file, BROKEN);
    let err = "";
    const code = await main(["preview", "--config", file], { out: () => undefined, err: (text) => (err += text), env: {} });

    expect(code).not.toBe(0);
    const lines = err.trimEnd().split("\n");
    expect(lines).toHaveLength(51);
    expect(lines.at(-1)).toBe(`${file}: ${MORE}`);
  });
});
