import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_ID, hackmdSampleConfig } from "../../e2e/harness/github.js";
import { startServerProcess, type ServerProcess } from "../../e2e/harness/server-process.js";
import { meetingIssues } from "../../e2e/harness/steps.js";
import { HACKMD_TEAM, startWorld, waitFor, type World } from "../../e2e/harness/world.js";

/**
 * Two replicas with HackMD and chat: two real server processes (`node lib/server.js`, as the
 * image runs it) tick on their own short interval against the e2e world, the HackMD stand-in
 * and the chat receiver. Nothing calls the tick route (in one process concurrent route ticks
 * join each other; only separate processes race). Once the meeting is open and each replica
 * has finished at least two ticks: exactly one issue, one HackMD note linked both ways, and
 * one message to the Slack destination. The claims (the issue's, the note's, the
 * announcement's) let one replica do each.
 */
const ROOT = new URL("../../", import.meta.url).pathname;
const ENTRY = `${ROOT}lib/server.js`;
const REPLICAS = 2;
const SLACK = "acme-slack";

let world: World;
const replicas: ServerProcess[] = [];

beforeAll(async () => {
  if (!existsSync(`${ROOT}lib/hackmd/load-hackmd.js`) || !existsSync(`${ROOT}lib/announce/announce-meeting.js`)) {
    throw new Error("lib/ is missing or stale: run `npm run build` first");
  }
  // The world's own in-process server gets an empty app: here the replicas are the App.
  world = await startWorld({ app: () => {}, hackmd: {}, chat: { [SLACK]: "slack" } });
}, 30_000);

afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.stop()));
  await world?.close();
}, 30_000);

/**
 * The HackMD sample config with its daily meeting 5–6 hours ahead of now (see self-tick.test.ts):
 * due at once, the same occurrence for the whole test, and more than the reminder's hour away,
 * so the one message due is `opened`.
 */
function configDueSoon(now: Date): string {
  const base = hackmdSampleConfig(HACKMD_TEAM, { to: [SLACK] });
  const start = new Date(now.getTime() - 18 * 3_600_000);
  const config = base.replace(/^(\s+start:) \S+$/m, `$1 ${start.toISOString().slice(0, 13)}:00`);
  if (config === base || !/^\s+zone: UTC$/m.test(config)) throw new Error("SAMPLE_CONFIG changed shape: update configDueSoon");
  return config;
}

const summaries = (replica: ServerProcess) => replica.logs.filter((line) => line.msg === "tick finished");

describe("e2e: replicas with HackMD and chat", () => {
  it("two server processes ticking by themselves open one issue, one note and post one message", async () => {
    await world.commitConfig(configDueSoon(new Date()));
    const hackmd = world.hackmd!;
    const chat = world.chat!;

    const front = new URL(world.front.url);
    for (let i = 1; i <= REPLICAS; i++) {
      replicas.push(
        await startServerProcess({
          name: `hackmd-replica-${i}`,
          entry: ENTRY,
          env: {
            NODE_ENV: "production",
            APP_ID: String(APP_ID),
            PRIVATE_KEY: world.secrets.privateKey,
            WEBHOOK_SECRET: world.secrets.webhookSecret,
            GHE_HOST: front.host,
            GHE_PROTOCOL: "http",
            HACKMD_API_TOKEN: hackmd.token,
            WG_MEETINGS_HACKMD_API_URL: hackmd.url,
            WG_MEETINGS_HACKMD_ALLOW: `acme=team:${HACKMD_TEAM}`,
            WG_MEETINGS_CHAT: world.secrets.chatEnv!,
            WG_MEETINGS_CHAT_ROOT_URL: chat.url,
            WG_MEETINGS_TICK_INTERVAL: "PT2S",
            LOG_FORMAT: "json",
            LOG_LEVEL: "info",
          },
        }),
      );
    }

    // Generous safety net only: each process ticks every 2 s (±10%) once a tick has finished.
    await waitFor(
      "a meeting issue, its note, the announcement and two finished ticks from each replica",
      async () => replicas.every((replica) => summaries(replica).length >= 2) && (await meetingIssues(world)).length > 0 && chat.to(SLACK).length > 0,
      180_000,
    ).catch((error: Error) => {
      const tails = replicas.map((replica) => `--- ${replica.name}\n${replica.output().split("\n").slice(-40).join("\n")}`);
      throw new Error(`${error.message}\n${tails.join("\n")}`);
    });

    const issues = await meetingIssues(world);
    expect(issues).toHaveLength(1);
    expect(hackmd.notes.size).toBe(1);
    const note = [...hackmd.notes.values()][0]!;
    expect(issues[0].body).toContain(note.id);
    expect(note.content).toContain(issues[0].html_url);
    expect(chat.to(SLACK)).toHaveLength(1);
    expect(chat.to(SLACK)[0]!.text).toContain(issues[0].html_url);
    expect(hackmd.rejected).toEqual([]);
    expect(chat.rejected).toEqual([]);

    const all = replicas.flatMap(summaries);
    expect(all.reduce((sum, line) => sum + line.created, 0)).toBe(1);
    for (const replica of replicas) {
      expect(replica.logs.filter((line) => line.msg === "tick failed"), replica.output()).toEqual([]);
      // Neither the HackMD token nor the webhook's secret is in anything a replica wrote.
      expect(replica.output()).not.toContain(hackmd.token);
      const hook = (JSON.parse(world.secrets.chatEnv!) as Record<string, { url: string }>)[SLACK]!.url;
      expect(replica.output()).not.toContain(new URL(hook).pathname.split("/").at(-1)!);
    }
  }, 240_000);
});
