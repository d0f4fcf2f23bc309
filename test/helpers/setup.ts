import nock from "nock";
import { afterEach, beforeAll, vi } from "vitest";

// nock stops HTTP, not DNS: the feed fetcher's public-address check would still send real DNS
// queries. In tests every name is unresolvable (the fetch itself is answered by nock).
vi.mock("node:dns/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:dns/promises")>();
  const lookup = async (hostname: string) => {
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname} (DNS is off in tests)`), { code: "ENOTFOUND" });
  };
  return { ...actual, lookup, default: { ...actual, lookup } };
});

// No test may reach the network; loopback servers started by a test are allowed.
beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith("127.0.0.1") || host.startsWith("localhost"));
});

afterEach(() => {
  nock.cleanAll();
});
