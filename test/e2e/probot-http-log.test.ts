import { afterAll, beforeAll, describe, expect, it } from "vitest";
import wgMeetings from "../../src/index.js";
import { startWorld, type World } from "../../e2e/harness/world.js";

/**
 * Why the harness (and the production entry) must redact `req.headers.authorization`: Probot 14's
 * Server logs every request's headers at info level, so an unredacted logger writes the tick
 * route's bearer secret. If this test starts failing, Probot stopped doing that.
 */
let world: World;
beforeAll(async () => {
  world = await startWorld({ app: wgMeetings, logLevel: "info", redactAuthorization: false });
});
afterAll(async () => {
  await world?.close();
});

describe("e2e: Probot's request log", () => {
  it("writes the Authorization header of a tick request unless the logger redacts it", async () => {
    expect((await world.tick()).status).toBe(200);
    expect(world.logs.some((line) => line.includes(world.secrets.tickSecret))).toBe(true);
  });
});
