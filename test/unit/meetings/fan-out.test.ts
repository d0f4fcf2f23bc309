import { describe, expect, it, vi } from "vitest";
import type { Log } from "../../../src/github/client.js";
import { fanOutFromEnv, jobUrl, sendInstallationJob, type FanOut } from "../../../src/meetings/fan-out.js";
import { runLimitsFromEnv } from "../../../src/meetings/run-limits.js";

const log = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Log;
const SECRET = "the-tick-secret";

describe("fanOutFromEnv", () => {
  it("is off when WG_MEETINGS_FANOUT_URL is unset or empty", () => {
    expect(fanOutFromEnv({})).toBeNull();
    expect(fanOutFromEnv({ WG_MEETINGS_FANOUT_URL: "  " })).toBeNull();
    expect(runLimitsFromEnv({}).fanOut).toBeUndefined();
  });

  it("reads the Service URL, the concurrency (default 8) and the tick secret, which stays out of JSON", () => {
    const fanOut = fanOutFromEnv({ WG_MEETINGS_FANOUT_URL: "http://wg-meetings.ns.svc", WG_MEETINGS_TICK_SECRET: SECRET })!;
    expect(fanOut.url.href).toBe("http://wg-meetings.ns.svc/");
    expect(fanOut.concurrency).toBe(8);
    expect(fanOut.secret).toBe(SECRET);
    expect(JSON.stringify(fanOut)).not.toContain(SECRET);
    expect(runLimitsFromEnv({ WG_MEETINGS_FANOUT_URL: "https://x.example/base/", WG_MEETINGS_TICK_SECRET: SECRET, WG_MEETINGS_FANOUT_CONCURRENCY: "32" }).fanOut?.concurrency).toBe(32);
  });

  it.each([
    [{ WG_MEETINGS_FANOUT_URL: "wg-meetings.ns.svc", WG_MEETINGS_TICK_SECRET: SECRET }, /WG_MEETINGS_FANOUT_URL="wg-meetings.ns.svc" is not valid: not a URL/],
    [{ WG_MEETINGS_FANOUT_URL: "ftp://wg-meetings", WG_MEETINGS_TICK_SECRET: SECRET }, /use an http or https URL/],
    [{ WG_MEETINGS_FANOUT_URL: "http://u:p@wg-meetings", WG_MEETINGS_TICK_SECRET: SECRET }, /leave credentials out/],
    [{ WG_MEETINGS_FANOUT_URL: "http://wg-meetings/?a=1", WG_MEETINGS_TICK_SECRET: SECRET }, /leave out the query/],
    [{ WG_MEETINGS_FANOUT_URL: "http://wg-meetings" }, /WG_MEETINGS_TICK_SECRET is not/],
    [{ WG_MEETINGS_FANOUT_URL: "http://wg-meetings", WG_MEETINGS_TICK_SECRET: SECRET, WG_MEETINGS_FANOUT_CONCURRENCY: "0" }, /WG_MEETINGS_FANOUT_CONCURRENCY="0" is not valid/],
    [{ WG_MEETINGS_FANOUT_URL: "http://wg-meetings", WG_MEETINGS_TICK_SECRET: SECRET, WG_MEETINGS_FANOUT_CONCURRENCY: "4.5" }, /from 1 to 256/],
  ])("throws on %j", (env, message) => {
    expect(() => fanOutFromEnv(env)).toThrow(message);
    expect(() => runLimitsFromEnv(env)).toThrow(message);
  });

  it("sends a job to the tick route under the URL's path", () => {
    expect(jobUrl({ url: new URL("http://wg-meetings.ns.svc") }, 42).href).toBe("http://wg-meetings.ns.svc/wg-meetings/tick?installation=42");
    expect(jobUrl({ url: new URL("https://apps.example/meetings/") }, 7).href).toBe("https://apps.example/meetings/wg-meetings/tick?installation=7");
  });
});

describe("sendInstallationJob", () => {
  const fanOut = fanOutFromEnv({ WG_MEETINGS_FANOUT_URL: "http://wg-meetings.ns.svc", WG_MEETINGS_TICK_SECRET: SECRET }) as FanOut;
  const part = { repositories: 2, configured: 1, series: [], invalidConfigs: [], alarms: [], errors: [] };
  const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  const refused = () => Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });

  it("POSTs with the bearer secret and returns the installation's report", async () => {
    const fetch = vi.fn(async () => answer(207, part));
    const outcome = await sendInstallationJob(fanOut, 5, { timeoutMs: 1000, log, fetch });
    expect(outcome).toEqual({ status: "done", report: part, attempts: 1 });
    const [url, init] = fetch.mock.calls[0] as unknown as [URL, RequestInit];
    expect(String(url)).toBe("http://wg-meetings.ns.svc/wg-meetings/tick?installation=5");
    expect(init.method).toBe("POST");
    expect(init.headers).toMatchObject({ authorization: `Bearer ${SECRET}` });
  });

  it("sends again after a refused connection and a 503, waiting as told in between", async () => {
    const fetch = vi.fn().mockRejectedValueOnce(refused()).mockResolvedValueOnce(answer(503, {})).mockResolvedValueOnce(answer(200, part));
    const sleep = vi.fn(async () => {});
    const outcome = await sendInstallationJob(fanOut, 5, { timeoutMs: 1000, log, fetch, sleep, retryDelaysMs: [10, 20] });
    expect(outcome).toMatchObject({ status: "done", attempts: 3 });
    expect(sleep.mock.calls).toEqual([[10], [20]]);
  });

  it("gives up after the last attempt with the last reason", async () => {
    const fetch = vi.fn().mockRejectedValue(refused());
    const outcome = await sendInstallationJob(fanOut, 5, { timeoutMs: 1000, log, fetch, sleep: async () => {}, retryDelaysMs: [0, 0] });
    expect(outcome).toEqual({ status: "failed", error: "could not reach http://wg-meetings.ns.svc: ECONNREFUSED", attempts: 3 });
  });

  it.each([
    [401, { error: "missing or wrong bearer token" }, "the job answered 401: missing or wrong bearer token"],
    [400, { error: "installation must be one installation id: digits only" }, "the job answered 400: installation must be one installation id: digits only"],
    [501, { error: "this server cannot tick one installation" }, "the job answered 501: this server cannot tick one installation"],
    [200, { not: "a report" }, "the job answered 200 with a body that is not a tick report"],
  ])("does not send again after %i", async (status, body, error) => {
    const fetch = vi.fn(async () => answer(status, body));
    expect(await sendInstallationJob(fanOut, 5, { timeoutMs: 1000, log, fetch, sleep: async () => {} })).toEqual({ status: "failed", error, attempts: 1 });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("does not send again a job that outlasted its time (it has its own deadline)", async () => {
    const fetch = vi.fn(async () => {
      throw new DOMException("The operation was aborted due to timeout", "TimeoutError");
    });
    expect(await sendInstallationJob(fanOut, 5, { timeoutMs: 360_000, log, fetch, sleep: async () => {} })).toEqual({
      status: "failed",
      error: "the job did not answer within 360 s",
      attempts: 1,
    });
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
