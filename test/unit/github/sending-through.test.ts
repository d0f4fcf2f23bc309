import { describe, expect, it } from "vitest";
import { sendingThrough, timedFetch, withDeadline } from "../../../src/github/request-deadline.js";

type Fetch = typeof globalThis.fetch;

/** A transport that never answers: it only ends when the request's signal does, with its reason. */
function silentTransport() {
  const calls: string[] = [];
  const fetch: Fetch = (input, init) => {
    calls.push(String(input));
    return new Promise((_resolve, reject) => {
      const signal = init?.signal;
      if (!signal) return; // never settles: the test's safety net would say so
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    });
  };
  return { fetch, calls };
}

const answering: Fetch = async () => new Response("{}");

describe("sendingThrough", () => {
  it("a client without a fetch of its own sends through the transport", () => {
    expect(sendingThrough(undefined, answering)).toBe(answering);
  });

  it("a client timing the global fetch gets the transport, timed the same", async () => {
    const current = timedFetch(20);
    const transport = silentTransport();
    const fetch = sendingThrough(current, transport.fetch);
    expect(fetch).not.toBe(current);
    expect(fetch).not.toBe(transport.fetch);

    // 20 ms is the client's timeout: a transport that never answers ends with a TimeoutError
    // (sent without a timeout, or with the default 20 s, the test would hang instead).
    const error = await fetch("https://api.github.com/installation/repositories").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe("TimeoutError");
    expect(transport.calls).toEqual(["https://api.github.com/installation/repositories"]);
    // Already timed: the client's request policy would not wrap it again.
    expect(timedFetch(20, fetch)).toBe(fetch);
  });

  it("the transport keeps the current deadline", async () => {
    const transport = silentTransport();
    const fetch = sendingThrough(timedFetch(600_000), transport.fetch);
    const controller = new AbortController();
    const reason = new DOMException("the tick's deadline passed", "AbortError");

    const pending = withDeadline(controller.signal, () => fetch("https://api.github.com/installation/repositories"));
    expect(transport.calls).toHaveLength(1);
    controller.abort(reason);

    await expect(pending).rejects.toBe(reason);
  });

  it("a client on a fetch of its own keeps it", () => {
    const custom: Fetch = async () => new Response("{}");
    expect(sendingThrough(custom, answering)).toBe(custom);
  });

  it("a client timing a fetch of its own keeps that timed fetch", () => {
    const custom: Fetch = async () => new Response("{}");
    const current = timedFetch(20, custom);
    expect(sendingThrough(current, answering)).toBe(current);
  });
});
