import { describe, expect, it } from "vitest";
import { closestKey } from "../../../src/config/closest-key.js";
import { MAX_LISTED_ERRORS, omittedErrorsText } from "../../../src/config/error-cap.js";
import { formatConfigErrors } from "../../../src/config/format-errors.js";
import { MAX_CONFIG_ALIASES, MAX_CONFIG_BYTES, MAX_CONFIG_DEPTH, MAX_CONFIG_SERIES, MAX_CONFIG_VALUES } from "../../../src/config/limits.js";
import { checkConfigFile, configLocator, declaresExtends, parseConfigText, validateConfigObject, type ConfigResult } from "../../../src/config/load-config.js";

// Issue 10, finding 2: one config must not hold the server for seconds. These tests pin the
// behaviour that keeps it bounded (limits before the expensive step, errors capped and put into
// words only when reported); bench/config-parse.mjs measures the time.

const SERIES = `meetings:
  - id: wg
    name: WG
    schedule: R/2024-10-01T08:00:00[Asia/Tokyo]/P2W
    agenda: { label: x, orgs: [y] }
`;

function failed(result: ConfigResult): Extract<ConfigResult, { ok: false }> {
  if (result.ok) throw new Error("expected the config to be invalid");
  return result;
}

/** `k0000:` … : `count` unknown keys with empty values, one per line from line `first`. */
function unknownKeys(count: number): string {
  return Array.from({ length: count }, (_, i) => `k${String(i).padStart(4, "0")}:\n`).join("");
}

describe("errors are capped: the first 50 in file order, and a count", () => {
  it("5,000 unknown keys in a 64 KB file: 50 errors, in file order, and 4,950 more counted", () => {
    const text = SERIES + unknownKeys(5000) + `# ${"-".repeat(MAX_CONFIG_BYTES - SERIES.length - 5000 * 7 - 3)}\n`;
    expect(Buffer.byteLength(text)).toBe(MAX_CONFIG_BYTES);
    const result = failed(parseConfigText(text, ".github/meetings.yml"));
    expect(result.errors).toHaveLength(MAX_LISTED_ERRORS);
    expect(result.omitted).toBe(4950);
    expect(result.errors.map((error) => error.line)).toEqual(Array.from({ length: 50 }, (_, i) => 6 + i));
    expect(result.errors[0]).toEqual({ path: "k0000", line: 6, column: 1, message: 'k0000 (line 6): unknown key "k0000" (valid keys: meetings)' });
    expect(formatConfigErrors(result.errors, "m.yml", result.omitted).split("\n").slice(-3)).toEqual([
      'm.yml:55: k0049: unknown key "k0049" (valid keys: meetings)',
      "m.yml: … and 4,950 more errors (the first 50 are listed; fix them and check again)",
      "",
    ]);
  });

  it("exactly 50 errors: all listed, nothing omitted, no count line", () => {
    const result = failed(parseConfigText(SERIES + unknownKeys(50)));
    expect(result.errors).toHaveLength(50);
    expect(result.omitted).toBe(0);
    expect(formatConfigErrors(result.errors, "m.yml", result.omitted)).not.toContain("more error");
    expect(omittedErrorsText(0)).toBe("");
    expect(omittedErrorsText(1)).toBe("… and 1 more error (the first 50 are listed; fix them and check again)");
  });

  it("an already parsed config (Probot's merge) is capped the same way", () => {
    const series = { id: "wg", name: "WG", schedule: "R/2024-10-01T08:00:00[Asia/Tokyo]/P2W", agenda: { label: "x", orgs: ["y"] } };
    const result = failed(validateConfigObject({ meetings: Array.from({ length: 80 }, (_, i) => ({ ...series, id: `s${i}`, bogus: i })) }));
    expect(result.errors).toHaveLength(50);
    expect(result.omitted).toBe(30);
    expect(result.errors[49]?.path).toBe("meetings[49].bogus");
  });

  it("YAML errors are capped too: 2,000 duplicate keys", () => {
    const result = failed(parseConfigText(SERIES + "a: 1\n".repeat(2001)));
    expect(result.errors).toHaveLength(50);
    expect(result.omitted).toBe(1950);
    expect(result.errors[0]).toMatchObject({ line: 7, message: 'line 7: duplicate key "a": a key may appear only once in a mapping' });
  });

  it("a typo is still reported once, whatever else is wrong in the mapping", () => {
    const text = SERIES.replace("    name: WG\n", `    nmae: WG\n${unknownKeys(300).replace(/^/gm, "    ").trimEnd()}\n`);
    const result = failed(parseConfigText(text));
    expect(result.errors[0]?.message).toBe('meetings[0].nmae (line 3): unknown key "nmae" (did you mean "name"?)');
    expect(result.errors.some((error) => error.path === "meetings[0].name")).toBe(false);
    expect(result.errors.length + result.omitted).toBe(301);
  });
});

describe("the YAML is read within limits, before anything costly runs", () => {
  it(`more than ${MAX_CONFIG_VALUES} values: refused where the count runs out, nothing else reported`, () => {
    const text = `meetings: [${Array.from({ length: MAX_CONFIG_VALUES }, () => "0").join(",")}]\n`;
    const result = failed(parseConfigText(text));
    expect(result).toEqual({
      ok: false,
      errors: [
        expect.objectContaining({
          line: 1,
          message: "line 1: the file holds more than 6,000 values (keys, list items, scalars): a meetings config needs far fewer (nothing was checked)",
        }),
      ],
      omitted: 0,
    });
    // One value fewer is read, and reported as the schema sees it.
    expect(failed(parseConfigText(`meetings: [${Array.from({ length: MAX_CONFIG_VALUES - 2 }, () => "0").join(",")}]\n`)).errors[0]?.message).toContain(
      `lists ${(MAX_CONFIG_VALUES - 2).toLocaleString("en-US")} series`,
    );
  });

  it.each([
    ["flow lists", `${"[".repeat(5000)}${"]".repeat(5000)}`],
    ["flow mappings", `${"{a: ".repeat(2000)}0${"}".repeat(2000)}`],
    ["block lists on one line", `${"- ".repeat(5000)}x\n`],
    ["block mappings", Array.from({ length: 40 }, (_, i) => `${" ".repeat(i)}a:\n`).join("")],
  ])(`%s nested deeper than ${MAX_CONFIG_DEPTH} levels are refused before yaml's recursive composer sees them`, (_kind, text) => {
    const result = failed(parseConfigText(text));
    expect(result.errors).toEqual([
      expect.objectContaining({ message: expect.stringContaining(`nested more than ${MAX_CONFIG_DEPTH} levels deep: a meetings config needs 8 (nothing was checked)`) }),
    ]);
  });

  it(`${MAX_CONFIG_DEPTH} levels are read`, () => {
    const result = failed(parseConfigText(`x: ${"[".repeat(MAX_CONFIG_DEPTH - 1)}${"]".repeat(MAX_CONFIG_DEPTH - 1)}\n`));
    expect(result.errors.map((error) => error.path).sort()).toEqual(["meetings", "x"]);
  });

  it("aliases: more than the limit is refused; so is an expansion past the value limit, and an alias inside its own anchor", () => {
    const many = `a: &a 1\nb: [${Array.from({ length: MAX_CONFIG_ALIASES + 1 }, () => "*a").join(", ")}]\n`;
    expect(failed(parseConfigText(many)).errors[0]?.message).toBe(
      "line 2: more than 200 aliases (*name): a meetings config needs far fewer (nothing was checked)",
    );
    const wide = `a: &a [${Array.from({ length: 100 }, () => "x").join(", ")}]\nb: [${Array.from({ length: 90 }, () => "*a").join(", ")}]\n`;
    expect(failed(parseConfigText(wide)).errors[0]?.message).toMatch(/^line 2: with its aliases expanded, the file holds more than 6,000 values/);
    const merged = `a: &a {${Array.from({ length: 100 }, (_, i) => `k${i}: 0`).join(", ")}}\nmeetings:\n${"  - {<<: *a}\n".repeat(90)}`;
    expect(failed(parseConfigText(merged)).errors[0]?.message).toMatch(/with its aliases expanded, the file holds more than 6,000 values/);
    expect(failed(parseConfigText("a: &a [1, *a]\n")).errors[0]?.message).toBe('line 1: the alias "*a" is inside the value it names (nothing was checked)');
  });

  it("aliases and merge keys within the limits still mean what they mean to Probot", () => {
    const text = `meetings:
  - &wg
    id: wg
    name: WG
    schedule: R/2024-10-01T08:00:00[Asia/Tokyo]/P2W
    agenda: &agenda { label: x, orgs: [y] }
  - <<: *wg
    id: other
    agenda: *agenda
`;
    const result = parseConfigText(text);
    expect(result.ok && result.config.meetings.map((series) => [series.id, series.name, series.agenda.label])).toEqual([
      ["wg", "WG", "x"],
      ["other", "WG", "x"],
    ]);
  });

  it("duplicate keys are found with a Set per mapping: same rules as yaml's uniqueKeys", () => {
    // `1` and "1" are different keys to YAML (one once built, so one unknown key); two merge keys are not duplicates.
    expect(failed(parseConfigText(`${SERIES}1: a\n"1": b\n`)).errors.map((error) => error.message)).toEqual([
      '["1"] (line 6): unknown key "1" (valid keys: meetings)',
    ]);
    expect(parseConfigText(`base: &b { name: WG }
${SERIES}`.replace("    name: WG\n", "    <<: *b\n    <<: *b\n")).ok).toBe(false);
    const flow = failed(parseConfigText("{meetings: [], a: 1, b: 2, a: 3}\n"));
    expect(flow.errors).toEqual([expect.objectContaining({ line: 1, column: 28, message: 'line 1: duplicate key "a": a key may appear only once in a mapping' })]);
  });

  it(`more than ${MAX_CONFIG_SERIES} series: refused before any series is validated`, () => {
    const text = `meetings:\n${Array.from({ length: MAX_CONFIG_SERIES + 1 }, (_, i) => `  - { id: s${i}, name: "${i}", schedule: nope, agenda: {} }\n`).join("")}`;
    expect(failed(parseConfigText(text)).errors).toEqual([
      { path: "meetings", line: 1, column: 1, message: "meetings (line 1): lists 101 series: a config may list at most 100 (nothing else was checked)" },
    ]);
    const exactly = text.split("\n").slice(0, MAX_CONFIG_SERIES + 1).join("\n");
    expect(failed(parseConfigText(exactly)).errors[0]?.path).toBe("meetings[0].schedule");
  });

  it("declaresExtends and configLocator read within the same limits", () => {
    expect(declaresExtends("_extends: .github\nmeetings: []\n")).toBe(true);
    expect(declaresExtends(`_extends: .github\n${"a: 0\n".repeat(2)}`)).toBe(false); // a duplicate key: not YAML we read
    expect(declaresExtends(`_extends: .github\nx: [${"0,".repeat(MAX_CONFIG_VALUES)}0]\n`)).toBe(false);
    expect(configLocator(`${"[".repeat(5000)}${"]".repeat(5000)}`)(["meetings"], "key")).toEqual({ path: [], position: null });
  });
});

describe("checkConfigFile: the file alone, as validate and the check run read it", () => {
  it("a file that takes its series from _extends is not missing them; its other errors are still errors", () => {
    expect(checkConfigFile("_extends: .github\n").check).toEqual({ status: "from-extends" });
    expect(checkConfigFile("_extends: .github\nmeeting: []\n").check).toMatchObject({ status: "invalid", errors: [{ path: "meeting" }], omitted: 0 });
    expect(checkConfigFile("meetings_: []\n").check).toMatchObject({ status: "invalid", errors: [{ path: "meetings_" }] });
    expect(checkConfigFile("x: []\n").check).toMatchObject({ status: "invalid", errors: [{ path: "meetings" }, { path: "x" }] });
    expect(checkConfigFile(`_extends: .github\n${SERIES}`)).toMatchObject({ check: { status: "ok" }, extends: { value: ".github", hasMeetings: true } });
  });
});

describe("closestKey is bounded by the candidates, not by what was typed", () => {
  it("suggests as before", () => {
    expect(closestKey("createBefor", ["createBefore", "duration"])).toBe("createBefore");
    expect(closestKey("CreateBefore", ["createBefore"])).toBe("createBefore");
    expect(closestKey("rrul", ["rrule", "start"])).toBe("rrule");
    expect(closestKey("id", ["name"])).toBeUndefined();
  });

  it("answers a key longer than every candidate by more than two at once, without lower-casing or comparing it", () => {
    const typed = { length: 1_000_000, toLowerCase: () => { throw new Error("compared"); } } as unknown as string;
    expect(closestKey(typed, ["createBefore", "duration"])).toBeUndefined();
  });
});
