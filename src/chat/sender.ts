import type { DestinationSettings } from "./destinations.js";
import type { ChatMessage, ChatService } from "./types.js";

/** One HTTP request a service's sender wants made; `url` and `headers` hold secrets. */
export interface ChatRequest {
  method: "POST" | "PUT";
  url: string;
  headers: Record<string, string>;
  body: string;
  /**
   * True when the service recognises the same request sent twice (Matrix's transaction id),
   * so a timeout or a server error may be retried at once; a webhook POST is not.
   */
  idempotent: boolean;
}

/** What the service answered, the body read only up to a bound. */
export interface ChatAnswer {
  status: number;
  headers: Headers;
  body: string;
}

/** One chat service: how to write a message for it and how to read its answers. */
export interface ChatSender<D extends DestinationSettings = DestinationSettings> {
  service: ChatService;
  /** The service's name in messages ("Slack"). */
  label: string;
  /** The request posting `message` (its text already parsed, capped and converted by the sender). */
  request(destination: D, message: ChatMessage): ChatRequest;
  /** A 2xx answer that really is a success (Zulip also says so in its JSON). */
  accepted(answer: ChatAnswer): boolean;
  /** The service's own short error code in an answer (`no_service`, `M_FORBIDDEN`), only when it is an identifier. */
  errorCode(answer: ChatAnswer): string | undefined;
  /** A wait the answer asks for in its body, in ms (Discord's `retry_after`, Matrix's `retry_after_ms`); the Retry-After header is read by the caller. */
  retryAfterMs(answer: ChatAnswer): number | undefined;
  /** What a refusal (a 4xx other than 408 and 429) most likely means, for the operator. */
  refusalHint(status: number, code: string | undefined): string;
}

/** The body as JSON, or undefined. */
export function jsonBody(answer: ChatAnswer): unknown {
  try {
    return JSON.parse(answer.body);
  } catch {
    return undefined;
  }
}

/** `value` when it is a short identifier (an error code), else undefined: nothing else of a body is repeated. */
export function identifier(value: unknown): string | undefined {
  return typeof value === "string" && /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(value) ? value : undefined;
}
