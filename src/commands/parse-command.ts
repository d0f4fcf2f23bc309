import { normaliseRecordingUrl } from "../minutes/recording-url.js";

/**
 * Chair commands in issue comments (`/minutes https://youtu.be/…`). A command is a line of its
 * own, as on every bot people know; text that only *shows* a command — quoted in an email reply,
 * inside code, in a hidden HTML comment — must never run it, or quoting the chair's comment
 * would publish the minutes a second time.
 */

/** The commands the App answers to. Other `/words` (a pasted path, `/shrug`) are plain text. */
export const CHAIR_COMMANDS = ["minutes", "agenda", "cancel", "move", "help"] as const;

/** A command found in a comment: its lowercase name and the rest of its line, trimmed. */
export interface ChairCommand {
  name: string;
  args: string;
}

/** Thrown when a command's arguments are not what it expects; the message shows the usage. */
export class CommandUsageError extends Error {
  override name = "CommandUsageError";
}

/** Up to three spaces, a fence of three or more backticks or tildes, then the info string. */
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
/** `/name` then a space or the end of the line (so `/minutesX` and `/usr/bin` are not commands). */
const COMMAND = /^ {0,3}\/([A-Za-z][A-Za-z0-9-]*)(?:[ \t]+(.*))?$/;
const BLOCK_QUOTE = /^ {0,3}>/;
const BLANK = /^[ \t]*$/;

/**
 * The first known command in a comment, or null.
 *
 * A command is `/name args` at the start of a line (after at most three spaces), outside fenced
 * code (``` and ~~~), indented code, block quotes, HTML comments and inline code spans that cross
 * lines. Names match case-insensitively because phones capitalise the first word
 * (`/Minutes`). CRLF line ends are fine.
 *
 * @example parseChairCommand("Thanks all!\n/minutes https://youtu.be/x") // { name: "minutes", args: "https://youtu.be/x" }
 */
export function parseChairCommand(commentBody: string, names: readonly string[] = CHAIR_COMMANDS): ChairCommand | null {
  const known = new Set(names.map((name) => name.toLowerCase()));
  const lines = commentBody.split(/\r\n?|\n/);
  let fence: { char: string; length: number } | null = null;
  let inHtmlComment = false;
  // The current paragraph, so a code span opened on one line can be seen to cover the next.
  let paragraph: string[] = [];

  for (const line of lines) {
    if (fence) {
      if (closesFence(line, fence)) fence = null;
      continue;
    }
    if (inHtmlComment) {
      if (line.includes("-->")) inHtmlComment = false;
      continue;
    }
    if (BLANK.test(line)) {
      paragraph = [];
      continue;
    }
    const open = FENCE_OPEN.exec(line);
    // A backtick fence's info string may not contain a backtick (CommonMark), else it is inline code.
    if (open?.[1] && !(open[1].startsWith("`") && open[2]?.includes("`"))) {
      fence = { char: open[1][0]!, length: open[1].length };
      paragraph = [];
      continue;
    }
    if (/^ {0,3}<!--/.test(line) && !line.includes("-->")) {
      inHtmlComment = true;
      continue;
    }
    const codeSpanOpen = insideCodeSpan(paragraph);
    paragraph.push(line);
    // Indented code (four columns or a tab) and quotes only show text; so does an open code span.
    if (/^(?: {4}| {0,3}\t)/.test(line) || BLOCK_QUOTE.test(line) || codeSpanOpen) continue;
    const match = COMMAND.exec(line);
    if (!match?.[1]) continue;
    const name = match[1].toLowerCase();
    // "*" asks for any command, so the caller can answer an unknown one with help.
    if (known.has(name) || known.has("*")) return { name, args: (match[2] ?? "").trim() };
  }
  return null;
}

function closesFence(line: string, fence: { char: string; length: number }): boolean {
  const match = /^ {0,3}(`+|~+)[ \t]*$/.exec(line);
  return !!match?.[1] && match[1][0] === fence.char && match[1].length >= fence.length;
}

/**
 * Whether the paragraph so far ends inside an inline code span. CommonMark: a run of N
 * backticks opens a span only if a later run of exactly N closes it; an unclosed run is literal
 * text. Here the closing run may still come on a later line, so an open run counts as a span —
 * the safe side, since a command shown in code must not run.
 */
function insideCodeSpan(paragraph: readonly string[]): boolean {
  const text = paragraph.join("\n").replace(/\\`/g, "");
  let open = 0;
  for (const run of text.match(/`+/g) ?? []) {
    if (open === 0) open = run.length;
    else if (run.length === open) open = 0;
  }
  return open !== 0;
}

/** The arguments of `/minutes`. */
export interface MinutesArgs {
  /** The recording's URL as normalised by the WHATWG URL parser, or null when none was given. */
  recording: string | null;
}

const MINUTES_USAGE = "/minutes [recording URL]";

/**
 * Parses the arguments of `/minutes`: nothing, or one http(s) URL of the recording (a Markdown
 * autolink `<https://…>` is accepted too). Anything else throws a {@link CommandUsageError}
 * whose message shows the expected form, for the App to answer with.
 *
 * @example parseMinutesArgs("https://www.youtube.com/watch?v=g4s439-Lfmw") // { recording: "https://www.youtube.com/watch?v=g4s439-Lfmw" }
 */
export function parseMinutesArgs(args: string): MinutesArgs {
  if (args.trim() === "") return { recording: null };
  try {
    return { recording: normaliseRecordingUrl(args) };
  } catch (error) {
    throw new CommandUsageError(
      `${(error as Error).message}: expected \`${MINUTES_USAGE}\`, e.g. \`/minutes https://www.youtube.com/watch?v=…\``,
    );
  }
}
