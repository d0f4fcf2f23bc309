import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * Issue 9, attacked from outside: test/unit/app-manifest.test.ts learns which events the code
 * handles by replacing `probot.on` and `probot.onAny` with recorders while src/index.ts loads.
 * A handler registered any other way would slip past it, and past app.yml's default_events:
 * `app.webhooks.on(…)` or `app.webhooks.onAny(…)` (Probot's Webhooks instance, which the
 * recorder does not replace), `app.onError`, or an Octokit Webhooks instance of its own. This
 * holds src/ to the one way the recorder sees.
 */

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  );
}

/** Code only: comments may describe registrations (`app.on("push", …)` in a doc comment). */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

const BYPASSES: Array<[RegExp, string]> = [
  [/\.webhooks\s*\.\s*on(?:Any|Error)?\s*\(/, "app.webhooks.on/onAny/onError: not seen by the recorder"],
  [/\.webhooks\s*\.\s*(?:receive|verifyAndReceive)\s*\(/, "dispatching events by hand"],
  [/\bonAny\s*\(/, "onAny: a handler of every event, which no default_events list can match"],
  [/\bnew\s+Webhooks\s*\(/, "a Webhooks instance of its own"],
  [/from\s+["']@octokit\/webhooks["']/, "@octokit/webhooks imported directly"],
  [/\[\s*["']on["']\s*\]\s*\(/, "app['on'](…): a registration the scan of calls cannot read"],
];

describe("issue 9 adversarial: every webhook handler is registered where the app.yml contract test sees it", () => {
  it("src/ registers handlers only with app.on (no webhooks.on, onAny, own Webhooks instance)", () => {
    const found: string[] = [];
    for (const file of sourceFiles(join(ROOT, "src"))) {
      const code = withoutComments(readFileSync(file, "utf8"));
      for (const [pattern, why] of BYPASSES) if (pattern.test(code)) found.push(`${relative(ROOT, file)}: ${why}`);
    }
    expect(found).toEqual([]);
  });

  it("app.on is called only from src/index.ts, where the recorder loads the app", () => {
    const callers = sourceFiles(join(ROOT, "src"))
      .filter((file) => /\bapp\s*\.\s*on\s*\(/.test(withoutComments(readFileSync(file, "utf8"))))
      .map((file) => relative(ROOT, file));
    expect(callers).toEqual([join("src", "index.ts")]);
  });
});
