/**
 * Putting text the App does not control (error messages, config values) into an alarm issue.
 * The issue is read by the whole group: the text must stay on its line, never become HTML, a
 * link or a fake marker, never @-mention (and so notify) anybody, and never carry a secret.
 */

const ZWSP = "\u200B";

/**
 * Removes anything shaped like a credential. Error texts are already written to be safe
 * (`describeError`, `GoogleDocsError`); this is the second belt: GitHub tokens, JWTs, private
 * keys, Google access tokens and API keys, `Bearer`/`token` headers, passwords in URLs and
 * secret-looking query parameters.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, "[redacted key]")
    .replace(/\b(?:gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{16,})/g, "[redacted]")
    .replace(/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, "[redacted]")
    .replace(/\bya29\.[A-Za-z0-9._-]+/g, "[redacted]")
    .replace(/\bAIza[0-9A-Za-z_-]{30,}/g, "[redacted]")
    .replace(/\b(bearer|token|basic)\s+[A-Za-z0-9._~+/=-]{12,}/gi, "$1 [redacted]")
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, "$1[redacted]@")
    .replace(/([?&](?:access_token|token|key|sig|signature|secret|password|client_secret)=)[^&\s#]+/gi, "$1[redacted]");
}

/**
 * One line: every run of whitespace (newlines included) becomes a space; controls and bidi
 * overrides go, and an HTML comment opener is broken so quoted text can never read as one of
 * the App's hidden markers.
 */
function oneLine(text: string): string {
  return defuseComments(text)
    .replace(/[\u202A-\u202E\u2066-\u2069]/g, "")
    .replace(/[\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F]/g, "")
    .replace(/[\s\u0085\u2028\u2029]+/g, " ")
    .trim();
}

/** Cuts at `max` code points. */
function cut(text: string, max: number): string {
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, max).join("").trimEnd()}…`;
}

/**
 * Text shown as code: inside a code span Markdown, HTML and mentions are all inert. The fence
 * is one backtick longer than any run inside, so the text cannot close it.
 */
export function codeSpan(text: string, max = 600): string {
  const line = cut(oneLine(redactSecrets(text)), max);
  const longest = Math.max(0, ...Array.from(line.matchAll(/`+/g), (m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = line.startsWith("`") || line.endsWith("`") ? " " : "";
  return `${fence}${pad}${line}${pad}${fence}`;
}

/**
 * Text shown as prose, e.g. a config error `unknown key "agendaa" (did you mean \`agenda\`?)`:
 * its code spans are kept (they render as code, and are inert), everything else has its
 * Markdown punctuation escaped and its mentions broken by an invisible zero-width space.
 */
export function inlineText(text: string, max = 600): string {
  const line = cut(oneLine(redactSecrets(text)), max);
  let out = "";
  let rest = line;
  for (;;) {
    const open = /(?<!\\)`+/.exec(rest);
    if (!open) break;
    const close = new RegExp(`(?<!\`)${open[0]}(?!\`)`, "g");
    close.lastIndex = open.index + open[0].length;
    const end = close.exec(rest);
    if (!end) break;
    out += escapeProse(rest.slice(0, open.index)) + rest.slice(open.index, end.index + open[0].length);
    rest = rest.slice(end.index + open[0].length);
  }
  return out + escapeProse(rest);
}

function escapeProse(text: string): string {
  return text
    .replace(/[\\`*_[\]<>|~$]/g, "\\$&")
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, "\\&")
    .replace(/@(?=[A-Za-z0-9_-])/g, `@${ZWSP}`);
}

/** Breaks `<!--` with an invisible zero-width space: no HTML comment, no marker look-alike. */
export function defuseComments(text: string): string {
  return text.replace(/<!--/g, `<!${ZWSP}--`);
}

/** `2024-10-21 15:00 UTC`. */
export function utcText(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
