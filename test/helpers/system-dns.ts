import { isIP } from "node:net";

/**
 * The system resolver as every test sees it: test/helpers/setup.ts puts {@link stubbedLookup}
 * in place of `node:dns/promises`' `lookup`. A name fails (ENOTFOUND, as if DNS were off)
 * unless the test gave it addresses with {@link answerSystemDns}; the answers are forgotten
 * after each test. It lets a test reach the production wiring (no injected resolver) and still
 * decide what a name resolves to, without sending a DNS query.
 */
const answers = new Map<string, readonly string[]>();

/** From now until the end of the test, the system resolver answers `addresses` for `hostname`. */
export function answerSystemDns(hostname: string, addresses: readonly string[]): void {
  answers.set(hostname.toLowerCase(), addresses);
}

/** Forgets every answer (the setup calls it after each test). */
export function forgetSystemDns(): void {
  answers.clear();
}

/** `dns.promises.lookup` for tests: the given answers, else ENOTFOUND. */
export async function stubbedLookup(hostname: string, options?: { all?: boolean }): Promise<unknown> {
  const found = answers.get(hostname.toLowerCase()) ?? [];
  if (found.length === 0) {
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname} (DNS is off in tests)`), { code: "ENOTFOUND" });
  }
  const all = found.map((address) => ({ address, family: isIP(address) }));
  return options?.all ? all : all[0];
}
