import { describe, expect, it } from "vitest";
import { checkChatDestinations, isOpenTo, parseChatDestinations, readChatDestinations } from "../../../src/chat/destinations.js";
import { loadChat } from "../../../src/chat/load-chat.js";
import { DESTINATIONS, DISCORD_TOKEN, DISCORD_URL, expectNoSecret, MATRIX_TOKEN, SLACK_SECRET, SLACK_URL, ZULIP_KEY } from "./fixtures.js";

const json = (value: unknown): string => JSON.stringify(value);

/** Parses, expecting an error; checks it names no secret and returns its message. */
function refusal(value: string): string {
  let thrown: unknown;
  try {
    parseChatDestinations(value);
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(Error);
  expectNoSecret(thrown as Error);
  return (thrown as Error).message;
}

describe("WG_MEETINGS_CHAT", () => {
  it("reads the four services, owners lower-cased, origins without a trailing slash", () => {
    const parsed = parseChatDestinations(json({ ...DESTINATIONS, "acme-zulip": { ...DESTINATIONS["acme-zulip"], site: "https://acme.zulipchat.com/" } }));
    expect([...parsed.values()]).toEqual([
      { name: "acme-slack", service: "slack", url: SLACK_URL, owners: ["acme"] },
      { name: "acme-discord", service: "discord", url: DISCORD_URL, owners: ["acme"] },
      { name: "acme-zulip", service: "zulip", site: "https://acme.zulipchat.com", email: "wg-bot@acme.zulipchat.com", key: ZULIP_KEY, stream: "wg meetings", topic: "announcements", owners: ["acme"] },
      { name: "acme-matrix", service: "matrix", homeserver: "https://matrix.org", room: "!wgRoom123:matrix.org", token: MATRIX_TOKEN, owners: ["acme", "openjs"] },
      { name: "everyone-slack", service: "slack", url: "https://hooks.slack.com/services/T0OPEN123/B0OPEN456/OpenHookSecret987654", owners: "*" },
    ]);
  });

  it("accepts the services' other real shapes", () => {
    const parsed = parseChatDestinations(
      json({
        ptb: { service: "discord", url: `https://ptb.discord.com/api/v10/webhooks/112233445566778899/${DISCORD_TOKEN}`, owners: ["acme"] },
        canary: { service: "discord", url: `https://canary.discord.com/api/webhooks/112233445566778899/${DISCORD_TOKEN}`, owners: ["acme"] },
        // Room version 12 ids have no server part.
        v12: { service: "matrix", homeserver: "https://matrix-client.matrix.org:443", room: "!Zm9vYmFyYmF6cXV4cXV1eA", token: MATRIX_TOKEN, owners: ["acme"] },
        selfhosted: { ...DESTINATIONS["acme-zulip"], site: "https://chat.example.org:8443", stream: "42" },
      }),
    );
    expect(parsed.get("v12")).toMatchObject({ homeserver: "https://matrix-client.matrix.org", room: "!Zm9vYmFyYmF6cXV4cXV1eA" });
    expect(parsed.get("selfhosted")).toMatchObject({ site: "https://chat.example.org:8443", stream: "42" });
    expect(parsed.get("ptb")).toMatchObject({ service: "discord" });
  });

  it("unset, blank and {} mean no destinations", () => {
    expect(parseChatDestinations(undefined).size).toBe(0);
    expect(parseChatDestinations(" \n").size).toBe(0);
    expect(parseChatDestinations("{}").size).toBe(0);
  });

  it("owners: listed owners only, any case; `*` only when written, and alone", () => {
    const [listed, everyone] = [...parseChatDestinations(json({ a: DESTINATIONS["acme-matrix"], b: DESTINATIONS["everyone-slack"] })).values()];
    expect(isOpenTo(listed!, "ACME")).toBe(true);
    expect(isOpenTo(listed!, "openjs")).toBe(true);
    expect(isOpenTo(listed!, "acme-evil")).toBe(false);
    expect(isOpenTo(listed!, "")).toBe(false);
    expect(isOpenTo(everyone!, "anyone")).toBe(true);
  });

  const slack = (extra: object): string => json({ "wg-slack": { service: "slack", url: SLACK_URL, owners: ["acme"], ...extra } });

  it.each([
    ["not JSON", `{"wg":{"service":"slack","url":"${SLACK_URL}"`, "WG_MEETINGS_CHAT: is not valid JSON (expected an object mapping destination names to settings)"],
    ["an array", json([{ service: "slack", url: SLACK_URL }]), "WG_MEETINGS_CHAT: must be a JSON object mapping destination names to settings"],
    ["a bad name", json({ "WG Slack": { service: "slack", url: SLACK_URL, owners: ["acme"] } }), 'WG_MEETINGS_CHAT: destination name (not shown) must be lower-case letters, digits and inner hyphens (at most 64)'],
    ["an upper-case name", json({ WG: { service: "slack", url: SLACK_URL, owners: ["acme"] } }), 'WG_MEETINGS_CHAT: destination name "WG" must be lower-case letters, digits and inner hyphens (at most 64)'],
    ["a URL as the name", json({ [SLACK_URL]: { service: "slack" } }), "WG_MEETINGS_CHAT: destination name (not shown) must be"],
    ["no service", json({ wg: { url: SLACK_URL, owners: ["acme"] } }), 'WG_MEETINGS_CHAT: destination "wg": "service" must be one of "slack", "discord", "zulip", "matrix"'],
    ["an unknown service", json({ wg: { service: "teams", url: SLACK_URL, owners: ["acme"] } }), 'WG_MEETINGS_CHAT: destination "wg": "service" must be one of'],
    ["a misspelt key", slack({ owner: ["acme"] }), 'WG_MEETINGS_CHAT: destination "wg-slack": unknown key "owner" for slack (expected "service", "owners", "url")'],
    ["a secret pasted as a key", slack({ [SLACK_URL]: true }), 'WG_MEETINGS_CHAT: destination "wg-slack": unknown key (not shown) for slack'],
    ["no owners", json({ "wg-slack": { service: "slack", url: SLACK_URL } }), 'WG_MEETINGS_CHAT: destination "wg-slack": "owners" is required: list the GitHub owners whose installations may post there, or ["*"] for any (Actions mode)'],
    ["empty owners", slack({ owners: [] }), 'destination "wg-slack": "owners" is required'],
    ["* with names", slack({ owners: ["*", "acme"] }), 'destination "wg-slack": "owners": "*" allows every owner and cannot be combined with names'],
    ["a bad owner", slack({ owners: ["acme", "-bad-"] }), 'destination "wg-slack": "owners" entry 2 is not a GitHub user or organization name'],
    ["http Slack", slack({ url: SLACK_URL.replace("https:", "http:") }), 'destination "wg-slack": "url" is not a Slack incoming-webhook URL (https://hooks.slack.com/services/…)'],
    ["another host", slack({ url: SLACK_URL.replace("hooks.slack.com", "hooks.slack.com.evil.example") }), '"url" is not a Slack incoming-webhook URL'],
    ["a Slack URL with a query", slack({ url: `${SLACK_URL}?x=1` }), '"url" is not a Slack incoming-webhook URL'],
    ["a Slack URL with credentials", slack({ url: SLACK_URL.replace("https://", "https://u:p@") }), '"url" is not a Slack incoming-webhook URL'],
    ["a Slack URL with a port", slack({ url: SLACK_URL.replace("hooks.slack.com", "hooks.slack.com:8443") }), '"url" is not a Slack incoming-webhook URL'],
    ["a Slack workflow trigger", slack({ url: "https://hooks.slack.com/triggers/T0ACME123/1234567890/abcdef0123456789" }), '"url" is not a Slack incoming-webhook URL'],
    ["a number as URL", slack({ url: 42 }), 'destination "wg-slack": "url" is required (a non-empty string)'],
    ["a Discord URL elsewhere", json({ d: { service: "discord", url: DISCORD_URL.replace("discord.com", "discord.com.evil.example"), owners: ["acme"] } }), 'destination "d": "url" is not a Discord webhook URL (https://discord.com/api/webhooks/<id>/<token>)'],
    ["a Discord URL for something else", json({ d: { service: "discord", url: `https://discord.com/api/channels/1/messages?t=${DISCORD_TOKEN}`, owners: ["acme"] } }), '"url" is not a Discord webhook URL'],
    ["an http Zulip site", json({ z: { ...DESTINATIONS["acme-zulip"], site: "http://acme.zulipchat.com" } }), 'destination "z": "site" must be an https origin such as https://example.org (no path)'],
    ["a Zulip site with a path", json({ z: { ...DESTINATIONS["acme-zulip"], site: "https://acme.zulipchat.com/api/v1" } }), '"site" must be an https origin'],
    ["a bad Zulip key", json({ z: { ...DESTINATIONS["acme-zulip"], key: `${ZULIP_KEY}!` } }), 'destination "z": "key" is not a Zulip API key (letters and digits)'],
    ["no Zulip topic", json({ z: { ...DESTINATIONS["acme-zulip"], topic: " " } }), 'destination "z": "topic" is required (a non-empty string)'],
    ["a long Zulip topic", json({ z: { ...DESTINATIONS["acme-zulip"], topic: "t".repeat(61) } }), 'destination "z": "topic" must be one line of at most 60 characters'],
    ["a two-line Zulip stream", json({ z: { ...DESTINATIONS["acme-zulip"], stream: "wg\nmeetings" } }), 'destination "z": "stream" must be one line of at most 60 characters'],
    ["a Zulip email that is none", json({ z: { ...DESTINATIONS["acme-zulip"], email: "wg-bot" } }), 'destination "z": "email" is not an email address'],
    ["an http homeserver", json({ m: { ...DESTINATIONS["acme-matrix"], homeserver: "http://matrix.org" } }), 'destination "m": "homeserver" must be an https origin'],
    ["a room alias", json({ m: { ...DESTINATIONS["acme-matrix"], room: "#wg:matrix.org" } }), 'destination "m": "room" is not a Matrix room id (!…:server; an alias such as #room:server is not accepted)'],
    ["a token with a space", json({ m: { ...DESTINATIONS["acme-matrix"], token: `${MATRIX_TOKEN} x` } }), 'destination "m": "token" is not a Matrix access token (visible ASCII, no spaces)'],
    ["a Zulip key on Slack", slack({ key: ZULIP_KEY }), 'destination "wg-slack": unknown key "key" for slack'],
  ])("%s is refused, naming the entry and key, never a value", (_, value, message) => {
    expect(refusal(value)).toContain(message);
  });

  it("the Discord token, the Zulip key and the Matrix token are never in a refusal, whichever key is wrong", () => {
    for (const value of [
      json({ d: { service: "discord", url: `${DISCORD_URL}/extra`, owners: ["acme"] } }),
      json({ z: { ...DESTINATIONS["acme-zulip"], site: `https://${ZULIP_KEY}.example/x` } }),
      json({ m: { ...DESTINATIONS["acme-matrix"], room: MATRIX_TOKEN } }),
      json({ s: { service: "slack", url: `https://hooks.slack.com/services/x/${SLACK_SECRET}`, owners: ["acme"] } }),
    ]) {
      refusal(value);
    }
  });

  it("loadChat throws the same error, so a bad variable is found when the App starts", () => {
    expect(() => loadChat({ WG_MEETINGS_CHAT: slack({ owners: [] }) })).toThrow(/^WG_MEETINGS_CHAT: destination "wg-slack": "owners" is required/);
  });

  it("the variable is parsed once per distinct value", () => {
    const env = { WG_MEETINGS_CHAT: slack({}) };
    expect(readChatDestinations(env)).toBe(readChatDestinations({ ...env }));
    expect(readChatDestinations({ WG_MEETINGS_CHAT: slack({ owners: ["other"] }) }).get("wg-slack")?.owners).toEqual(["other"]);
  });
});

describe("checkChatDestinations (start-up)", () => {
  it("counts the destinations and warns about each one open to every owner, naming no secret", () => {
    const warnings: string[] = [];
    expect(checkChatDestinations({ WG_MEETINGS_CHAT: json(DESTINATIONS) }, { warn: (msg) => warnings.push(msg) })).toBe(5);
    expect(warnings).toEqual([
      'WG_MEETINGS_CHAT: chat destination "everyone-slack" is open to every owner ("owners": ["*"]); in an App installed by more than one owner, list the owners allowed to post there',
    ]);
    expect(checkChatDestinations({}, { warn: (msg) => warnings.push(msg) })).toBe(0);
    expect(warnings).toHaveLength(1);
  });

  it("throws on a malformed variable", () => {
    expect(() => checkChatDestinations({ WG_MEETINGS_CHAT: "[]" }, { warn: () => {} })).toThrow("WG_MEETINGS_CHAT: must be a JSON object");
  });
});
