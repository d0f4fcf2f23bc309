/**
 * A `Retry-After` header's wait in milliseconds (RFC 9110 §10.2.3): delay-seconds (fractions,
 * which some services send, rounded up) or an HTTP date; null when absent or unreadable. Only
 * text with letters is read as a date: Date.parse reads "1.5" as 5 January 2001, a wait in the
 * past, which would mean retrying at once.
 */
export function retryAfterMs(value: string | null | undefined, now: number = Date.now()): number | null {
  const text = value?.trim();
  if (!text) return null;
  if (/^\d{1,12}(?:\.\d{1,9})?$/.test(text)) return Math.ceil(Number(text) * 1000);
  const date = /[A-Za-z]/.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
