/**
 * The recording's URL is printed bare in the minutes (`* **Recording**: https://…`, as the
 * Node.js files have it) and comes from a comment or a doc anyone with the link may edit, so it
 * is parsed, not pasted.
 */

/**
 * Checks that `text` is one http(s) URL (a Markdown autolink `<https://…>` is accepted) and
 * returns it as the WHATWG URL parser serialises it, with the few characters that parser leaves
 * in queries and that could end the link or start HTML (`<`, `>`, `"`, `` ` ``, `{`, `|`…)
 * percent-encoded.
 *
 * @throws Error saying what is wrong with it.
 */
export function normaliseRecordingUrl(text: string): string {
  const trimmed = text.trim();
  const token = trimmed.startsWith("<") && trimmed.endsWith(">") ? trimmed.slice(1, -1) : trimmed;
  if (token === "" || /\s/.test(token)) throw new Error(`"${shorten(token)}" is not one URL`);
  let url: URL;
  try {
    url = new URL(token);
  } catch {
    throw new Error(`"${shorten(token)}" is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`"${shorten(token)}" is not an http(s) URL`);
  // A user:password@ part would be published in the minutes.
  if (url.username !== "" || url.password !== "") throw new Error("the recording URL must not contain a user name or password");
  return url.href.replace(/[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/g, (c) =>
    [...new TextEncoder().encode(c)].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`).join(""),
  );
}

/** Keeps an error message about pasted text readable. */
function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
