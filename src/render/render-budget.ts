import { RenderLimitError } from "./template-error.js";

/**
 * How much one render may produce and do. Without partials (template-rules.ts refuses them) a
 * template can still multiply its output: `{{#each}}` inside `{{#each}}` over long lists
 * (1,000 agenda items, every `invited` line), six levels deep, asks for 10^18 iterations.
 * So every block a template runs is counted while it runs, and the render stops with a
 * {@link RenderLimitError} as soon as either limit is passed, long before memory or time is.
 *
 * - `output`: characters one render may produce. Every block's output is measured when the
 *   block returns, and the whole when the template returns, before anything copies it.
 * - `work`: steps one render may take. Each time a block's body runs it costs a fixed amount,
 *   plus its tags (4 each), path segments and other nodes, plus the characters it produces;
 *   the App's helpers add what they cost (formatInZone's date formatting, a padded or encoded
 *   string's length). A block's output is counted again in each block around it.
 */
export interface RenderLimits {
  output: number;
  work: number;
}

/**
 * The limits of a template a group controls (the issue template, `issue.title`): 256 KiB of
 * output, four times GitHub's 65,536-character issue body, so an issue that GitHub would refuse
 * is refused by a clear message first (templates.ts) and not by the limit; 1 Mi steps, five
 * times what a preset needs for the longest issue GitHub takes (about 190,000 for 520 agenda
 * items). The costliest templates we could write within the source limits (template-rules.ts)
 * were stopped here after 0.1 s of CPU (median; 0.2 s at most) on a busy 2-core machine,
 * compiling included.
 */
export const RENDER_LIMITS: RenderLimits = { output: 256 * 1024, work: 1024 * 1024 };

/**
 * The costs of a parsed template's bodies: the top level, and the body (`fn`) and `{{else}}`
 * (`inverse`) of each block, keyed by where the block starts (`line:column`, the `loc` that
 * Handlebars hands every helper call).
 */
export interface ProgramCosts {
  root: number;
  blocks: Map<string, { fn: number; inverse: number }>;
  /** The costliest body; charged for a block whose location is not in `blocks` (never expected). */
  max: number;
}

/** Counts the nodes of each body of a parsed template (see {@link RenderLimits}). */
export function programCosts(ast: hbs.AST.Program): ProgramCosts {
  const blocks = new Map<string, { fn: number; inverse: number }>();
  let max = 0;
  const bodyCost = (program: hbs.AST.Program | undefined): number => {
    if (!program) return 0;
    let cost = 0;
    for (const statement of program.body) cost += ownNodes(statement);
    max = Math.max(max, cost);
    return cost;
  };
  const root = bodyCost(ast);
  const pending: hbs.AST.Program[] = [ast];
  while (pending.length > 0) {
    for (const statement of pending.pop()!.body) {
      const block = statement as Partial<hbs.AST.BlockStatement>;
      if (!("program" in block) && !("inverse" in block)) continue;
      if (block.loc) blocks.set(locKey(block.loc.start), { fn: bodyCost(block.program), inverse: bodyCost(block.inverse) });
      if (block.program) pending.push(block.program);
      if (block.inverse) pending.push(block.inverse);
    }
  }
  return { root, blocks, max };
}

/**
 * What running one tag costs, besides its path segments and arguments: a strict-mode lookup or a
 * helper call is several times the cost of appending text.
 */
const TAG_COST = 4;

/** What running one body costs besides its nodes: Handlebars' frame, depths and block parameters, and the count itself. */
const BODY_RUN_COST = 8;

/** The cost of a statement outside the bodies of its block: the tag, its path segments, arguments and sub-expressions. */
function ownNodes(statement: hbs.AST.Statement): number {
  let nodes = 0;
  const stack: unknown[] = [statement];
  while (stack.length > 0) {
    const node = stack.pop() as Record<string, unknown> | null | undefined;
    if (!node || typeof node !== "object") continue;
    if (node.type === "PathExpression") nodes += Math.max(1, (node.parts as unknown[]).length);
    else if (node.type === "MustacheStatement" || node.type === "BlockStatement" || node.type === "SubExpression") nodes += TAG_COST;
    else nodes += 1;
    if (node.path) stack.push(node.path);
    if (node.name) stack.push(node.name);
    if (Array.isArray(node.params)) stack.push(...node.params);
    const hash = node.hash as hbs.AST.Hash | undefined;
    if (hash) for (const pair of hash.pairs) stack.push(pair.value);
  }
  return nodes;
}

function locKey(position: { line: number; column: number } | undefined): string {
  return position ? `${position.line}:${position.column}` : "";
}

/** The limits and the count of one render in progress. */
class Budget {
  private used = 0;
  readonly costs: ProgramCosts;
  readonly limits: RenderLimits;

  constructor(costs: ProgramCosts, limits: RenderLimits) {
    this.costs = costs;
    this.limits = limits;
  }

  charge(units: number, where: string): void {
    this.used += units;
    if (this.used > this.limits.work) {
      throw new RenderLimitError(
        `stopped after ${count(this.limits.work)} steps, the most one render may take${at(where)}: ` +
          "a block runs too often (look for {{#each}} inside {{#each}})",
      );
    }
  }

  produced(length: number, where: string): void {
    if (length > this.limits.output) throw outputError(this.limits.output, where);
    this.charge(length, where);
  }

  bodyCost(where: string, body: "fn" | "inverse"): number {
    return BODY_RUN_COST + (this.costs.blocks.get(where)?.[body] ?? this.costs.max);
  }
}

function outputError(limit: number, where: string): RenderLimitError {
  return new RenderLimitError(`stopped: the output passed ${count(limit)} characters, the most one render may produce${at(where)}`);
}

function at(where: string): string {
  const [line, column] = where.split(":");
  return line && column ? ` (in the block at line ${line}, column ${Number(column) + 1})` : "";
}

/** The render in progress. Rendering is synchronous, so one slot serves the whole process. */
let active: Budget | null = null;

/**
 * Runs one render of a template whose bodies cost `costs`, within `limits`: charges the top
 * level, lets the counted helpers charge their blocks, and checks the whole output at the end.
 *
 * @throws RenderLimitError as soon as a limit is passed.
 */
export function renderWithin(costs: ProgramCosts, limits: RenderLimits, render: () => string): string {
  const previous = active;
  const budget = new Budget(costs, limits);
  active = budget;
  try {
    budget.charge(costs.root, "");
    const output = render();
    // `.length` of a concatenation is free: a runaway output is refused before anything copies it.
    if (output.length > limits.output) throw outputError(limits.output, "");
    return output;
  } finally {
    active = previous;
  }
}

/** Charges work done by a helper (formatting a date, padding text) to the render in progress. */
export function chargeHelper(units: number): void {
  active?.charge(units, "");
}

/** The runtime options object Handlebars passes as a helper's last argument (the parts used here). */
interface HelperOptions {
  fn?: unknown;
  inverse?: unknown;
  loc?: { start?: { line: number; column: number } };
}

const COUNTED = Symbol("wg-meetings.counted");

/**
 * Wraps a helper so that the blocks it runs are counted: each run of its body (`options.fn`)
 * or `{{else}}` (`options.inverse`) is charged the body's cost before it runs and its output
 * after. A list handed to a block (`{{#each list}}`) is charged its length up front, so even a
 * list of holes costs its size. Helpers called without a block pass through unchanged.
 */
export function counted<Helper extends (...args: never[]) => unknown>(helper: Helper): Helper {
  return function (this: unknown, ...args: unknown[]) {
    const budget = active;
    const options = args.at(-1) as HelperOptions | undefined;
    if (budget && options && typeof options === "object" && (typeof options.fn === "function" || typeof options.inverse === "function")) {
      const where = locKey(options.loc?.start);
      if (Array.isArray(args[0])) budget.charge(args[0].length, where);
      args[args.length - 1] = {
        ...options,
        fn: countedBody(options.fn, budget, where, "fn"),
        inverse: countedBody(options.inverse, budget, where, "inverse"),
      };
    }
    return (helper as unknown as (...values: unknown[]) => unknown).apply(this, args);
  } as unknown as Helper;
}

function countedBody(body: unknown, budget: Budget, where: string, which: "fn" | "inverse"): unknown {
  if (typeof body !== "function" || (body as { [COUNTED]?: true })[COUNTED]) return body;
  const run = body as (...args: unknown[]) => unknown;
  const cost = budget.bodyCost(where, which);
  // Handlebars' own properties on a body (program, depth, blockParams) are kept.
  return Object.assign(
    function (this: unknown, ...args: unknown[]) {
      budget.charge(cost, where);
      const output = run.apply(this, args);
      if (typeof output === "string") budget.produced(output.length, where);
      return output;
    },
    run,
    { [COUNTED]: true as const },
  );
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}
