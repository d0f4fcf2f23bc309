import nock from "nock";
import { describe, expect, it } from "vitest";
import { loadChat } from "../../../src/chat/load-chat.js";
import { chatEnv, MATRIX_TOKEN } from "./fixtures.js";

/**
 * Issue 14: the Matrix HTML body keeps a link's address inside its attribute, whatever the
 * address holds (a repository's own template writes links the App does not check).
 */
describe("Matrix client-server API: the HTML body", () => {
  it("escapes quotes in a link's address, so the address cannot add attributes to the <a> tag", async () => {
    const bodies: Array<{ formatted_body: string }> = [];
    const scope = nock("https://matrix.org", { reqheaders: { authorization: `Bearer ${MATRIX_TOKEN}` } })
      .put(/^\/_matrix\/client\/v3\/rooms\/!wgRoom123%3Amatrix\.org\/send\/m\.room\.message\/wgm-[0-9a-f]{40}$/, (body) => (bodies.push(body), true))
      .reply(200, { event_id: "$event" });

    await loadChat(chatEnv())!.send("acme-matrix", "acme", { text: `See [the notes](https://example.org/a"onclick="alert'1')`, key: "acme/wg#1 opened:acme-matrix" });

    expect(bodies.map((body) => body.formatted_body)).toEqual(['<p>See <a href="https://example.org/a&quot;onclick=&quot;alert&#39;1&#39;">the notes</a></p>']);
    expect(scope.isDone()).toBe(true);
  });
});
