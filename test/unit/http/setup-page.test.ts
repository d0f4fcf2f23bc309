import { parseFragment, type DefaultTreeAdapterMap } from "parse5";
import { beforeAll, describe, expect, it } from "vitest";
import { escapeHtml, loadProbotSetupParts, wantsSetup, type ProbotSetupParts } from "../../../src/http/setup-page.js";
import { privateKey } from "../../helpers/probot.js";

describe("escapeHtml", () => {
  it.each([
    `It's the "group's" app`,
    `</button><script>alert(1)</script>`,
    `&amp; &lt; &#39; & < >`,
    `🎉 café ✓ \u00a0 line\nbreak`,
    `'single' "double" \`back\``,
  ])("%j comes back unchanged from an HTML parser, in text and in attributes quoted either way", (text) => {
    const fragment = parseFragment(`<p a='${escapeHtml(text)}' b="${escapeHtml(text)}">${escapeHtml(text)}</p>`);
    const p = fragment.childNodes[0] as DefaultTreeAdapterMap["element"];
    expect(p.attrs).toEqual([
      { name: "a", value: text },
      { name: "b", value: text },
    ]);
    expect(p.childNodes.map((node) => (node as DefaultTreeAdapterMap["textNode"]).value)).toEqual([text]);
  });
});

describe("wantsSetup: when the server starts Probot's setup page", () => {
  let parts: ProbotSetupParts;
  beforeAll(async () => {
    parts = await loadProbotSetupParts();
  });

  it("loads Probot's setup parts from the installed Probot", () => {
    expect(typeof parts.setupAppFactory).toBe("function");
    expect(typeof parts.ManifestCreation).toBe("function");
    expect(typeof parts.setupView).toBe("function");
    expect(typeof parts.readEnvOptions).toBe("function");
  });

  it.each([
    ["no credentials", {}, true],
    ["an App ID but no key", { APP_ID: "123" }, true],
    ["a key but no App ID", { PRIVATE_KEY: privateKey }, true],
    ["both", { APP_ID: "123", PRIVATE_KEY: privateKey }, false],
    ["no credentials in production (Probot refuses to start instead)", { NODE_ENV: "production" }, false],
  ])("%s → %s", (_case, env, expected) => {
    expect(wantsSetup(parts, env as NodeJS.ProcessEnv)).toBe(expected);
  });
});
