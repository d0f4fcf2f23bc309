/**
 * The App's chat gateway (src/chat/): posts announcements to the destinations the operator
 * configured. A destination's URL or token is a secret: it lives in the operator's environment
 * (server mode) or the workflow's secrets (Actions mode), never in `.github/meetings.yml`, which
 * is public. The config only names a destination; this gateway maps the name to the service.
 */

/** The chat services the App can post to. */
export type ChatService = "slack" | "discord" | "zulip" | "matrix";

/** A destination as the use cases may see it: its name and service, never its secret. */
export interface ChatDestination {
  name: string;
  service: ChatService;
}

/**
 * One announcement, before a service's formatting. `text` is Markdown of a small kind:
 * paragraphs, `**bold**`, `[text](https://…)` links and `- ` list lines; each service's sender
 * converts it to what that service shows (Slack's mrkdwn, Matrix's HTML body, …).
 */
export interface ChatMessage {
  text: string;
  /**
   * A stable identity for this announcement, unique across meetings (e.g.
   * `owner/repo#12 opened:nodejs-matrix`). A service that can recognise a repeated post uses it
   * (Matrix: the transaction id, so a retried PUT is not posted twice). Without it the text
   * stands in.
   */
  key?: string | undefined;
}

/** Everything the use cases need from chat. */
export interface ChatGateway {
  /**
   * The destination `name` as `owner` (the account the App is installed on) may use it; null
   * when the operator configured no such destination. Throws ChatError `not-allowed` when the
   * destination exists but is not open to `owner` (a hosted App keeps one installation from
   * posting to another's channels).
   */
  destination(name: string, owner: string): ChatDestination | null;
  /** Posts `message` to the destination. Throws ChatError (public-safe) on failure. */
  send(name: string, owner: string, message: ChatMessage): Promise<void>;
}

/**
 * Why a post failed, in words fit for a public issue or the alarm issue: never the URL or token.
 * `rate-limited` and `unavailable` are temporary (the next tick tries again).
 */
export type ChatFailureKind = "not-configured" | "not-allowed" | "rate-limited" | "unavailable" | "rejected" | "failed";

/** A failed post; public-safe message, no `cause` (it could carry the secret URL). */
export class ChatError extends Error {
  override readonly name = "ChatError";
  readonly kind: ChatFailureKind;
  /** HTTP status the service answered with, when there was one. */
  readonly status: number | undefined;
  /**
   * True when the request reached the service and the post may have gone out anyway (a
   * timeout, a lost connection or a server error after the request was sent). False when the
   * service certainly posted nothing (it refused, rate-limited, or was never reached). Sending
   * again may then post twice, except where the service recognises a repeat (Matrix, by the
   * message's `key`, for as long as the homeserver remembers transaction ids).
   */
  readonly mayHavePosted: boolean;
  /** How long the service asked the App to wait (Retry-After of a 429 or 503), in ms, when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(kind: ChatFailureKind, message: string, status?: number, mayHavePosted = false, retryAfterMs?: number) {
    super(message);
    this.kind = kind;
    this.status = status;
    this.mayHavePosted = mayHavePosted;
    this.retryAfterMs = retryAfterMs;
  }
}
