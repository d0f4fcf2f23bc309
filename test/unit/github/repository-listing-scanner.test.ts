import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { InstalledRepo } from "../../../src/github/repo-config.js";
import { type ListingScannerLimits, RepositoryListingError, RepositoryListingScanner } from "../../../src/github/repository-listing-scanner.js";
import { installedRepo } from "../../helpers/github.js";

/**
 * The scanner replaced `JSON.parse` of each `GET /installation/repositories` page, so it is held
 * against `JSON.parse`: random listing pages (escapes, non-ASCII text cut across chunks, numbers
 * in every spelling, the kept keys again at other depths, random whitespace and key order) are
 * fed in random chunks, and what it keeps must be the projection of what `JSON.parse` reads.
 * A page that ends early or is not a listing must be an error, never a shorter list. The seed is
 * fixed, so a failure reproduces; fast-check prints the shrunk counterexample.
 */

const SEED = 20_261_203;
const encoder = new TextEncoder();

/** A JSON value as generated: numbers and literals keep the spelling they are written in. */
type Json =
  | { kind: "number"; text: string }
  | { kind: "literal"; text: "true" | "false" | "null" }
  | { kind: "string"; value: string }
  | { kind: "array"; items: Json[] }
  | { kind: "object"; members: Array<[string, Json]> };

const WANTED = ["full_name", "node_id", "default_branch", "archived"];

/** Feeds `bytes` in chunks of `sizes` (cycled; empty: the whole page at once) and ends. */
function scan(bytes: Uint8Array, sizes: number[] = [], limits?: ListingScannerLimits) {
  const scanner = new RepositoryListingScanner(limits);
  const repos: InstalledRepo[] = [];
  for (let at = 0, next = 0; at < bytes.length; next++) {
    const size = sizes.length === 0 ? bytes.length : sizes[next % sizes.length]!;
    repos.push(...scanner.write(bytes.subarray(at, at + size)));
    at += size;
  }
  return { repos, summary: scanner.end() };
}

/** What `JSON.parse` makes of the page, cut to what the scanner keeps. */
function projection(text: string) {
  const page = JSON.parse(text) as { total_count?: number; repositories: Array<Record<string, unknown>> };
  const repos = page.repositories.map((r) => ({ fullName: r.full_name, nodeId: r.node_id, defaultBranch: r.default_branch, archived: r.archived }));
  return { repos, summary: { totalCount: page.total_count, repositories: repos.length } };
}

/** The error `scan` threw, or undefined. */
function scanError(text: string, limits?: ListingScannerLimits): unknown {
  try {
    scan(encoder.encode(text), [], limits);
  } catch (error) {
    return error;
  }
  return undefined;
}

function expectListingError(text: string, message: RegExp, limits?: ListingScannerLimits) {
  const error = scanError(text, limits);
  expect(error).toBeInstanceOf(RepositoryListingError);
  expect((error as Error).message).toMatch(message);
}

// --- Rendering: the same tree is written many ways, chosen by a seeded generator. ---

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick<T>(rnd: () => number, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)]!;
}

function hex4(unit: number, rnd: () => number): string {
  const digits = unit.toString(16).padStart(4, "0");
  return `\\u${rnd() < 0.5 ? digits : digits.toUpperCase()}`;
}

const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "/": "\\/" };

/** A JSON string literal for `value`; each character written as itself or escaped, at random. */
function renderString(value: string, rnd: () => number, escapeRate: number): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    const lone = char.length === 1 && code >= 0xd800 && code <= 0xdfff;
    const must = char === '"' || char === "\\" || code < 0x20 || lone;
    if (!must && rnd() >= escapeRate) out += char;
    else if (SHORT_ESCAPES[char] && rnd() < 0.5) out += SHORT_ESCAPES[char];
    else if (code > 0xffff) out += hex4(char.charCodeAt(0), rnd) + hex4(char.charCodeAt(1), rnd);
    else out += hex4(code, rnd);
  }
  return `${out}"`;
}

/** Object members in a random order; a repeated key keeps its values in their order (the last one wins). */
function shuffled(members: Array<[string, Json]>, rnd: () => number): Array<[string, Json]> {
  const order = members.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const values = new Map<string, Json[]>();
  for (const [key, value] of members) values.set(key, [...(values.get(key) ?? []), value]);
  return order.map((i) => {
    const key = members[i]![0];
    return [key, values.get(key)!.shift()!];
  });
}

interface Style {
  rnd: () => number;
  escapeRate: number;
  spaced: boolean;
}

function space(style: Style): string {
  if (!style.spaced || style.rnd() < 0.5) return "";
  let out = "";
  for (let n = 1 + Math.floor(style.rnd() * 3); n > 0; n--) out += pick(style.rnd, [" ", "\n", "\t", "\r\n", "  "]);
  return out;
}

function render(value: Json, style: Style): string {
  switch (value.kind) {
    case "number":
    case "literal":
      return value.text;
    case "string":
      return renderString(value.value, style.rnd, style.escapeRate);
    case "array":
      return `[${space(style)}${value.items.map((item) => render(item, style)).join(`${space(style)},${space(style)}`)}${space(style)}]`;
    case "object": {
      const members = shuffled(value.members, style.rnd).map(
        ([key, member]) => `${renderString(key, style.rnd, style.escapeRate)}${space(style)}:${space(style)}${render(member, style)}`,
      );
      return `{${space(style)}${members.join(`${space(style)},${space(style)}`)}${space(style)}}`;
    }
  }
}

/**
 * The page's text: by hand (compact or with random whitespace, escapes at some rate), or by
 * `JSON.stringify` with a random indentation; whitespace around the root unless `bare`.
 */
function renderPage(page: Json, seed: number, bare: boolean): string {
  const rnd = random(seed);
  const mode = pick(rnd, ["spaced", "compact", "stringify"] as const);
  const style: Style = { rnd, escapeRate: pick(rnd, [0, 0.05, 0.3]), spaced: mode === "spaced" };
  let text = render(page, style);
  if (mode === "stringify") text = JSON.stringify(JSON.parse(text), null, pick(rnd, [0, 1, 2, 4, "\t"]));
  if (bare) return text;
  return `${pick(rnd, ["", " ", "\n", "\t \r\n"])}${text}${pick(rnd, ["", "\n", " \n", "\r\n\t "])}`;
}

// --- Arbitraries ---

const asString = (codes: fc.Arbitrary<number>) => codes.map((code) => String.fromCodePoint(code));

/** One character: ASCII, the ones JSON must escape, 2-, 3- and 4-byte UTF-8, lone surrogates (always escaped). */
const char = fc.oneof(
  { weight: 4, arbitrary: asString(fc.integer({ min: 0x20, max: 0x7e })) },
  fc.constantFrom('"', "\\", "/", "\n", "\t", "\u0000", "\u001f", "\u007f", "é", "ß", "€", "日", "😀", "\u2028", "\ud800", "\udfff"),
  asString(fc.integer({ min: 0x80, max: 0x7ff })),
  asString(fc.integer({ min: 0x800, max: 0xd7ff })),
  asString(fc.integer({ min: 0x10000, max: 0x10ffff })),
);
const text = (maxLength: number) => fc.string({ unit: char, maxLength });

/** A character that may stand in a `full_name` half: no slash, no whitespace. */
const nameChar = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCXYZ0123456789-_.") },
  fc.constantFrom('"', "\\", "\u0001", "é", "日", "😀", "\ud800"),
);
const nameHalf = fc.string({ unit: nameChar, minLength: 1, maxLength: 12 });

/** A JSON number in any spelling; up to `exponentDigits` digits of exponent (3 reaches past Infinity). */
const numberText = (exponentDigits: number) =>
  fc
    .tuple(
      fc.constantFrom("", "-"),
      fc.oneof(fc.constant("0"), fc.integer({ min: 1, max: 2_000_000_000 }).map(String), fc.constant("123456789012345678901234567890")),
      fc.option(fc.stringMatching(/^\.\d{1,6}$/), { nil: "" }),
      fc.option(fc.stringMatching(new RegExp(`^[eE][+-]?\\d{1,${exponentDigits}}$`)), { nil: "" }),
    )
    .map(([sign, whole, fraction, exponent]): Json => ({ kind: "number", text: sign + whole + fraction + exponent }));

const scalar: fc.Arbitrary<Json> = fc.oneof(
  numberText(3),
  fc.constantFrom("true", "false", "null").map((literal): Json => ({ kind: "literal", text: literal as "true" | "false" | "null" })),
  text(16).map((value): Json => ({ kind: "string", value })),
);

/** A key, often one the scanner keeps at another depth. */
const anyKey = fc.oneof(
  fc.constantFrom("owner", "topics", "id", "name", "permissions", "license", ...WANTED, "total_count", "repositories", "repository_selection", ""),
  text(10),
);

/** Any value, nested a few levels: objects (with the kept keys inside), arrays, scalars. */
const extraValue = (maxDepth: number) =>
  fc.letrec<{ value: Json; array: Json; object: Json }>((tie) => ({
    value: fc.oneof({ maxDepth }, scalar, tie("array"), tie("object")),
    array: fc.array(tie("value"), { maxLength: 4 }).map((items): Json => ({ kind: "array", items })),
    object: fc.array(fc.tuple(anyKey, tie("value")), { maxLength: 4 }).map((members): Json => ({ kind: "object", members })),
  })).value;

const str = (value: string): Json => ({ kind: "string", value });

/**
 * A repository: the four kept fields, maybe earlier scalar values under the same keys, extra
 * members. The renderer shuffles the members but keeps a repeated key's values in this order.
 */
const repository = (maxDepth: number) =>
  fc
    .record({
      fullName: fc.tuple(nameHalf, nameHalf).map(([owner, name]) => `${owner}/${name}`),
      nodeId: text(20).filter((id) => id !== ""),
      defaultBranch: text(20),
      archived: fc.boolean(),
      earlier: fc.array(fc.tuple(fc.constantFrom(...WANTED), scalar), { maxLength: 2 }),
      extras: fc.array(
        fc.tuple(
          anyKey.filter((key) => !WANTED.includes(key)),
          extraValue(maxDepth),
        ),
        { maxLength: 5 },
      ),
    })
    .map(
      ({ fullName, nodeId, defaultBranch, archived, earlier, extras }): Json => ({
        kind: "object",
        members: [
          ...extras,
          ...earlier,
          ["full_name", str(fullName)],
          ["node_id", str(nodeId)],
          ["default_branch", str(defaultBranch)],
          ["archived", { kind: "literal", text: archived ? "true" : "false" }],
        ],
      }),
    );

/** A listing page: `repositories`, usually `total_count`, other root members (nesting the kept keys). */
const listingPage = ({ maxRepos, maxDepth }: { maxRepos: number; maxDepth: number }) =>
  fc
    .record({
      repositories: fc.array(repository(maxDepth), { maxLength: maxRepos }),
      // Finite: JSON.stringify (one way a page is written here) would turn Infinity into null.
      totalCount: fc.option(numberText(2), { nil: undefined }),
      selection: fc.option(fc.constantFrom("all", "selected"), { nil: undefined }),
      extras: fc.array(
        fc.tuple(
          anyKey.filter((key) => key !== "repositories" && key !== "total_count"),
          extraValue(maxDepth),
        ),
        { maxLength: 3 },
      ),
    })
    .map(
      ({ repositories, totalCount, selection, extras }): Json => ({
        kind: "object",
        members: [
          ...extras,
          ...(totalCount ? [["total_count", totalCount] as [string, Json]] : []),
          ...(selection ? [["repository_selection", str(selection)] as [string, Json]] : []),
          ["repositories", { kind: "array", items: repositories }],
        ],
      }),
    );

/** Chunk sizes: the whole page, tiny chunks (cutting multi-byte characters, escapes, keys and numbers), or larger ones. */
const chunking = fc.oneof(
  fc.constant([] as number[]),
  fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 16 }),
  fc.array(fc.integer({ min: 1, max: 4096 }), { minLength: 1, maxLength: 4 }),
);

describe("RepositoryListingScanner against JSON.parse", () => {
  it("keeps what JSON.parse reads of each repository, whatever the page's spelling and however it is cut", () => {
    fc.assert(
      fc.property(listingPage({ maxRepos: 6, maxDepth: 4 }), fc.integer(), chunking, (page, seed, sizes) => {
        const text = renderPage(page, seed, false);
        const expected = projection(text);
        const { repos, summary } = scan(encoder.encode(text), sizes);
        expect(repos).toStrictEqual(expected.repos);
        expect(summary).toStrictEqual(expected.summary);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("throws a RepositoryListingError for every strict prefix of a page, never a shorter list", () => {
    fc.assert(
      fc.property(listingPage({ maxRepos: 3, maxDepth: 2 }), fc.integer(), fc.nat(), (page, seed, split) => {
        const bytes = encoder.encode(renderPage(page, seed, true));
        expect(() => scan(bytes, [1 + (split % bytes.length)])).not.toThrow();
        const accepted: number[] = [];
        for (let cut = 0; cut < bytes.length; cut++) {
          // The prefix in two chunks, cut at a different place for each prefix.
          const at = split % (cut + 1);
          try {
            scan(bytes.subarray(0, cut), at === 0 ? [] : [at]);
            accepted.push(cut);
          } catch (error) {
            if (!(error instanceof RepositoryListingError)) throw error;
          }
        }
        expect(accepted).toStrictEqual([]);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

const repo = { full_name: "acme/widgets", node_id: "R_1", default_branch: "main", archived: false };
const kept = { fullName: "acme/widgets", nodeId: "R_1", defaultBranch: "main", archived: false };
const pageOf = (...repositories: unknown[]) => JSON.stringify({ total_count: repositories.length, repositories });

describe("RepositoryListingScanner: pages that are not a listing", () => {
  it("refuses a root that is not an object", () => {
    expectListingError("[]", /the page is not a JSON object/);
    expectListingError('"repositories"', /the page is not a JSON object/);
    expectListingError("  7", /the page is not a JSON object/);
  });

  it("refuses `repositories` that is not an array, or that appears twice", () => {
    expectListingError('{"repositories": {}}', /`repositories` is not an array/);
    expectListingError('{"repositories": null}', /`repositories` is not an array/);
    expectListingError('{"repositories": "[]"}', /`repositories` is not an array/);
    expectListingError('{"repositories": [], "total_count": 0, "repositories": []}', /`repositories` appears twice/);
  });

  it("refuses a page without `repositories`", () => {
    expectListingError('{"total_count": 0}', /the page has no `repositories` array/);
    expectListingError('{"nested": {"repositories": []}}', /the page has no `repositories` array/);
  });

  it("refuses a repository that is not an object", () => {
    expectListingError(`{"repositories": [${JSON.stringify(repo)}, 1]}`, /repository 2 is not an object/);
    expectListingError('{"repositories": ["acme/widgets"]}', /repository 1 is not an object/);
    expectListingError('{"repositories": [[]]}', /repository 1 is not an object/);
    expectListingError('{"repositories": [null]}', /repository 1 is not an object/);
  });

  it("refuses a repository missing any of the four fields", () => {
    const missing: Record<string, RegExp> = {
      full_name: /repository 1 has no `full_name` of the form owner\/name/,
      node_id: /repository 1 \(acme\/widgets\) has no `node_id`/,
      default_branch: /repository 1 \(acme\/widgets\) has no `default_branch`/,
      archived: /repository 1 \(acme\/widgets\) has no `archived` true or false/,
    };
    for (const [field, message] of Object.entries(missing)) {
      const { [field]: _, ...rest } = repo as Record<string, unknown>;
      expectListingError(pageOf(rest), message);
    }
  });

  it("refuses a repository whose fields have the wrong type or form", () => {
    expectListingError(pageOf({ ...repo, archived: "yes" }), /repository 1 \(acme\/widgets\) has no `archived` true or false/);
    expectListingError(pageOf({ ...repo, archived: null }), /has no `archived` true or false/);
    expectListingError(pageOf({ ...repo, full_name: "widgets" }), /repository 1 \(widgets\) has no `full_name` of the form owner\/name/);
    expectListingError(pageOf({ ...repo, full_name: "acme/wid/gets" }), /has no `full_name` of the form owner\/name/);
    expectListingError(pageOf({ ...repo, full_name: "acme/wid gets" }), /has no `full_name` of the form owner\/name/);
    expectListingError(pageOf({ ...repo, full_name: 42 }), /repository 1 has no `full_name` of the form owner\/name/);
    expectListingError(pageOf({ ...repo, node_id: "" }), /has no `node_id`/);
    expectListingError(pageOf({ ...repo, node_id: 1 }), /has no `node_id`/);
    expectListingError(pageOf({ ...repo, default_branch: 5 }), /has no `default_branch`/);
    expectListingError(`{"repositories": [{"full_name": "acme/widgets", "node_id": "R_1", "default_branch": "main", "archived": tru}]}`, /`archived` is not a JSON value/);
  });

  it("refuses a kept field whose value is an object or an array", () => {
    expectListingError(pageOf({ ...repo, full_name: { owner: "acme", name: "widgets" } }), /`full_name` is not a single value/);
    expectListingError(pageOf({ ...repo, node_id: ["R_1"] }), /`node_id` is not a single value/);
    expectListingError(pageOf({ ...repo, default_branch: {} }), /`default_branch` is not a single value/);
    expectListingError(pageOf({ ...repo, archived: [] }), /`archived` is not a single value/);
  });

  it("refuses anything but whitespace after the root", () => {
    expectListingError(`${pageOf(repo)} x`, /more after the end of the document/);
    expectListingError(`${pageOf(repo)}{}`, /more after the end of the document/);
    expectListingError(`${pageOf(repo)}\n,`, /more after the end of the document/);
  });

  it("refuses a missing comma or colon", () => {
    expectListingError('{"total_count": 1 "repositories": []}', /expected `,` or `}`/);
    expectListingError(`{"repositories": [${JSON.stringify(repo)} ${JSON.stringify(repo)}]}`, /expected `,` or `]`/);
    expectListingError('{"repositories" []}', /expected `:`/);
    expectListingError(`{"repositories": [{"full_name" "acme/widgets"}]}`, /expected `:`/);
    expectListingError('{"repositories": [], }', /expected a key/);
    expectListingError('{"repositories": [1,]}', /repository 1 is not an object/);
    expectListingError('{"x": [1,], "repositories": []}', /unexpected `]`/);
  });

  it("refuses a page that ends early, in a string or anywhere else", () => {
    expectListingError('{"repositories": [], "description": "abc', /the page ended early/);
    expectListingError(`{"repositories": [${JSON.stringify(repo)}`, /the page ended early/);
    expectListingError("", /the page ended early/);
    expectListingError(" \n", /the page ended early/);
  });

  it("refuses a raw control character inside a string, kept or not", () => {
    expectListingError('{"repositories": [], "description": "a\tb"}', /a control character in a string/);
    expectListingError('{"repositories": [{"full_name": "acme/wid\ngets"}]}', /a control character in a string/);
  });

  it("refuses nesting deeper than maxDepth, and takes nesting exactly that deep", () => {
    const limits = { maxDepth: 4 };
    expect(scan(encoder.encode(pageOf({ ...repo, owner: { a: 1 } })), [], limits).repos).toStrictEqual([kept]);
    expectListingError(`{"repositories": [${JSON.stringify({ ...repo, owner: { a: [1] } })}]}`, /nested deeper than 4/, limits);
    expectListingError('{"x": [[[[]]]], "repositories": []}', /nested deeper than 4/, limits);
  });

  it("refuses a page over maxBytes, and takes one of exactly maxBytes", () => {
    const page = pageOf(repo);
    const size = encoder.encode(page).length;
    expect(scan(encoder.encode(page), [5], { maxBytes: size }).repos).toStrictEqual([kept]);
    expectListingError(page, new RegExp(`the page is larger than ${size - 1} bytes`), { maxBytes: size - 1 });
  });

  it("refuses a kept value longer than 1024 bytes, but skips long values it does not keep", () => {
    const longest = `acme/${"w".repeat(1019)}`;
    expect(scan(encoder.encode(pageOf({ ...repo, full_name: longest }))).repos).toStrictEqual([{ ...kept, fullName: longest }]);
    expectListingError(pageOf({ ...repo, full_name: `${longest}s` }), /`full_name` is longer than 1024 bytes/);
    expectListingError(pageOf({ ...repo, default_branch: "é".repeat(513) }), /`default_branch` is longer than 1024 bytes/);
    const described = { ...repo, description: "x".repeat(5000), ["k".repeat(2000)]: 1 };
    expect(scan(encoder.encode(pageOf(described))).repos).toStrictEqual([kept]);
  });

  it("refuses a bad escape in a kept value", () => {
    expectListingError('{"repositories": [{"full_name": "acme/wid\\xgets"}]}', /a bad escape in a string/);
    expectListingError('{"repositories": [{"node_id": "R_\\u12"}]}', /a bad escape in a string/);
    expectListingError('{"repositories": [{"full_\\qname": "acme/widgets"}]}', /a bad escape in a string/);
  });

  it("throws nothing but RepositoryListingError, named so", () => {
    const error = scanError("[");
    expect(error).toBeInstanceOf(RepositoryListingError);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe("RepositoryListingError");
    expect((error as Error).message).toMatch(/^GitHub's repository listing is not valid within its first 1 bytes: /);
  });
});

describe("RepositoryListingScanner: pages that are a listing", () => {
  it("reads an empty listing: nothing kept, end() gives the count", () => {
    const scanner = new RepositoryListingScanner();
    expect(scanner.write(encoder.encode('{"total_count": 0, "repositories": []}'))).toStrictEqual([]);
    expect(scanner.end()).toStrictEqual({ totalCount: 0, repositories: 0 });
  });

  it("gives totalCount undefined when the page has no total_count", () => {
    expect(scan(encoder.encode(JSON.stringify({ repositories: [repo] }))).summary).toStrictEqual({ totalCount: undefined, repositories: 1 });
  });

  it("takes whitespace and newlines after the root, and empty chunks", () => {
    const scanner = new RepositoryListingScanner();
    expect(scanner.write(new Uint8Array(0))).toStrictEqual([]);
    expect(scanner.write(encoder.encode(`\n ${pageOf(repo)}`))).toStrictEqual([kept]);
    expect(scanner.write(encoder.encode(" \r\n\t\n"))).toStrictEqual([]);
    expect(scanner.write(new Uint8Array(0))).toStrictEqual([]);
    expect(scanner.end()).toStrictEqual({ totalCount: 1, repositories: 1 });
  });

  it("takes the last value of a key repeated in a repository, as JSON.parse does", () => {
    const page =
      '{"repositories": [{"full_name": "old/name", "node_id": 7, "archived": "no", "default_branch": "main", ' +
      '"full_name": "acme/widgets", "archived": true, "node_id": "R_1", "archived": false, "total_count": 3}], "total_count": 1, "total_count": 2}';
    expect(projection(page)).toStrictEqual({ repos: [kept], summary: { totalCount: 2, repositories: 1 } });
    expect(scan(encoder.encode(page))).toStrictEqual({ repos: [kept], summary: { totalCount: 2, repositories: 1 } });
  });

  it("reads keys written with escapes, and ignores the kept keys at other depths", () => {
    const page =
      '{"owner": {"full_name": "x/y", "repositories": [1]}, "repositor\\u0069es": [{"full\\u005fname": "acme/widgets", ' +
      '"node\\u005Fid": "R_1", "default_branch": "ma\\u0069n", "owner": {"node_id": "U_1", "full_name": "no/no", "archived": true}, ' +
      '"\\u0061rchived": false}], "total\\u005fcount": 1}';
    expect(scan(encoder.encode(page))).toStrictEqual(projection(page));
    expect(scan(encoder.encode(page)).repos).toStrictEqual([kept]);
  });

  it("returns each repository from the write that completes it", () => {
    const scanner = new RepositoryListingScanner();
    const bytes = encoder.encode(pageOf(repo, { ...repo, node_id: "R_2" }));
    const first = bytes.indexOf(0x7d) + 1; // the end of the first repository
    expect(scanner.write(bytes.subarray(0, first - 1))).toStrictEqual([]);
    expect(scanner.write(bytes.subarray(first - 1, first))).toStrictEqual([kept]);
    expect(scanner.write(bytes.subarray(first))).toStrictEqual([{ ...kept, nodeId: "R_2" }]);
    expect(scanner.end()).toStrictEqual({ totalCount: 2, repositories: 2 });
  });
});

/**
 * A repository as `GET /installation/repositories` returns it: every member GitHub sends, with
 * `owner`, `license` and `permissions` nested (`owner` has a `node_id` of its own), about 4 KB.
 */
function githubRepository(i: number) {
  const owner = i % 3 === 0 ? "grüne-wg" : "acme";
  const fullName = `${owner}/repo-${i}`;
  const api = `https://api.github.com/repos/${fullName}`;
  const urls = Object.fromEntries(
    ["forks", "keys", "collaborators", "teams", "hooks", "issue_events", "events", "assignees", "branches", "tags", "blobs", "git_tags", "git_refs", "trees", "statuses", "languages", "stargazers", "contributors", "subscribers", "subscription", "commits", "git_commits", "comments", "issue_comment", "contents", "compare", "merges", "archive", "downloads", "issues", "pulls", "milestones", "notifications", "labels", "releases", "deployments"].map(
      (name) => [`${name}_url`, `${api}/${name}{/number}`],
    ),
  );
  return installedRepo(fullName, {
    id: 700_000_000 + i,
    node_id: `R_kgDOK${i.toString(36).padStart(6, "0")}`,
    private: i % 2 === 0,
    owner: {
      login: owner,
      id: 1_000 + (i % 3),
      node_id: `O_kgDOB${i % 3}`,
      avatar_url: `https://avatars.githubusercontent.com/u/${1_000 + (i % 3)}?v=4`,
      gravatar_id: "",
      url: `https://api.github.com/users/${owner}`,
      html_url: `https://github.com/${owner}`,
      type: "Organization",
      user_view_type: "public",
      site_admin: false,
    },
    html_url: `https://github.com/${fullName}`,
    description: i % 5 === 0 ? null : `Arbeitsgruppe ${i}: Protokolle, Tagesordnungen — “meetings” ✓ 日本語 ${"·".repeat(i % 40)}`,
    fork: i % 11 === 0,
    url: api,
    ...urls,
    created_at: "2021-03-04T05:06:07Z",
    updated_at: "2026-11-30T12:00:00Z",
    pushed_at: "2026-12-01T08:09:10Z",
    git_url: `git://github.com/${fullName}.git`,
    ssh_url: `git@github.com:${fullName}.git`,
    clone_url: `https://github.com/${fullName}.git`,
    homepage: i % 4 === 0 ? "" : null,
    size: i * 1_337,
    stargazers_count: i % 17,
    watchers_count: i % 17,
    language: i % 2 === 0 ? "TypeScript" : null,
    has_issues: true,
    has_projects: i % 2 === 1,
    has_downloads: true,
    has_wiki: false,
    has_pages: false,
    has_discussions: i % 9 === 0,
    forks_count: i % 4,
    mirror_url: null,
    archived: i % 7 === 0,
    disabled: false,
    open_issues_count: i % 23,
    license: i % 2 === 0 ? { key: "apache-2.0", name: "Apache License 2.0", spdx_id: "Apache-2.0", url: "https://api.github.com/licenses/apache-2.0", node_id: "MDc6TGljZW5zZTI=" } : null,
    allow_forking: true,
    is_template: false,
    web_commit_signoff_required: false,
    topics: i % 3 === 0 ? [] : ["meetings", "working-group", `wg-${i}`],
    visibility: i % 2 === 0 ? "private" : "public",
    forks: i % 4,
    open_issues: i % 23,
    watchers: i % 17,
    default_branch: i % 6 === 0 ? "trunk" : "main",
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
  });
}

describe("RepositoryListingScanner on a page shaped like GitHub's", () => {
  it("keeps the four fields of 100 full repository objects read in 16 KB chunks", () => {
    const page = JSON.stringify({ total_count: 10_000, repository_selection: "all", repositories: Array.from({ length: 100 }, (_, i) => githubRepository(i + 1)) });
    const bytes = encoder.encode(page);
    const chunk = 16 * 1024;
    expect(bytes.length).toBeGreaterThan(20 * chunk);
    // Some chunk ends inside a multi-byte character (the next one starts with a continuation byte).
    const cutCharacters = Array.from({ length: Math.floor(bytes.length / chunk) }, (_, k) => bytes[(k + 1) * chunk]!).filter((b) => b >= 0x80 && b < 0xc0);
    expect(cutCharacters.length).toBeGreaterThan(0);
    const { repos, summary } = scan(bytes, [chunk]);
    expect(repos).toStrictEqual(projection(page).repos);
    expect(repos).toHaveLength(100);
    expect(repos[6]).toStrictEqual({ fullName: "acme/repo-7", nodeId: `R_kgDOK${(7).toString(36).padStart(6, "0")}`, defaultBranch: "main", archived: true });
    expect(repos[5]).toStrictEqual({ fullName: "grüne-wg/repo-6", nodeId: `R_kgDOK${(6).toString(36).padStart(6, "0")}`, defaultBranch: "trunk", archived: false });
    expect(summary).toStrictEqual({ totalCount: 10_000, repositories: 100 });
  });
});
