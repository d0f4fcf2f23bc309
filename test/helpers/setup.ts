import nock from "nock";
import { afterEach, beforeAll } from "vitest";

// No test may reach the network; loopback servers started by a test are allowed.
beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith("127.0.0.1") || host.startsWith("localhost"));
});

afterEach(() => {
  nock.cleanAll();
});
