import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MAX_CONFIG_ALIASES, MAX_CONFIG_DEPTH, MAX_CONFIG_SERIES, MAX_CONFIG_SIZE_TEXT, MAX_CONFIG_VALUES, formatCount } from "../../../src/config/limits.js";
import { MAX_EXTENDS_FILES } from "../../../src/config/load-config.js";

/** docs/configuration.md, with its line breaks folded, as a reader reads the sentences. */
const doc = readFileSync(new URL("../../../docs/configuration.md", import.meta.url), "utf8").replace(/\s+/g, " ");

describe("issue 10: docs/configuration.md states the limits the reader enforces", () => {
  it("names every limit of src/config/limits.ts with its value, and holds _extends files to them", () => {
    expect(doc).toContain(`a file over ${MAX_CONFIG_SIZE_TEXT}, or a binary one, is refused without being parsed`);
    expect(doc).toContain(`at most ${formatCount(MAX_CONFIG_VALUES)} values`);
    expect(doc).toContain(`at most ${MAX_CONFIG_DEPTH} levels deep`);
    expect(doc).toContain(`at most ${MAX_CONFIG_ALIASES} aliases`);
    expect(doc).toContain(`at most ${MAX_CONFIG_SERIES} series`);
    expect(doc).toContain("Files named by `_extends` are held to the same limits");
    expect(doc).toContain(`up to ${MAX_EXTENDS_FILES} files beyond this one`);
  });
});
