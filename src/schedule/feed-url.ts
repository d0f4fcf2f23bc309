/**
 * Checks the address of an iCalendar feed and returns the URL to fetch, or throws an `Error`
 * saying what is wrong with it.
 *
 * `webcal://` (what Outlook and Apple Calendar hand out) is read as `https://`. Only https to a
 * public host name is accepted: the App fetches whatever a config author writes, so a plain-http
 * or internal address (`http://169.254.169.254/…`, `localhost`, a bare IP) must not become a way
 * to probe the network the App runs in. This is the check on the text alone: what a name
 * resolves to, and the port, are checked by `fetchFeedText` on every hop, where it connects.
 */
export function feedUrl(text: string): URL {
  const trimmed = text.trim();
  let url: URL;
  try {
    url = new URL(trimmed.replace(/^webcals?:\/\//i, "https://"));
  } catch {
    throw new Error(`"${text}" is not a URL (expected https://…/calendar.ics)`);
  }
  if (url.protocol !== "https:") throw new Error(`feed URL must use https:// (got ${url.protocol}//)`);
  if (url.username !== "" || url.password !== "") {
    throw new Error("feed URL must not contain a user name or password (use the calendar's secret address instead)");
  }
  // A trailing dot is the same host ("localhost." is localhost).
  const host = url.hostname.toLowerCase().replace(/\.+$/, "");
  const ipLiteral = host.startsWith("[") || /^[\d.]+$/.test(host) || /^0x/i.test(host);
  const internal =
    !host.includes(".") ||
    /\.(?:local|localhost|internal|home\.arpa|svc|cluster\.local|lan|intranet|corp)$/.test(host) ||
    /(?:^|\.)(?:\d{1,3}[.-]){3}\d{1,3}\.(?:nip\.io|sslip\.io|xip\.io)$/.test(host);
  if (ipLiteral || internal) throw new Error(`feed URL must name a public host, not "${url.hostname}"`);
  return url;
}
