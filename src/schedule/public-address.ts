import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

/** An address the feed fetcher may open a socket to, in the form the socket takes. */
export interface VettedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address of a host name, as `dns.lookup(name, { all: true })` answers. */
export type Resolve = (hostname: string) => Promise<ReadonlyArray<{ address: string }>>;

/**
 * The system resolver (getaddrinfo, as for any other connection of the process), through
 * `node:dns/promises`: the module the test setup replaces with a resolver that always fails.
 */
export const systemResolve: Resolve = (hostname) => lookup(hostname, { all: true, verbatim: true });

/** IANA's global unicast block; ipaddr.js calls everything it has no name for "unicast", `::127.0.0.1` included. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR("2000::/3");
/** NAT64's well-known prefix (RFC 6052): what DNS64 answers for an IPv4-only host on an IPv6-only network. */
const NAT64_WELL_KNOWN = ipaddr.parseCIDR("64:ff9b::/96");

/**
 * The address to connect to when `text` is a global unicast address, else null. ipaddr.js
 * classifies; anything it names (loopback, private, carrier-grade NAT, link-local, multicast,
 * broadcast, reserved, benchmarking, unique-local, site-local, 6to4, Teredo, …) is refused, and
 * so is an IPv6 address outside 2000::/3. Two forms carry an IPv4 address and are judged by it:
 * IPv4-mapped (`::ffff:7f00:1` is 127.0.0.1, connected to as IPv4) and NAT64's `64:ff9b::/96`.
 * 6to4 and Teredo are refused outright: no feed server needs them.
 */
export function vetAddress(text: string): VettedAddress | null {
  // node:net's test keeps out the forms ipaddr.js also parses (`0x7f.1`, `127.1`).
  const family = isIP(text);
  if (family === 4) {
    const v4 = ipaddr.IPv4.parse(text);
    return globalIpv4(v4) ? { address: v4.toString(), family: 4 } : null;
  }
  if (family !== 6) return null;
  const v6 = canonicalIpv6(text);
  if (v6 === null) return null;
  switch (v6.range()) {
    case "ipv4Mapped": {
      const v4 = v6.toIPv4Address();
      return globalIpv4(v4) ? { address: v4.toString(), family: 4 } : null;
    }
    case "rfc6052": {
      if (!v6.match(NAT64_WELL_KNOWN)) return null;
      const embedded = new ipaddr.IPv4(v6.toByteArray().slice(12));
      return globalIpv4(embedded) ? { address: v6.toString(), family: 6 } : null;
    }
    case "unicast":
      return v6.match(GLOBAL_UNICAST_V6) ? { address: v6.toString(), family: 6 } : null;
    default:
      return null;
  }
}

/** Whether the App may open a socket to this address (see {@link vetAddress}). */
export function isPublicAddress(text: string): boolean {
  return vetAddress(text) !== null;
}

/**
 * The IPv6 address in `text`, read through the URL parser first: ipaddr.js reads the dotted
 * IPv4-compatible form `::127.0.0.1` as if it were IPv4-mapped `::ffff:127.0.0.1`, a different
 * address. A zone (`fe80::1%eth0`) is no URL host, so it is refused here too.
 */
function canonicalIpv6(text: string): ipaddr.IPv6 | null {
  let host: string;
  try {
    host = new URL(`http://[${text}]/`).hostname.slice(1, -1);
  } catch {
    return null;
  }
  return ipaddr.IPv6.isValid(host) ? ipaddr.IPv6.parse(host) : null;
}

function globalIpv4(address: ipaddr.IPv4): boolean {
  return address.range() === "unicast";
}

/**
 * Why a host's addresses were refused. The message names the host and the address: it is for
 * the operator's log only, because whether an internal name resolves, and to what, is exactly
 * what a config author must not learn.
 */
export class AddressRefusedError extends Error {
  override name = "AddressRefusedError";
}

/**
 * Looks `hostname` up once and returns its addresses when every one passes `vet`; throws
 * {@link AddressRefusedError} otherwise, and when the look-up fails or finds nothing (fail
 * closed). One bad address refuses the name: a rebinding answer mixes a public address with
 * an internal one. The caller connects to these addresses only, never to the name again.
 */
export async function vettedAddresses(
  hostname: string,
  resolve: Resolve = systemResolve,
  vet: (address: string) => VettedAddress | null = vetAddress,
): Promise<VettedAddress[]> {
  let answers: ReadonlyArray<{ address: string }>;
  try {
    answers = await resolve(hostname);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new AddressRefusedError(`look-up of ${hostname} failed (${typeof code === "string" ? code : (error as Error).message})`);
  }
  if (answers.length === 0) throw new AddressRefusedError(`look-up of ${hostname} found no address`);
  const vetted = new Map<string, VettedAddress>();
  for (const { address } of answers) {
    const ok = vet(address);
    if (ok === null) throw new AddressRefusedError(`${hostname} resolves to ${address}, not a global unicast address`);
    vetted.set(ok.address, ok);
  }
  return [...vetted.values()];
}
