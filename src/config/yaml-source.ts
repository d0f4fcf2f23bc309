import { Composer, CST, LineCounter, Lexer, Parser, isAlias, isMap, isScalar, isSeq, type Alias, type Document, type Node, type Pair, type YAMLMap } from "yaml";
import { MAX_CONFIG_ALIASES, MAX_CONFIG_DEPTH, MAX_CONFIG_VALUES, formatCount } from "./limits.js";
import { quoteUserText } from "./safe-text.js";

/**
 * A config's YAML, read within the limits of `limits.ts`, with what it takes to point at a line.
 *
 * yaml's own `parseDocument` has no such limits, and two of its checks grow with the square of
 * the input: `uniqueKeys` compares every key with every key before it in its mapping, and an
 * alias is looked up among every anchor before it. Here the text is read in three steps, each
 * bounded before the next one runs:
 * 1. lexing, counting values as they come: over `MAX_CONFIG_VALUES`, reading stops there;
 * 2. the syntax tree (yaml's iterative parser), measured for depth before yaml's recursive
 *    composer sees it: deeper than `MAX_CONFIG_DEPTH`, it is not composed;
 * 3. one pass over the document: duplicate keys (a Set per mapping), aliases resolved once and
 *    counted, and the value's size and depth with every alias expanded, before `toJS` expands them.
 */
export interface YamlSource {
  doc: Document.Parsed;
  lines: LineCounter;
  /** What each alias stands for, resolved once (yaml's `resolve` scans the document per call). */
  aliases: ReadonlyMap<Alias, Node>;
  /** Each mapping's keys by their text, built on first look-up (see `pairOf`). */
  keys: WeakMap<YAMLMap, Map<string, Pair>>;
}

/** Something that keeps the text from being a config, with where it is (a character offset). */
export interface YamlProblem {
  offset: number | null;
  /** The whole sentence, e.g. `duplicate key "id": a key may appear only once in a mapping`. */
  message: string;
}

export type YamlReading = { ok: true; source: YamlSource } | { ok: false; lines: LineCounter; problems: YamlProblem[] };

/** yaml's messages name the grammar rule; say what usually caused it. */
const SYNTAX_HINTS: Partial<Record<string, string>> = {
  BLOCK_AS_IMPLICIT_KEY: ' (a value that contains ": " must be quoted)',
};

/** Lexer tokens that each make one value: scalars (plain, quoted, block), collections, list items, explicit keys, aliases. */
const VALUE_TOKENS = new Set<string>([
  "scalar",
  "single-quoted-scalar",
  "double-quoted-scalar",
  "flow-map-start",
  "flow-seq-start",
  "seq-item-ind",
  "explicit-key-ind",
  "alias",
]);

/**
 * Reads `text` as one YAML document within the limits, or says why it cannot be used: syntax
 * errors, duplicate keys, or a limit (then nothing past the limit was read). Duplicate keys are
 * errors, as yaml's `uniqueKeys` made them; `<<` merge keys are honoured, as Probot's reader does.
 *
 * @example
 * const reading = readYaml("meetings:\n  - id: wg\n");
 * if (reading.ok) reading.source.doc.toJS({ maxAliasCount: -1 });
 */
export function readYaml(text: string): YamlReading {
  const lines = new LineCounter();
  const tree = parseWithinBudget(text, lines);
  if ("problem" in tree) return { ok: false, lines, problems: [tree.problem] };
  const deep = tooDeep(tree.tokens);
  if (deep !== null) return { ok: false, lines, problems: [{ offset: deep, message: depthMessage() }] };

  const docs = [...new Composer({ merge: true, uniqueKeys: false }).compose(tree.tokens, true, text.length)];
  const doc = docs[0]!;
  const problems: YamlProblem[] = doc.errors.map((error) => ({
    offset: error.pos[0],
    message: `YAML syntax error: ${firstLine(error.message)}${SYNTAX_HINTS[error.code] ?? ""}`,
  }));
  const second = docs[1];
  if (second) problems.push({ offset: second.range[0], message: "YAML syntax error: a second document (after `---`): a meetings config is one document" });

  const shape = measureDocument(doc);
  if ("limit" in shape) return { ok: false, lines, problems: [shape.limit] };
  problems.push(...shape.duplicates);
  if (problems.length > 0) return { ok: false, lines, problems: problems.sort((a, b) => (a.offset ?? 0) - (b.offset ?? 0)) };
  return { ok: true, source: { doc, lines, aliases: shape.aliases, keys: new WeakMap() } };
}

/** The pair of `map` whose key reads `key` (the first, if the text repeats it), found in constant time. */
export function pairOf(source: YamlSource, map: YAMLMap, key: string): Pair | undefined {
  let index = source.keys.get(map);
  if (!index) {
    index = new Map();
    for (const pair of map.items) {
      if (!isScalar(pair.key)) continue;
      const text = String(pair.key.value);
      if (!index.has(text)) index.set(text, pair);
    }
    source.keys.set(map, index);
  }
  return index.get(key);
}

/** The node an alias stands for, as resolved when the document was read. */
export function aliasTarget(source: YamlSource, alias: Alias): Node | undefined {
  return source.aliases.get(alias);
}

/** Lexes and parses `text` into yaml's syntax tree, stopping at the value past `MAX_CONFIG_VALUES`. */
function parseWithinBudget(text: string, lines: LineCounter): { tokens: CST.Token[] } | { problem: YamlProblem } {
  const parser = new Parser(lines.addNewLine);
  const tokens: CST.Token[] = [];
  lines.addNewLine(0);
  let values = 0;
  // After the SCALAR marker comes the scalar's own text, whatever it looks like.
  let atScalar = false;
  for (const lexeme of new Lexer().lex(text)) {
    if (atScalar) atScalar = false;
    else {
      const type = CST.tokenType(lexeme);
      if (type !== null && VALUE_TOKENS.has(type) && ++values > MAX_CONFIG_VALUES) {
        return { problem: { offset: parser.offset, message: valuesMessage("holds") } };
      }
      atScalar = type === "scalar";
    }
    for (const token of parser.next(lexeme)) tokens.push(token);
  }
  for (const token of parser.end()) tokens.push(token);
  return { tokens };
}

/** The offset of the first collection nested deeper than `MAX_CONFIG_DEPTH`, or `null`. Iterative: any depth is safe here. */
function tooDeep(tokens: readonly CST.Token[]): number | null {
  const stack: Array<{ token: CST.Token; depth: number }> = tokens.map((token) => ({ token, depth: 0 }));
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { token, depth } = next;
    if (token.type === "document") {
      if (token.value) stack.push({ token: token.value, depth });
    } else if (token.type === "block-map" || token.type === "block-seq" || token.type === "flow-collection") {
      if (depth + 1 > MAX_CONFIG_DEPTH) return token.offset;
      for (const item of token.items) {
        if (item.key) stack.push({ token: item.key, depth: depth + 1 });
        if (item.value) stack.push({ token: item.value, depth: depth + 1 });
      }
    }
  }
  return null;
}

interface Shape {
  /**
   * Values, aliases expanded, counted as the lexer counts them (non-empty scalars and flow
   * collections; a block collection is counted by its items): without aliases, never more than
   * the lexer's count, so only aliases can make it exceed `MAX_CONFIG_VALUES`.
   */
  size: number;
  /** Nesting of collections, aliases expanded. */
  depth: number;
}

/** Marks an anchored node whose shape is being measured: an alias to it is inside it. */
const MEASURING: Shape = { size: Infinity, depth: Infinity };

class LimitReached extends Error {
  readonly problem: YamlProblem;
  constructor(problem: YamlProblem) {
    super(problem.message);
    this.problem = problem;
  }
}

/**
 * One pass over the document (recursive, but `tooDeep` bounded its depth): duplicate keys,
 * aliases resolved and counted, and the size and depth of the value once aliases are expanded.
 * An anchored node's shape is kept, so an alias costs one look-up, however much it stands for.
 */
function measureDocument(doc: Document.Parsed): { duplicates: YamlProblem[]; aliases: Map<Alias, Node> } | { limit: YamlProblem } {
  const anchors = new Map<string, Node>();
  const shapes = new Map<Node, Shape>();
  const aliases = new Map<Alias, Node>();
  const duplicates: YamlProblem[] = [];
  let aliasCount = 0;

  const measure = (node: unknown): Shape => {
    if (isAlias(node)) {
      const offset = node.range?.[0] ?? null;
      if (++aliasCount > MAX_CONFIG_ALIASES) {
        throw new LimitReached({ offset, message: `more than ${formatCount(MAX_CONFIG_ALIASES)} aliases (*name): a meetings config needs far fewer (nothing was checked)` });
      }
      // The last anchor of that name before the alias, as YAML defines it; an unknown one is
      // left to yaml, which reports it when the value is built.
      const target = anchors.get(node.source);
      if (!target) return { size: 1, depth: 0 };
      const shape = shapes.get(target);
      if (shape === MEASURING || shape === undefined) {
        throw new LimitReached({ offset, message: `the alias ${quoteUserText(`*${node.source}`, 40)} is inside the value it names (nothing was checked)` });
      }
      aliases.set(node, target);
      return shape;
    }
    if (!isMap(node) && !isSeq(node)) {
      if (!isScalar(node)) return { size: 0, depth: 0 };
      // An empty value (`key:`) has no token of its own.
      const empty = node.range ? node.range[0] === node.range[1] : false;
      const shape = { size: empty ? 0 : 1, depth: 0 };
      if (node.anchor) {
        anchors.set(node.anchor, node);
        shapes.set(node, shape);
      }
      return shape;
    }
    const anchor = node.anchor;
    if (anchor) {
      anchors.set(anchor, node);
      shapes.set(node, MEASURING);
    }
    let size = node.flow ? 1 : 0;
    let depth = 0;
    const add = (child: Shape) => {
      size += child.size;
      depth = Math.max(depth, child.depth);
    };
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = pair.key;
        // yaml's `uniqueKeys` rule: scalar keys with the same value (`<<` merge keys never match).
        if (isScalar(key)) {
          if (seen.has(key.value)) duplicates.push({ offset: key.range?.[0] ?? null, message: duplicateMessage(key.value) });
          else seen.add(key.value);
        }
        add(measure(key));
        add(measure(pair.value));
      }
    } else {
      for (const item of node.items) add(measure(item));
    }
    const shape = { size, depth: depth + 1 };
    const offset = node.range?.[0] ?? null;
    if (shape.size > MAX_CONFIG_VALUES) throw new LimitReached({ offset, message: valuesMessage("expands to") });
    if (shape.depth > MAX_CONFIG_DEPTH) throw new LimitReached({ offset, message: depthMessage() });
    if (anchor) shapes.set(node, shape);
    return shape;
  };

  try {
    measure(doc.contents);
  } catch (error) {
    if (error instanceof LimitReached) return { limit: error.problem };
    throw error;
  }
  return { duplicates, aliases };
}

function valuesMessage(verb: "holds" | "expands to"): string {
  const what = verb === "holds" ? "the file holds" : "with its aliases expanded, the file holds";
  return `${what} more than ${formatCount(MAX_CONFIG_VALUES)} values (keys, list items, scalars): a meetings config needs far fewer (nothing was checked)`;
}

function depthMessage(): string {
  return `mappings and lists are nested more than ${MAX_CONFIG_DEPTH} levels deep: a meetings config needs 8 (nothing was checked)`;
}

function duplicateMessage(key: unknown): string {
  const text = typeof key === "string" || typeof key === "number" || typeof key === "boolean" ? ` ${quoteUserText(String(key), 60)}` : "";
  return `duplicate key${text}: a key may appear only once in a mapping`;
}

function firstLine(text: string): string {
  return text.split("\n")[0]!.trim();
}
