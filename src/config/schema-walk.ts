import { globalRegistry, type core } from "zod";

/**
 * Read-only introspection of the config schema: which keys a mapping accepts, what a key
 * expects, its default and its `.describe()` line. Error messages (valid keys, "did you mean")
 * and `docs/configuration.md` both come from here, so neither can drift from `schema.ts`.
 *
 * zod 4 keeps a schema's structure on `_zod.def`; only the few fields read below are typed.
 */

export type AnySchema = core.$ZodType;

interface Def {
  type: string;
  innerType?: AnySchema;
  in?: AnySchema;
  shape?: Record<string, AnySchema>;
  element?: AnySchema;
  options?: AnySchema[];
  entries?: Record<string, string | number>;
  defaultValue?: unknown;
  values?: unknown[];
}

/** The structural definition of a schema (`object`, `array`, `union`, `default`, …). */
export function defOf(schema: AnySchema): Def {
  return schema._zod.def as unknown as Def;
}

const WRAPPERS = new Set(["default", "prefault", "optional", "nullable", "readonly", "catch", "nonoptional"]);

/**
 * Strips the wrappers that do not change what the user writes: defaults, optional, and the
 * input side of a pipe (`z.string().transform(…)` is written as a string).
 */
export function unwrap(schema: AnySchema): AnySchema {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (WRAPPERS.has(def.type) && def.innerType) current = def.innerType;
    else if (def.type === "pipe" && def.in) current = def.in;
    else return current;
  }
}

/** The base kind of what the user writes: `object`, `array`, `string`, `enum`, `union`, … */
export function kindOf(schema: AnySchema): string {
  return defOf(unwrap(schema)).type;
}

/** The keys of an object schema, in declaration order (empty for anything else). */
export function shapeOf(schema: AnySchema): Record<string, AnySchema> {
  return defOf(unwrap(schema)).shape ?? {};
}

/** The options of a union schema (empty for anything else). */
export function optionsOf(schema: AnySchema): AnySchema[] {
  return defOf(unwrap(schema)).options ?? [];
}

/** The element schema of an array schema. */
export function elementOf(schema: AnySchema): AnySchema | undefined {
  return defOf(unwrap(schema)).element;
}

/** The accepted values of an enum or literal schema. */
export function enumValuesOf(schema: AnySchema): string[] {
  const def = defOf(unwrap(schema));
  if (def.entries) return Object.values(def.entries).map(String);
  if (def.values) return def.values.map(String);
  return [];
}

/** Whether a key may be left out (it is optional or has a default). */
export function isOptionalKey(schema: AnySchema): boolean {
  return schema._zod.optin !== undefined;
}

/** The keys an object schema requires. */
export function requiredKeysOf(schema: AnySchema): string[] {
  return Object.entries(shapeOf(schema))
    .filter(([, value]) => !isOptionalKey(value))
    .map(([key]) => key);
}

/** The `.describe()` text of a schema or of the first wrapper inside it that has one. */
export function descriptionOf(schema: AnySchema): string | undefined {
  let current: AnySchema | undefined = schema;
  while (current) {
    const text = globalRegistry.get(current)?.description;
    if (text) return text;
    const def = defOf(current);
    current = WRAPPERS.has(def.type) ? def.innerType : def.type === "pipe" ? def.in : undefined;
  }
  return undefined;
}

/**
 * The default a key takes when it is left out, or `undefined` when there is none. A
 * `prefault({})` (a section whose keys all have defaults) reports `{}`.
 */
export function defaultOf(schema: AnySchema): { value: unknown } | undefined {
  let current: AnySchema | undefined = schema;
  while (current) {
    const def = defOf(current);
    if (def.type === "default" || def.type === "prefault") return { value: def.defaultValue };
    current = WRAPPERS.has(def.type) ? def.innerType : undefined;
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether `value` has the base type `schema` expects (a mapping for an object, …). */
export function typeMatches(schema: AnySchema, value: unknown): boolean {
  switch (kindOf(schema)) {
    case "object":
      return isPlainObject(value);
    case "array":
      return Array.isArray(value);
    case "string":
    case "enum":
      return typeof value === "string";
    case "number":
      return typeof value === "number";
    case "boolean":
      return typeof value === "boolean";
    case "union":
      return optionsOf(schema).some((option) => typeMatches(option, value));
    default:
      return true;
  }
}

/**
 * Picks the union option the user most likely meant for `value`: among the options whose base
 * type matches, the object option sharing the most keys with the value. Returns the option's
 * index, or `undefined` when no option matches or the best ones tie.
 */
export function pickOption(options: AnySchema[], value: unknown): number | undefined {
  const matching = options.map((option, index) => ({ option, index })).filter(({ option }) => typeMatches(option, value));
  if (matching.length <= 1) return matching[0]?.index;
  if (!isPlainObject(value)) return matching[0]?.index;
  const present = Object.keys(value);
  const scored = matching.map(({ option, index }) => {
    const shape = shapeOf(option);
    return { index, score: present.filter((key) => key in shape).length };
  });
  scored.sort((a, b) => b.score - a.score);
  const [best, second] = scored;
  if (!best || best.score === 0 || (second && second.score === best.score)) return undefined;
  return best.index;
}

/**
 * The schema that validates the value at `path` under `root`, following the union option that
 * fits the actual `input` (needed for unions of mappings such as `schedule`).
 */
export function schemaAt(root: AnySchema, path: readonly PropertyKey[], input: unknown): AnySchema | undefined {
  let schema: AnySchema | undefined = root;
  let value = input;
  for (const segment of path) {
    schema = resolveUnion(schema, value);
    if (!schema) return undefined;
    const kind = kindOf(schema);
    if (kind === "object") schema = shapeOf(schema)[String(segment)];
    else if (kind === "array") schema = elementOf(schema);
    else return undefined;
    value = isPlainObject(value) || Array.isArray(value) ? (value as Record<string, unknown>)[String(segment)] : undefined;
  }
  return schema;
}

/** Follows unions down to the option that fits `value`, or `undefined` when none clearly does. */
export function resolveUnion(schema: AnySchema | undefined, value: unknown): AnySchema | undefined {
  let current = schema;
  while (current && kindOf(current) === "union") {
    const options = optionsOf(current);
    const index = pickOption(options, value);
    current = index === undefined ? undefined : options[index];
  }
  return current;
}
