import { isAlias, isMap, isScalar, isSeq, type Node } from "yaml";
import type { Anchor } from "./explain-issues.js";
import { aliasTarget, pairOf, type YamlSource } from "./yaml-source.js";

/** A 1-based line and column in the YAML source. */
export interface Position {
  line: number;
  column: number;
}

/**
 * The line an error at `path` should point to:
 * - `key`: the key itself (an unknown key);
 * - `parent`: the mapping that lacks the key — the line of that mapping's own key, or of its
 *   first entry for a list item (a missing required key);
 * - `value`: a scalar's own line; for a mapping or list, the line of the key that holds it.
 *
 * A path deeper than the document (a value that came from a default) falls back to the
 * deepest part that exists, so an error always gets the nearest line the user can see.
 * Each step is a constant-time look-up (`pairOf`), so placing every error of a file with
 * thousands of keys stays linear.
 */
export function positionOf(source: YamlSource, path: readonly PropertyKey[], anchor: Anchor): Position | null {
  const target = anchor === "parent" ? path.slice(0, -1) : path;
  const trail = walk(source, target);
  const last = trail[trail.length - 1];
  if (!last) return null;
  const complete = trail.length === target.length + 1;

  let offset: number | undefined;
  if (anchor === "key" && complete && last.key) offset = last.key.range?.[0];
  else if (complete && anchor === "value" && last.node && isScalar(last.node) && last.node.value !== null) {
    offset = last.node.range?.[0];
  } else {
    offset = (last.key ?? last.node)?.range?.[0];
  }
  if (offset === undefined) return null;
  const { line, col } = source.lines.linePos(offset);
  return { line, column: col };
}

interface Step {
  /** The key node that led here, when the step went through a mapping. */
  key?: Node;
  node?: Node;
}

/** The nodes along `path`, starting with the document root; stops where the path leaves the document. */
function walk(source: YamlSource, path: readonly PropertyKey[]): Step[] {
  const root = source.doc.contents ?? undefined;
  const trail: Step[] = [{ node: root ?? undefined }];
  let current: unknown = root;
  for (const segment of path) {
    if (isAlias(current)) current = aliasTarget(source, current);
    if (isMap(current)) {
      const pair = pairOf(source, current, String(segment));
      if (!pair) break;
      current = pair.value;
      trail.push({ key: pair.key as Node, node: (pair.value as Node | null) ?? undefined });
    } else if (isSeq(current) && typeof segment === "number") {
      const item = current.items[segment];
      if (item === undefined) break;
      current = item;
      trail.push({ node: item as Node });
    } else {
      break;
    }
  }
  return trail;
}

/** The longest prefix of `path` that is in the document (`path` itself when all of it is). */
export function existingPath(source: YamlSource, path: readonly PropertyKey[]): PropertyKey[] {
  return path.slice(0, walk(source, path).length - 1);
}
