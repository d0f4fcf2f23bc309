import { describe, expect, it } from "vitest";
import { toDiscordText } from "../../../src/chat/discord.js";
import { fitText } from "../../../src/chat/fit-text.js";
import { defuseMentions, parseChatMarkdown } from "../../../src/chat/markdown.js";
import { toMatrixBodies } from "../../../src/chat/matrix.js";
import { toSlackText } from "../../../src/chat/slack.js";

describe("the small Markdown of a chat message", () => {
  it("parses lines, list items, bold and web links; blank lines collapse", () => {
    expect(parseChatMarkdown("**Hi** [doc](https://x.org/a)\r\n\n\n- one\n* two\n\n")).toEqual([
      { kind: "text", inlines: [{ kind: "bold", children: [{ kind: "text", text: "Hi" }] }, { kind: "text", text: " " }, { kind: "link", text: "doc", url: "https://x.org/a" }] },
      { kind: "blank" },
      { kind: "item", inlines: [{ kind: "text", text: "one" }] },
      { kind: "item", inlines: [{ kind: "text", text: "two" }] },
    ]);
  });

  it("a link that is not to the web, or an unclosed **, stays text", () => {
    expect(toSlackText("[x](javascript:alert(1)) [m](mailto:a@b.org) **open")).toBe("[x](javascript:alert(1)) [m](mailto:a@b.org) **open");
    expect(toMatrixBodies("[x](javascript:alert(1))").formatted).toBe("<p>[x](javascript:alert(1))</p>");
  });

  it.each([
    ["@everyone", "@\u200Beveryone"],
    ["@here @channel @room @all @stream @topic", "@\u200Bhere @\u200Bchannel @\u200Broom @\u200Ball @\u200Bstream @\u200Btopic"],
    ["@Everyone!", "@\u200BEveryone!"],
    ["@**Jane** @_**Jane** @*chairs*", "@\u200B**Jane** @\u200B_**Jane** @\u200B*chairs*"],
    ["ends with @", "ends with @\u200B"],
    ["wg@here.example @hereafter @jane", "wg@here.example @hereafter @jane"],
  ])("defuses %j", (text, defused) => {
    expect(defuseMentions(text)).toBe(defused);
  });

  it("a mention split across bold does not come back together", () => {
    expect(toDiscordText("@**everyone**")).toBe("@\u200B**everyone**");
    expect(toMatrixBodies("@**room**").body).toBe("@\u200Broom");
  });
});

describe("fitText", () => {
  const within = (limit: number) => (candidate: string) => candidate.length <= limit;

  it("keeps a text that fits as it is", () => {
    expect(fitText("short", within(5))).toBe("short");
  });

  it("cuts at a space near the limit and ends with …", () => {
    expect(fitText("the quick brown fox jumps", within(12))).toBe("the quick…");
  });

  it("cuts inside a long word when there is no space near", () => {
    expect(fitText("x".repeat(100), within(10))).toBe(`${"x".repeat(9)}…`);
  });

  it("never splits a character made of two UTF-16 units", () => {
    const cut = fitText("😀".repeat(10), within(9));
    expect(cut).toBe("😀😀😀😀…");
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it("cuts the Markdown, so the service's syntax stays whole", () => {
    const source = "see [the minutes](https://github.com/acme/wg/pull/7) and more text after it";
    const slackWithin = (limit: number) => (candidate: string) => toSlackText(candidate).length <= limit;
    expect(toSlackText(fitText(source, slackWithin(52)))).toBe("see <https://github.com/acme/wg/pull/7|the minutes>…");
    // One character less and the link does not fit: it is left out, not shown half as Markdown.
    expect(toSlackText(fitText(source, slackWithin(51)))).toBe("see…");
    // When only a cut inside a bold run fits, that is better than nothing.
    expect(toSlackText(fitText("**a very long bold title** after", slackWithin(20)))).toBe("**a very long bold…");
  });
});
