import { ChatError } from "./types.js";

/**
 * Words about a failed post that are fit for a public issue or the alarm issue: the gateway's
 * own errors are written for that; anything else may carry details nobody outside should
 * read (a URL with its token), so it is summarised and the details stay in the App's logs.
 */
export function publicChatReason(error: unknown): string {
  if (error instanceof ChatError) return error.message;
  return "the chat service answered with an unexpected error (details are in the App's logs)";
}
