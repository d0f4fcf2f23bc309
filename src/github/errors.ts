/**
 * Octokit throws `RequestError`s with a `status`; these helpers name the cases the App
 * branches on, so use cases never compare raw status codes.
 */

interface WithStatus {
  status?: number;
  message?: string;
  response?: { data?: { message?: string } };
}

/** HTTP status of an Octokit error, if it has one. */
export function statusOf(error: unknown): number | undefined {
  return typeof error === "object" && error !== null ? (error as WithStatus).status : undefined;
}

/** True for a 404: the thing is absent, or the App may not see it. */
export function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404;
}

/** True when GitHub refused to create something because it exists (a 422 "already exists"). */
export function isAlreadyExists(error: unknown): boolean {
  if (statusOf(error) !== 422) return false;
  const message = (error as WithStatus).response?.data?.message ?? (error as WithStatus).message ?? "";
  return /already exists/i.test(message);
}

/** True for GitHub's answer to a non-fast-forward ref update: someone moved the ref first. */
export function isNotFastForward(error: unknown): boolean {
  if (statusOf(error) !== 422) return false;
  const message = (error as WithStatus).response?.data?.message ?? (error as WithStatus).message ?? "";
  return /fast[- ]forward/i.test(message);
}

/** A short, secret-free description of an error for logs and issue comments. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const status = statusOf(error);
    // Octokit messages can embed the request URL, never headers, so they are safe to show.
    const message = error.message.replace(/\s+/g, " ").slice(0, 500);
    return status ? `${status}: ${message}` : message;
  }
  return String(error);
}

/**
 * True when a request failed without saying whether GitHub did the work: a server error, a
 * connection lost before the answer, a timeout. A create that failed this way may have
 * happened; look before creating again (create-once.ts).
 */
export function outcomeUnknown(error: unknown): boolean {
  const status = statusOf(error);
  return status === undefined || status >= 500;
}

/** True for GitHub's refusals for load (429): nothing was done, and trying later is right. */
export function isRateLimited(error: unknown): boolean {
  return statusOf(error) === 429;
}

/**
 * True when the App stopped waiting: the attempt's timeout or the work's deadline. The request
 * may still be processed after the look that follows, so a create is not sent again in the
 * same run; the next run looks first.
 */
export function isTimeout(error: unknown): boolean {
  const names = [nameOf(error), nameOf((error as { cause?: unknown } | null)?.cause)];
  return names.includes("TimeoutError") || names.includes("AbortError");
}

function nameOf(value: unknown): string | undefined {
  return typeof value === "object" && value !== null ? (value as { name?: string }).name : undefined;
}
