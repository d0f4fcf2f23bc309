/**
 * A map of at most `maxEntries` values, each until its own expiry: reading an entry makes it the
 * most recently used, and a new entry past the bound drops the least recently used one. Time is
 * whatever clock the caller reads (milliseconds), so tests move it by hand.
 *
 * One concern per instance: a cache that strangers can fill (answers for paths anyone may ask)
 * must be a different instance from the one that holds what must stay (a real feed), so that
 * filling the first never evicts the second.
 */
export class ExpiringLru<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();
  private readonly maxEntries: number;

  constructor(maxEntries: number) {
    this.maxEntries = maxEntries;
  }

  /** The value of `key` if it has not expired at `now`; an expired entry is dropped. */
  get(key: string, now: number): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (entry.expires <= now) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Keeps `value` until `expires`; a non-positive lifetime (`expires <= now`) keeps nothing. */
  set(key: string, value: V, expires: number, now: number): void {
    this.entries.delete(key);
    if (expires <= now) return;
    this.entries.set(key, { value, expires });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
