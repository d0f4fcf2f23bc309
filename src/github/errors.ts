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
