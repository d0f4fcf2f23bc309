// @date-fns/tz's TZDate subclasses the global Date when its module is evaluated. The App loads it
// on first use, not at start-up, and in a test that can be while vi.useFakeTimers fakes Date: the
// zone arithmetic would then run on the fake (every zone showing the machine's local time).
// Loading it here, before any test, gives it the real Date, as in production.
import "@date-fns/tz";
import nock from "nock";
import { afterEach, beforeAll, vi } from "vitest";
import { forgetSystemDns } from "./system-dns.js";

// nock stops HTTP, not DNS: the feed fetcher's public-address check would still send real DNS
// queries. In tests every name is unresolvable (the fetch itself is answered by nock), unless a
// test answers it with answerSystemDns (test/helpers/system-dns.ts).
vi.mock("node:dns/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:dns/promises")>();
  const { stubbedLookup } = await import("./system-dns.js");
  const lookup = stubbedLookup as typeof actual.lookup;
  return { ...actual, lookup, default: { ...actual, lookup } };
});

// No test may reach the network; loopback servers started by a test are allowed.
beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith("127.0.0.1") || host.startsWith("localhost"));
});

afterEach(() => {
  nock.cleanAll();
  forgetSystemDns();
});
