import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_ID, SAMPLE_CONFIG } from "../../e2e/harness/github.js";
import { startServerProcess, type ServerProcess } from "../../e2e/harness/server-process.js";
import { meetingIssues } from "../../e2e/harness/steps.js";
import { startWorld, waitFor, type World } from "../../e2e/harness/world.js";

/**
 * Any number of replicas is safe: two real server processes (`node lib/server.js`, as the image
 * runs it) tick on their own short interval against the e2e world. The test calls no tick route
 * and sends no webhook to them; it only waits until the meeting is open and both have finished
 * at least two ticks, then finds exactly one meeting issue and one minutes doc: the claim refs
 * let one of them open it.
 */
const ROOT = new URL("../../", import.meta.url).pathname;
const ENTRY = `${ROOT}lib/server.js`;
const REPLICAS = 2;

let world: World;
const replicas: ServerProcess[] = [];

beforeAll(async () => {
  if (!existsSync(`${ROOT}lib/meetings/tick-scheduler.js`)) throw new Error("lib/ is missing or stale: run `npm run build` first");
  // The world's own in-process server gets an empty app: here the replicas are the App.
  world = await startWorld({ app: () => {} });
}, 30_000);

afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.stop()));
  await world?.close();
}, 30_000);

/**
 * The sample config with its daily meeting moved 5–6 hours ahead of now: due at once (two days'
 * lead time), and the same occurrence for the whole test, whatever the time of day it runs.
 */
function configDueSoon(now: Date): string {
  const start = new Date(now.getTime() - 18 * 3_600_000);
  const local = `${start.toISOString().slice(0, 13)}:00`;
  const config = SAMPLE_CONFIG.replace(/^(\s+start:) \S+$/m, `$1 ${local}`);
  if (config === SAMPLE_CONFIG || !/^\s+zone: UTC$/m.test(config)) throw new Error("SAMPLE_CONFIG changed shape: update configDueSoon");
  return config;
}

const summaries = (replica: ServerProcess) => replica.logs.filter((line) => line.msg === "tick finished");

describe("e2e: replicas that tick by themselves", () => {
  it("two server processes on a short interval open exactly one meeting issue and one doc", async () => {
    await world.commitConfig(configDueSoon(new Date()));

    const front = new URL(world.front.url);
    for (let i = 1; i <= REPLICAS; i++) {
      replicas.push(
        await startServerProcess({
          name: `replica-${i}`,
          entry: ENTRY,
          env: {
            NODE_ENV: "production",
            APP_ID: String(APP_ID),
            PRIVATE_KEY: world.secrets.privateKey,
            WEBHOOK_SECRET: world.secrets.webhookSecret,
            // Probot builds REST <host>/api/v3 and GraphQL <host>/api/graphql from these: the front server.
            GHE_HOST: front.host,
            GHE_PROTOCOL: "http",
            GOOGLE_CREDENTIALS_JSON: world.secrets.googleKeyJson,
            WG_MEETINGS_GOOGLE_ROOT_URL: world.google.url,
            WG_MEETINGS_TICK_INTERVAL: "PT2S",
            LOG_FORMAT: "json",
            LOG_LEVEL: "info",
          },
        }),
      );
    }

    // Generous safety net only: each process ticks every 2 s (±10%) once a tick has finished.
    await waitFor(
      "a meeting issue and two finished ticks from each replica",
      async () => replicas.every((replica) => summaries(replica).length >= 2) && (await meetingIssues(world)).length > 0,
      180_000,
    ).catch((error: Error) => {
      const tails = replicas.map((replica) => `--- ${replica.name}\n${replica.output().split("\n").slice(-40).join("\n")}`);
      throw new Error(`${error.message}\n${tails.join("\n")}`);
    });

    expect(await meetingIssues(world)).toHaveLength(1);
    expect(world.google.docs.size).toBe(1);
    const all = replicas.flatMap(summaries);
    for (const summary of all) {
      expect(summary).toMatchObject({ trigger: "interval", dryRun: false, installations: 1, configured: 1, series: 1, failed: 0, errors: 0 });
    }
    // One replica opened it; every other tick found it open, or its claim taken.
    expect(all.reduce((sum, line) => sum + line.created, 0)).toBe(1);
    expect(all.reduce((sum, line) => sum + line.docsCreated, 0)).toBe(1);
    for (const replica of replicas) {
      expect(replica.logs.filter((line) => line.msg === "tick failed"), replica.output()).toEqual([]);
      expect(replica.logs.find((line) => line.msg?.startsWith("self-tick on"))).toMatchObject({ interval: "PT2S" });
      // The summary is counts only, and nothing in the logs holds a key or a secret.
      const pem = world.secrets.privateKey.split("\n").filter((line) => line && !line.startsWith("-----"));
      for (const needle of [world.secrets.webhookSecret, ...pem]) expect(replica.output()).not.toContain(needle);
    }
  }, 240_000);
});
