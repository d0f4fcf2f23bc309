import { describe, expect, it } from "vitest";
import { feedUrl } from "../../../src/schedule/feed-url.js";
import { AddressRefusedError, isPublicAddress, vetAddress, vettedAddresses } from "../../../src/schedule/public-address.js";

describe("addresses a feed socket may never go to", () => {
  it.each([
    // IPv4: every class that is not plain global unicast.
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "this network (0/8)"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.254", "private (top of 172.16/12)"],
    ["192.168.1.1", "private"],
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["169.254.169.254", "link-local (cloud metadata)"],
    ["100.64.0.1", "carrier-grade NAT"],
    ["100.127.255.254", "carrier-grade NAT"],
    ["198.18.0.1", "benchmarking"],
    ["198.19.255.254", "benchmarking"],
    ["192.0.0.8", "IETF protocol assignments"],
    ["192.0.2.1", "TEST-NET-1"],
    ["198.51.100.1", "TEST-NET-2"],
    ["203.0.113.1", "TEST-NET-3"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["240.0.0.1", "reserved"],
    ["255.255.255.255", "broadcast"],
    // IPv6.
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["::127.0.0.1", "IPv4-compatible (deprecated, outside 2000::/3)"],
    ["::8.8.8.8", "IPv4-compatible, which is not IPv4-mapped"],
    ["::ffff:127.0.0.1", "IPv4-mapped loopback"],
    ["::ffff:7f00:1", "IPv4-mapped loopback, hex form"],
    ["::ffff:a00:1", "IPv4-mapped private, hex form"],
    ["::ffff:a9fe:a9fe", "IPv4-mapped link-local, hex form"],
    ["::ffff:0:7f00:1", "IPv4-translated (RFC 6145)"],
    ["64:ff9b::7f00:1", "NAT64 of loopback"],
    ["64:ff9b::127.0.0.1", "NAT64 of loopback, dotted"],
    ["64:ff9b::a00:1", "NAT64 of a private address"],
    ["64:ff9b:1::808:808", "NAT64 local-use prefix (RFC 8215)"],
    ["fc00::1", "unique local"],
    ["fd12:3456::1", "unique local"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local with a zone"],
    ["fec0::1", "site-local (deprecated)"],
    ["feff::1", "site-local (deprecated)"],
    ["ff02::1", "multicast"],
    ["2001:db8::1", "documentation"],
    ["2001::1", "Teredo"],
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"],
    ["2002:7f00:1::1", "6to4 of loopback"],
    ["2002:808:808::1", "6to4 (refused whatever it embeds)"],
    ["2001:2::1", "benchmarking"],
    ["100::1", "discard"],
    ["4000::1", "outside 2000::/3"],
    // Not an address in canonical form.
    ["0x7f.1", "hex IPv4"],
    ["127.1", "short IPv4"],
    // Forms of a public address that only lenient parsers read: never what a resolver answers.
    ["0x8.8.8.8", "hex IPv4 of a public address"],
    ["8.8.2056", "short IPv4 of a public address"],
    ["134744072", "a public address as one number"],
    ["010.8.8.8", "octal-looking IPv4"],
    ["localhost", "a name"],
    ["", "empty"],
  ])("%s (%s)", (address) => {
    expect(vetAddress(address)).toBeNull();
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    ["8.8.8.8", { address: "8.8.8.8", family: 4 }],
    ["93.184.215.14", { address: "93.184.215.14", family: 4 }],
    ["172.32.0.1", { address: "172.32.0.1", family: 4 }],
    ["100.128.0.1", { address: "100.128.0.1", family: 4 }],
    ["2606:4700:4700::1111", { address: "2606:4700:4700::1111", family: 6 }],
    ["2a00:1450:4001:82b::200e", { address: "2a00:1450:4001:82b::200e", family: 6 }],
    // The mapped form of a public address is connected to as IPv4.
    ["::ffff:808:808", { address: "8.8.8.8", family: 4 }],
    // An IPv6-only network reaches IPv4-only hosts through NAT64.
    ["64:ff9b::808:808", { address: "64:ff9b::808:808", family: 6 }],
  ])("allows %s", (address, vetted) => {
    expect(vetAddress(address)).toEqual(vetted);
  });
});

describe("vettedAddresses: one look-up, every answer vetted, failures refused", () => {
  it("returns the addresses of a public name, asking once", async () => {
    const asked: string[] = [];
    const resolve = async (host: string) => (asked.push(host), [{ address: "93.184.215.14" }, { address: "2606:2800:21f:cb07:6820:80da:af6b:8b2c" }]);
    await expect(vettedAddresses("feeds.example.org", resolve)).resolves.toEqual([
      { address: "93.184.215.14", family: 4 },
      { address: "2606:2800:21f:cb07:6820:80da:af6b:8b2c", family: 6 },
    ]);
    expect(asked).toEqual(["feeds.example.org"]);
  });

  it("refuses a name with one internal address among public ones", async () => {
    const resolve = async () => [{ address: "93.184.215.14" }, { address: "127.0.0.1" }];
    await expect(vettedAddresses("feeds.example.org", resolve)).rejects.toThrow(
      new AddressRefusedError("feeds.example.org resolves to 127.0.0.1, not a global unicast address"),
    );
  });

  it("refuses when the look-up fails or finds nothing (fail closed)", async () => {
    const failing = async () => Promise.reject(Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" }));
    await expect(vettedAddresses("nowhere.example.org", failing)).rejects.toThrow(new AddressRefusedError("look-up of nowhere.example.org failed (ENOTFOUND)"));
    await expect(vettedAddresses("nowhere.example.org", async () => [])).rejects.toThrow(new AddressRefusedError("look-up of nowhere.example.org found no address"));
  });

  it("refuses with the system resolver, which the test setup makes fail for every name", async () => {
    await expect(vettedAddresses("calendar.example.org")).rejects.toThrow(/look-up of calendar.example.org failed \(ENOTFOUND\)/);
  });
});

describe("names refused before any look-up (feedUrl)", () => {
  it.each(["https://localhost./x.ics", "https://kubernetes.default.svc/x.ics", "https://api.cluster.local/x.ics", "https://127.0.0.1.nip.io/x.ics"])(
    "refuses %s by name",
    (url) => {
      expect(() => feedUrl(url)).toThrow("feed URL must name a public host");
    },
  );
});
