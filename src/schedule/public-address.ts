import { lookup } from "node:dns/promises";
import { isIP } from "node:net";

/**
 * Whether an IP address is one the App must never fetch a config-supplied URL from: loopback,
 * private, link-local (cloud metadata), carrier-grade NAT, unspecified, multicast, and their
 * IPv6 forms (including IPv4-mapped ones).
 */
export function isNonPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const ip = mapped?.[1] ?? address;
  if (isIP(ip) === 4) {
    const [a = 0, b = 0] = ip.split(".").map(Number);
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      a >= 224
    );
  }
  const lower = ip.toLowerCase();
  return lower === "::" || lower === "::1" || /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower) || /^ff/.test(lower);
}

/**
 * Refuses a host whose name resolves to a non-public address (a feed URL pointing into the
 * App's own network). A name that does not resolve is left to the fetch, which fails on it
 * anyway. This does not stop DNS rebinding between this look-up and the connection; run the
 * App where its egress cannot reach internal services if feeds come from untrusted configs.
 */
export async function assertPublicHost(
  hostname: string,
  resolve: (host: string, options: { all: true }) => Promise<Array<{ address: string }>> = lookup,
): Promise<void> {
  let addresses: Array<{ address: string }>;
  try {
    addresses = await resolve(hostname, { all: true });
  } catch {
    return;
  }
  if (addresses.some(({ address }) => isNonPublicAddress(address))) {
    throw new Error(`feed URL must name a public host: ${hostname} resolves to a private or local address`);
  }
}
