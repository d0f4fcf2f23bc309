import type { InstalledRepo } from "./repo-config.js";

/**
 * Reads one page of `GET /installation/repositories` as its bytes arrive and keeps only the four
 * fields the tick reads of each repository, without building the page's text or its objects.
 *
 * Why not `JSON.parse`: a page is about 500 KB of JSON (100 full repository objects). Turning
 * each page into a string and an object tree, 100 pages for 10,000 repositories, is what made
 * the tick's peak memory grow with the installation's size (V8's young generation grows under
 * that churn, see issue 12's figures in docs/deploy.md). Scanning the bytes allocates only the
 * four small values per repository.
 *
 * The scanner checks the document's structure (brackets, quotes, commas, colons, one root
 * object, nothing after it) and every value it keeps; a page that ends early or is not a listing
 * is an error, never a shorter list. It does not check the spelling of the numbers, literals or
 * escapes in the values it skips.
 */

/** A page that is not a well-formed repository listing. */
export class RepositoryListingError extends Error {
  override name = "RepositoryListingError";
}

/** What one page said besides its repositories. */
export interface ListingPageSummary {
  /** `total_count`, when the page had it. */
  totalCount: number | undefined;
  /** How many repositories the page listed. */
  repositories: number;
}

export interface ListingScannerLimits {
  /** Bytes of JSON one page may have (default 16 MiB: a real page of 100 is about 0.5 MiB). */
  maxBytes?: number;
  /** Nesting depth (default 64). */
  maxDepth?: number;
  /**
   * Repositories one page may list (default unlimited). A page of more than were asked for is
   * not GitHub's answer, and 16 MiB of tiny ones would be a quarter of a million records.
   */
  maxRepositories?: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

// What the scanner expects next.
const VALUE = 0;
const VALUE_OR_CLOSE = 1; // just after `[`
const KEY_OR_CLOSE = 2; // just after `{`
const KEY = 3; // after a comma in an object
const AFTER_KEY = 4; // the colon
const AFTER_VALUE = 5; // a comma or the container's end
const IN_STRING = 6;
const IN_ESCAPE = 7;
const IN_SCALAR = 8;
const DONE = 9;

const OBJECT = 1;
const ARRAY = 2;

// The keys the scanner keeps a value of.
const NONE = 0;
const FULL_NAME = 1;
const NODE_ID = 2;
const DEFAULT_BRANCH = 3;
const ARCHIVED = 4;
const TOTAL_COUNT = 5;
const REPOSITORIES = 6;

const encoder = new TextEncoder();
const REPOSITORY_KEYS: ReadonlyArray<readonly [Uint8Array, number]> = [
  [encoder.encode("full_name"), FULL_NAME],
  [encoder.encode("node_id"), NODE_ID],
  [encoder.encode("default_branch"), DEFAULT_BRANCH],
  [encoder.encode("archived"), ARCHIVED],
];
const ROOT_KEYS: ReadonlyArray<readonly [Uint8Array, number]> = [
  [encoder.encode("total_count"), TOTAL_COUNT],
  [encoder.encode("repositories"), REPOSITORIES],
];
const KEY_NAMES = ["", "full_name", "node_id", "default_branch", "archived", "total_count", "repositories"];

/** Longest key or kept value read (a repository's full name is at most 140 characters). */
const MAX_TOKEN = 1024;

/** True for bytes that may appear in a number, `true`, `false` or `null`. */
function isScalarByte(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7a) || byte === 0x2d || byte === 0x2b || byte === 0x2e || byte === 0x45;
}

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

interface PartialRepo {
  fullName?: unknown;
  nodeId?: unknown;
  defaultBranch?: unknown;
  archived?: unknown;
}

/**
 * A scanner for one listing page: `write` each chunk of the (decompressed) body as it arrives,
 * then `end`. `write` returns the repositories completed in that chunk, in page order.
 *
 * @example
 * const scanner = new RepositoryListingScanner();
 * for await (const chunk of body) repos.push(...scanner.write(chunk));
 * const { totalCount } = scanner.end();
 */
export class RepositoryListingScanner {
  private readonly maxBytes: number;
  private readonly maxDepth: number;
  private readonly maxRepositories: number;
  private mode = VALUE;
  private readonly stack: number[] = [];
  private bytes = 0;
  /** The raw bytes of the key or kept value being read (between the quotes for a string). */
  private readonly token = new Uint8Array(MAX_TOKEN);
  private tokenLength = 0;
  private tokenOverflow = false;
  private tokenEscaped = false;
  private capturing = false;
  private stringIsKey = false;
  /** The key whose value comes next, if it is one the scanner keeps. */
  private wanted = NONE;
  private inRepositories = false;
  private sawRepositories = false;
  private repo: PartialRepo | undefined;
  private count = 0;
  private totalCount: number | undefined;
  private out: InstalledRepo[] = [];

  constructor(limits: ListingScannerLimits = {}) {
    this.maxBytes = limits.maxBytes ?? 16 * 1024 * 1024;
    this.maxDepth = limits.maxDepth ?? 64;
    this.maxRepositories = limits.maxRepositories ?? Infinity;
  }

  /** Reads the next bytes of the page; returns the repositories they completed. */
  write(chunk: Uint8Array): InstalledRepo[] {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) this.fail(`the page is larger than ${this.maxBytes} bytes`);
    this.out = [];
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (this.mode === IN_STRING) {
        if (byte === QUOTE) this.endString();
        else if (byte === BACKSLASH) {
          this.tokenEscaped = true;
          this.keep(byte);
          this.mode = IN_ESCAPE;
        } else if (byte < 0x20) this.fail("a control character in a string");
        else this.keep(byte);
        continue;
      }
      if (this.mode === IN_ESCAPE) {
        this.keep(byte);
        this.mode = IN_STRING;
        continue;
      }
      if (this.mode === IN_SCALAR) {
        if (isScalarByte(byte)) {
          this.keep(byte);
          continue;
        }
        this.endScalar();
      }
      if (isWhitespace(byte)) continue;
      switch (this.mode) {
        case VALUE_OR_CLOSE:
          if (byte === CLOSE_ARRAY) {
            this.close();
            break;
          }
          this.startValue(byte);
          break;
        case VALUE:
          this.startValue(byte);
          break;
        case KEY_OR_CLOSE:
          if (byte === CLOSE_OBJECT) this.close();
          else if (byte === QUOTE) this.startKey();
          else this.fail("expected a key or `}`");
          break;
        case KEY:
          if (byte === QUOTE) this.startKey();
          else this.fail("expected a key");
          break;
        case AFTER_KEY:
          if (byte !== COLON) this.fail("expected `:`");
          this.mode = VALUE;
          break;
        case AFTER_VALUE: {
          const top = this.stack[this.stack.length - 1];
          if (byte === COMMA) this.mode = top === OBJECT ? KEY : VALUE;
          else if ((byte === CLOSE_OBJECT && top === OBJECT) || (byte === CLOSE_ARRAY && top === ARRAY)) this.close();
          else this.fail(top === OBJECT ? "expected `,` or `}`" : "expected `,` or `]`");
          break;
        }
        default:
          this.fail("more after the end of the document");
      }
    }
    return this.out;
  }

  /** Ends the page. Throws when it ended early or listed no `repositories`. */
  end(): ListingPageSummary {
    if (this.mode !== DONE) this.fail("the page ended early");
    if (!this.sawRepositories) this.fail("the page has no `repositories` array");
    return { totalCount: this.totalCount, repositories: this.count };
  }

  private fail(reason: string): never {
    // `bytes` counts whole chunks: the fault is somewhere in them (counting each byte on the way
    // slowed the scan by a quarter).
    throw new RepositoryListingError(`GitHub's repository listing is not valid within its first ${this.bytes} bytes: ${reason}`);
  }

  private keep(byte: number): void {
    if (!this.capturing) return;
    if (this.tokenLength === MAX_TOKEN) {
      this.tokenOverflow = true;
      return;
    }
    this.token[this.tokenLength++] = byte;
  }

  private startCapture(capturing: boolean): void {
    this.capturing = capturing;
    this.tokenLength = 0;
    this.tokenOverflow = false;
    this.tokenEscaped = false;
  }

  private startKey(): void {
    const depth = this.stack.length;
    this.stringIsKey = true;
    this.startCapture(depth === 1 || (depth === 3 && this.inRepositories));
    this.mode = IN_STRING;
  }

  private startValue(byte: number): void {
    const depth = this.stack.length;
    if (depth === 2 && this.inRepositories && byte !== OPEN_OBJECT) this.fail(`repository ${this.count + 1} is not an object`);
    if (depth === 0 && byte !== OPEN_OBJECT) this.fail("the page is not a JSON object");
    if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (this.wanted === REPOSITORIES) {
        if (byte !== OPEN_ARRAY) this.fail("`repositories` is not an array");
        if (this.sawRepositories) this.fail("`repositories` appears twice");
        this.inRepositories = this.sawRepositories = true;
      } else if (this.wanted !== NONE) this.fail(`\`${KEY_NAMES[this.wanted]}\` is not a single value`);
      this.wanted = NONE;
      if (depth === this.maxDepth) this.fail(`nested deeper than ${this.maxDepth}`);
      this.stack.push(byte === OPEN_OBJECT ? OBJECT : ARRAY);
      if (depth === 2 && this.inRepositories) {
        if (this.count >= this.maxRepositories) this.fail(`the page lists more than ${this.maxRepositories} repositories`);
        this.repo = {};
      }
      this.mode = byte === OPEN_OBJECT ? KEY_OR_CLOSE : VALUE_OR_CLOSE;
      return;
    }
    if (this.wanted === REPOSITORIES) this.fail("`repositories` is not an array");
    if (byte === QUOTE) {
      this.stringIsKey = false;
      this.startCapture(this.wanted !== NONE);
      this.mode = IN_STRING;
      return;
    }
    if (!isScalarByte(byte)) this.fail(`unexpected \`${String.fromCharCode(byte)}\``);
    this.startCapture(this.wanted !== NONE);
    this.keep(byte);
    this.mode = IN_SCALAR;
  }

  private endString(): void {
    if (this.stringIsKey) {
      this.wanted = this.capturing ? this.keyId() : NONE;
      this.mode = AFTER_KEY;
      return;
    }
    if (this.wanted !== NONE) this.store(this.decodeString());
    this.afterValue();
  }

  private endScalar(): void {
    if (this.wanted !== NONE) {
      const text = this.tokenText();
      if (text === "true") this.store(true);
      else if (text === "false") this.store(false);
      else if (text === "null") this.store(null);
      else if (/^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(text)) this.store(Number(text));
      else this.fail(`\`${KEY_NAMES[this.wanted]}\` is not a JSON value`);
    }
    this.afterValue();
  }

  private afterValue(): void {
    this.wanted = NONE;
    this.capturing = false;
    this.mode = this.stack.length === 0 ? DONE : AFTER_VALUE;
  }

  private close(): void {
    const depth = this.stack.length;
    this.stack.pop();
    if (depth === 3 && this.inRepositories) this.finishRepo();
    else if (depth === 2 && this.inRepositories) this.inRepositories = false;
    this.afterValue();
  }

  /** Which kept key the token is, or NONE. */
  private keyId(): number {
    if (this.tokenOverflow) return NONE;
    const keys = this.stack.length === 1 ? ROOT_KEYS : REPOSITORY_KEYS;
    if (this.tokenEscaped) {
      const name = this.decodeString();
      const index = keys.findIndex(([, id]) => KEY_NAMES[id] === name);
      return index < 0 ? NONE : keys[index]![1];
    }
    for (const [bytes, id] of keys) {
      if (bytes.length !== this.tokenLength) continue;
      let same = true;
      for (let i = 0; i < bytes.length && same; i++) same = bytes[i] === this.token[i];
      if (same) return id;
    }
    return NONE;
  }

  private tokenText(): string {
    if (this.tokenOverflow) this.fail(`\`${KEY_NAMES[this.wanted]}\` is longer than ${MAX_TOKEN} bytes`);
    return decoder.decode(this.token.subarray(0, this.tokenLength));
  }

  /** The string token's value: its escapes resolved exactly as JSON.parse does. */
  private decodeString(): string {
    const raw = this.tokenText();
    if (!this.tokenEscaped) return raw;
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      return this.fail("a bad escape in a string");
    }
  }

  private store(value: unknown): void {
    switch (this.wanted) {
      case TOTAL_COUNT:
        this.totalCount = typeof value === "number" ? value : undefined;
        return;
      case FULL_NAME:
        this.repo!.fullName = value;
        return;
      case NODE_ID:
        this.repo!.nodeId = value;
        return;
      case DEFAULT_BRANCH:
        this.repo!.defaultBranch = value;
        return;
      case ARCHIVED:
        this.repo!.archived = value;
    }
  }

  private finishRepo(): void {
    const repo = this.repo!;
    this.repo = undefined;
    this.count++;
    const where = typeof repo.fullName === "string" ? `repository ${this.count} (${repo.fullName})` : `repository ${this.count}`;
    if (typeof repo.fullName !== "string" || !/^[^/\s]+\/[^/\s]+$/.test(repo.fullName)) this.fail(`${where} has no \`full_name\` of the form owner/name`);
    if (typeof repo.nodeId !== "string" || repo.nodeId === "") this.fail(`${where} has no \`node_id\``);
    if (typeof repo.defaultBranch !== "string") this.fail(`${where} has no \`default_branch\``);
    if (typeof repo.archived !== "boolean") this.fail(`${where} has no \`archived\` true or false`);
    this.out.push({ fullName: repo.fullName, nodeId: repo.nodeId, defaultBranch: repo.defaultBranch, archived: repo.archived });
  }
}

const decoder = new TextDecoder("utf-8", { fatal: false });
