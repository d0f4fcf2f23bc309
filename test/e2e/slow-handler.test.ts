import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApplicationFunction } from "probot";
import { MEETINGS_REPO, USERS } from "../../e2e/harness/github.js";
import { startWorld, waitFor, type World } from "../../e2e/harness/world.js";

/**
 * The harness on a busy machine: Probot answers a webhook 202 "still processing" once the
 * App's handlers have run for 9 s, so the HTTP answer alone does not say that the App finished.
 * The front server records a delivery only when its handlers did. Here a handler holds on
 * until Probot has answered 202 (seen in Probot's request log), for real: this test takes 9 s.
 */
let world: World;
let release: () => void = () => {};
const held = new Promise<void>((resolve) => (release = resolve));
let finished = false;

const slowApp: ApplicationFunction = (app) => {
  app.on("issues.opened", async () => {
    await held;
    finished = true;
  });
};

beforeAll(async () => {
  world = await startWorld({ app: slowApp, logLevel: "info" });
});
afterAll(async () => {
  release();
  await world?.close();
});

describe("e2e harness: a delivery the App takes longer than Probot's 9 s with", () => {
  it("is recorded once the handler finished, with the status it finished with", async () => {
    await world.github.api(USERS.owner, "POST", `/repos/${MEETINGS_REPO}/issues`, { title: "Held up" });
    const answered202 = () => world.logs.some((line) => line.includes('"statusCode":202') && line.includes("/api/github/webhooks"));
    await waitFor("Probot's 202 answer", answered202);
    const delivery = world.front.deliveries.find((d) => d.event === "issues");
    expect(delivery?.status).toBe(0);

    release();
    const done = await waitFor("the delivery to be recorded", () => world.front.deliveries.find((d) => d.event === "issues" && d.status !== 0));
    expect(finished).toBe(true);
    expect(done.status).toBe(200);
  });
});
