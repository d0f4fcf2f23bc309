import { describe, expect, it } from "vitest";
import { feedUrl } from "../../../src/schedule/feed-url.js";

// feedUrl is the check on the feed address as written, before any look-up: https only, no
// credentials, and no name or literal that points inside the network the App runs in.

const notPublic = (host: string) => `feed URL must name a public host, not "${host}"`;

describe("feedUrl accepts a public https feed", () => {
  it.each([
    ["webcal://p123-caldav.icloud.com/published/2/abc", "https://p123-caldav.icloud.com/published/2/abc"],
    ["WEBCAL://calendar.example.org/a.ics", "https://calendar.example.org/a.ics"],
    ["webcals://calendar.example.org/a.ics", "https://calendar.example.org/a.ics"],
    ["\t https://calendar.example.org/a.ics \n", "https://calendar.example.org/a.ics"],
    // The internal-looking words count only as the last labels of the name.
    ["https://local.example.org/a.ics", "https://local.example.org/a.ics"],
    ["https://corp.example.com/a.ics", "https://corp.example.com/a.ics"],
    ["https://lan.example.net/a.ics", "https://lan.example.net/a.ics"],
    ["https://calendar.internal.example.org/a.ics", "https://calendar.internal.example.org/a.ics"],
    ["https://10.0.0.1.example.org/a.ics", "https://10.0.0.1.example.org/a.ics"],
    ["https://nip.io.example.org/a.ics", "https://nip.io.example.org/a.ics"],
    ["https://calendar.example.org:8443/a.ics", "https://calendar.example.org:8443/a.ics"],
  ])("%s", (input, href) => {
    expect(feedUrl(input).href).toBe(href);
  });
});

describe("feedUrl refuses", () => {
  it.each([
    ["plain http", "http://calendar.example.org/a.ics", "feed URL must use https:// (got http://)"],
    ["ftp", "ftp://calendar.example.org/a.ics", "feed URL must use https:// (got ftp://)"],
    ["file", "file:///etc/passwd", "feed URL must use https:// (got file://)"],
    ["text that is no URL", "calendar.example.org/a.ics", '"calendar.example.org/a.ics" is not a URL (expected https://…/calendar.ics)'],
    ["a user name", "https://me@calendar.example.org/a.ics", "feed URL must not contain a user name or password (use the calendar's secret address instead)"],
    ["a password alone", "https://:secret@calendar.example.org/a.ics", "feed URL must not contain a user name or password (use the calendar's secret address instead)"],
  ])("%s", (_, input, message) => {
    expect(() => feedUrl(input)).toThrow(new Error(message));
  });

  it.each([
    // Literal addresses, in every form the URL parser turns into one (and names as it reads it).
    ["https://10.0.0.1/a.ics", "10.0.0.1"],
    ["https://8.8.8.8/a.ics", "8.8.8.8"],
    ["https://127.1/a.ics", "127.0.0.1"],
    ["https://2130706433/a.ics", "127.0.0.1"],
    ["https://0x7f000001/a.ics", "127.0.0.1"],
    ["https://0177.0.0.1/a.ics", "127.0.0.1"],
    ["https://[::1]/a.ics", "[::1]"],
    ["https://[::ffff:7f00:1]/a.ics", "[::ffff:7f00:1]"],
    ["https://[2606:4700:4700::1111]/a.ics", "[2606:4700:4700::1111]"],
    // One label: resolved through the search domains of the App's network.
    ["https://intranet/a.ics", "intranet"],
    ["https://localhost/a.ics", "localhost"],
    ["https://localhost./a.ics", "localhost."],
    ["https://metadata/a.ics", "metadata"],
    // Suffixes of internal names, in any case, with or without a trailing dot.
    ["https://printer.local/a.ics", "printer.local"],
    ["https://app.localhost/a.ics", "app.localhost"],
    ["https://metadata.google.internal/a.ics", "metadata.google.internal"],
    ["https://router.home.arpa/a.ics", "router.home.arpa"],
    ["https://kubernetes.default.svc/a.ics", "kubernetes.default.svc"],
    ["https://api.default.svc.cluster.local/a.ics", "api.default.svc.cluster.local"],
    ["https://nas.lan/a.ics", "nas.lan"],
    ["https://wiki.intranet/a.ics", "wiki.intranet"],
    ["https://calendar.corp/a.ics", "calendar.corp"],
    ["https://Printer.LOCAL/a.ics", "printer.local"],
    ["https://printer.local../a.ics", "printer.local.."],
    // Wildcard DNS services that answer the address written in the name.
    ["https://127.0.0.1.nip.io/a.ics", "127.0.0.1.nip.io"],
    ["https://app.10.0.0.1.nip.io/a.ics", "app.10.0.0.1.nip.io"],
    ["https://169-254-169-254.sslip.io/a.ics", "169-254-169-254.sslip.io"],
    ["https://x.192.168.1.1.xip.io/a.ics", "x.192.168.1.1.xip.io"],
  ])("%s as not public", (input, host) => {
    expect(() => feedUrl(input)).toThrow(new Error(notPublic(host)));
  });
});
