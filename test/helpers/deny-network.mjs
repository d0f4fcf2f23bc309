// Preloaded (`node --import`) into servers a test starts as child processes, which vitest's own
// DNS stub and nock do not reach: any name look-up or connection beyond loopback fails, and is
// reported on stderr as `deny-network: …` for the test to find.
import dns from "node:dns";
import net from "node:net";

const loopback = (host) => host === undefined || host === "localhost" || host === "::1" || /^127\./.test(host);
const report = (what) => process.stderr.write(`deny-network: ${what}\n`);

const lookup = dns.lookup;
dns.lookup = function (hostname, options, callback) {
  if (loopback(hostname)) return lookup.call(this, hostname, options, callback);
  report(`DNS look-up of ${hostname}`);
  const done = typeof options === "function" ? options : callback;
  process.nextTick(done, Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname} (network denied)`), { code: "ENOTFOUND" }));
};
const promiseLookup = dns.promises.lookup;
dns.promises.lookup = async function (hostname, options) {
  if (loopback(hostname)) return promiseLookup.call(this, hostname, options);
  report(`DNS look-up of ${hostname}`);
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname} (network denied)`), { code: "ENOTFOUND" });
};

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const target = typeof first === "object" && first !== null ? first : { port: first, host: typeof args[1] === "string" ? args[1] : undefined };
  if (target.path === undefined && !loopback(target.host)) {
    report(`connection to ${target.host}:${target.port}`);
    process.nextTick(() => this.destroy(Object.assign(new Error(`connect ENETUNREACH ${target.host} (network denied)`), { code: "ENETUNREACH" })));
    return this;
  }
  return connect.apply(this, args);
};
