import nock from "nock";
import { onTestFinished } from "vitest";

/**
 * Every request no nock interceptor answered, as `METHOD host/path`, collected from nock's
 * `no match` event. With the network off such a request also fails, but the code under test
 * may swallow that failure; this list cannot be swallowed. Asserting it is empty is how a test
 * says "this sent nothing" (an empty scope's `pendingMocks()` is always empty, whatever happened).
 * Call it inside a test (or its beforeEach): the listener is removed when that test finishes.
 */
export function recordUnmatched(): string[] {
  const requests: string[] = [];
  const onNoMatch = (req: { method?: string; hostname?: string; host?: string; path?: string }) => {
    requests.push(`${req.method ?? "?"} ${req.hostname ?? req.host ?? ""}${req.path ?? ""}`);
  };
  nock.emitter.on("no match", onNoMatch);
  onTestFinished(() => {
    nock.emitter.removeListener("no match", onNoMatch);
  });
  return requests;
}
