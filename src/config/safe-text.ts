/**
 * Text from a config file (key names, values, YAML fragments) ends up in terminals, logs, check
 * runs and issues. Quoted raw, an escape sequence could rewrite the terminal, a bidi override
 * could make a message lie about what it quotes, and a 5 MB value would make a 5 MB message.
 * These helpers make such text inert and short before it is printed.
 */

/**
 * C0 and C1 controls (tab and newline too: a message is one line), DEL, zero-width and bidi
 * formatting characters, line and paragraph separators, the byte-order mark and lone surrogates.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|\p{Cs}/gu;

/** `text` with every unsafe character written as a visible escape: ESC becomes `\u001b`. */
export function escapeUnsafe(text: string): string {
  return text.replace(UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** `text` cut to `max` characters (counting the `…` that marks the cut). */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** User text quoted for a message: escaped, at most `max` characters inside the quotes. */
export function quoteUserText(text: string, max = 60): string {
  return `"${truncate(escapeUnsafe(truncate(text, max * 2)), max)}"`;
}

/** Longest quoted run `safeMessage` leaves whole. */
const MAX_QUOTED = 80;
/** Longest message `safeMessage` returns. */
const MAX_MESSAGE = 500;

/**
 * A message that may quote user text, made safe to print: unsafe characters escaped, every
 * `"…"` run longer than 80 characters shortened, and the whole at most 500 characters. The
 * choke point for every config message, whatever part of the code wrote it.
 */
export function safeMessage(message: string): string {
  const escaped = escapeUnsafe(message.length > MAX_MESSAGE * 4 ? message.slice(0, MAX_MESSAGE * 4) : message);
  const shortened = escaped.replace(/"([^"]{81,})"/g, (_match, inner: string) => `"${truncate(inner, MAX_QUOTED)}"`);
  return truncate(shortened, MAX_MESSAGE);
}
