/**
 * The small Markdown of a ChatMessage, parsed once so each service can write it its own way:
 * lines (a blank line ends a paragraph), `- ` list items, `**bold**` and `[text](https://…)`
 * links. Anything else is text, shown as written.
 */

/** A run of text inside a line. */
export type Inline = { kind: "text"; text: string } | { kind: "bold"; children: Inline[] } | { kind: "link"; text: string; url: string };

/** One line of the message. */
export type Line = { kind: "text"; inlines: Inline[] } | { kind: "item"; inlines: Inline[] } | { kind: "blank" };

/** Parses `text` into lines of inline runs. Line ends are normalised; runs of blank lines collapse to one. */
export function parseChatMarkdown(text: string): Line[] {
  const lines: Line[] = [];
  for (const raw of text.replace(/\r\n?/g, "\n").split("\n")) {
    const line = raw.trimEnd();
    if (line.trim() === "") {
      if (lines.length > 0 && lines[lines.length - 1]?.kind !== "blank") lines.push({ kind: "blank" });
      continue;
    }
    const item = /^\s*[-*] (.*)$/.exec(line);
    if (item) lines.push({ kind: "item", inlines: parseInline(item[1] ?? "", true) });
    else lines.push({ kind: "text", inlines: parseInline(line, true) });
  }
  while (lines.length > 0 && lines[lines.length - 1]?.kind === "blank") lines.pop();
  return lines;
}

/** Only web links: a `javascript:` or `mailto:` target stays text. */
const LINK = /^\[([^\]\n]+)\]\((https?:\/\/[^\s()<>]+)\)/;

function parseInline(source: string, allowBold: boolean): Inline[] {
  const out: Inline[] = [];
  let text = "";
  const flush = (): void => {
    if (text !== "") out.push({ kind: "text", text });
    text = "";
  };
  let i = 0;
  while (i < source.length) {
    const rest = source.slice(i);
    if (allowBold && rest.startsWith("**")) {
      const end = source.indexOf("**", i + 2);
      if (end > i + 2) {
        flush();
        out.push({ kind: "bold", children: parseInline(source.slice(i + 2, end), false) });
        i = end + 2;
        continue;
      }
    }
    if (rest.startsWith("[")) {
      const link = LINK.exec(rest);
      if (link && isWebUrl(link[2] ?? "")) {
        flush();
        out.push({ kind: "link", text: link[1] ?? "", url: link[2] ?? "" });
        i += link[0].length;
        continue;
      }
    }
    text += source[i];
    i += 1;
  }
  flush();
  return out;
}

/**
 * The spans (UTF-16 offsets into `text`) of the bold runs and links {@link parseChatMarkdown}
 * would find: a cut inside one would show its Markdown as text, so the truncation avoids them.
 */
export function inlineSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let offset = 0;
  for (const line of text.split("\n")) {
    let i = 0;
    while (i < line.length) {
      const rest = line.slice(i);
      if (rest.startsWith("**")) {
        const end = line.indexOf("**", i + 2);
        if (end > i + 2) {
          spans.push([offset + i, offset + end + 2]);
          i = end + 2;
          continue;
        }
      }
      const link = rest.startsWith("[") ? LINK.exec(rest) : null;
      if (link && isWebUrl(link[2] ?? "")) {
        spans.push([offset + i, offset + i + link[0].length]);
        i += link[0].length;
        continue;
      }
      i += 1;
    }
    offset += line.length + 1;
  }
  return spans;
}

function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

/** The mass mentions of the four services (and Zulip's stream/topic/all wildcards); not inside an address such as wg@here.example. */
const MASS_MENTION = /(?<![\w.+-])@(?=(?:everyone|here|channel|room|all|stream|topic)\b)/gi;
/** Zulip's mention syntax (`@**name**`, `@_**name**`, `@*group*`), and an `@` that ends a run (the next run may start with `**`). */
const MENTION_SYNTAX = /@(?=_?(?:\*|$))/g;
const ZERO_WIDTH_SPACE = "\u200B";

/**
 * Template text never pings a room: a zero-width space after the `@` of `@everyone`, `@here`,
 * `@channel`, `@room`, `@all`, and of Zulip's `@**…**` syntax, shows the same to readers and
 * is no mention to the service. (Discord and Matrix are also told so in the request.)
 */
export function defuseMentions(text: string): string {
  return text.replace(MASS_MENTION, `@${ZERO_WIDTH_SPACE}`).replace(MENTION_SYNTAX, `@${ZERO_WIDTH_SPACE}`);
}

/** How a service writes each part; `render` joins them. */
export interface ChatWriter {
  text(text: string): string;
  bold(inner: string): string;
  link(text: string, url: string): string;
  /** One line: `item` for a `- ` list line. */
  line(content: string, item: boolean): string;
  /** The lines joined; `blank` marks where a paragraph ends. */
  join(lines: Array<{ content: string; item: boolean } | "blank">): string;
}

/** Writes parsed lines with `writer`, defusing mentions in every text run. */
export function render(lines: readonly Line[], writer: ChatWriter): string {
  const inline = (runs: readonly Inline[]): string =>
    runs
      .map((run) => {
        if (run.kind === "text") return writer.text(defuseMentions(run.text));
        if (run.kind === "bold") return writer.bold(inline(run.children));
        return writer.link(defuseMentions(run.text), run.url);
      })
      .join("");
  return writer.join(lines.map((line) => (line.kind === "blank" ? "blank" : { content: writer.line(inline(line.inlines), line.kind === "item"), item: line.kind === "item" })));
}

/** Joins lines with newlines and a blank line between paragraphs: how the three text services show it. */
export function joinPlain(lines: Array<{ content: string; item: boolean } | "blank">): string {
  return lines.map((line) => (line === "blank" ? "" : line.content)).join("\n");
}
