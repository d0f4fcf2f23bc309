import { describe, expect, it } from "vitest";
import { HACKMD_NOT_CONFIGURED_HINT, loadHackmd } from "../../../src/hackmd/load-hackmd.js";
import { caught, everyRendering, hackmd, me, TOKEN } from "./hackmd-kit.js";

describe("loadHackmd", () => {
  it("is null without HACKMD_API_TOKEN, and says what to set", async () => {
    expect(await loadHackmd({})).toBeNull();
    expect(await loadHackmd({ HACKMD_API_TOKEN: "  " })).toBeNull();
    expect(HACKMD_NOT_CONFIGURED_HINT).toBe("set HACKMD_API_TOKEN to a HackMD API token (HackMD: Settings → API)");
  });

  it("talks to api.hackmd.io with the token, and asks nothing until used", async () => {
    const client = await loadHackmd({ HACKMD_API_TOKEN: ` ${TOKEN}\n` });
    expect(client?.apiUrl).toBe("https://api.hackmd.io/v1");
    expect(client?.allow.mode).toBe("unset");
    const scope = hackmd().get("/v1/me").reply(200, me());
    await client?.me();
    expect(scope.isDone()).toBe(true);
  });

  it("takes WG_MEETINGS_HACKMD_API_URL and WG_MEETINGS_HACKMD_ALLOW", async () => {
    const client = await loadHackmd({ HACKMD_API_TOKEN: TOKEN, WG_MEETINGS_HACKMD_API_URL: "http://127.0.0.1:4010/v1", WG_MEETINGS_HACKMD_ALLOW: "nodejs=team:nodejs-security" });
    expect(client?.apiUrl).toBe("http://127.0.0.1:4010/v1");
    expect(client?.allow.entries).toEqual([{ team: "nodejs-security", owner: "nodejs" }]);
  });

  it("refuses a malformed allow-list or URL as not-configured, quoting neither the list nor the token", async () => {
    const badList = await caught(loadHackmd({ HACKMD_API_TOKEN: TOKEN, WG_MEETINGS_HACKMD_ALLOW: "other-owner=team:secret-team folder:x" }));
    expect(badList).toMatchObject({ name: "MinutesDocError", kind: "not-configured" });
    expect((badList as Error).message).toBe("the App's WG_MEETINGS_HACKMD_ALLOW setting is malformed, so it uses no HackMD workspace: the App's operator must fix it");
    expect((badList as Error).message).not.toContain("secret-team");

    const badUrl = await caught(loadHackmd({ HACKMD_API_TOKEN: TOKEN, WG_MEETINGS_HACKMD_API_URL: "http://collector.example/v1" }));
    expect(badUrl).toMatchObject({ kind: "not-configured" });
    for (const error of [badList, badUrl]) expect(everyRendering(error)).not.toContain(TOKEN);
  });
});
