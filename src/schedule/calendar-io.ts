import type { calendar_v3 } from "@googleapis/calendar";
import { GOOGLE_NOT_CONFIGURED_HINT } from "../google/google-docs.js";
import { fetchFeedText } from "./fetch-feed.js";
import type { OccurrenceSourceIo } from "./occurrence-source.js";

/**
 * How calendar schedules are read: iCalendar feeds over HTTPS with limits (fetch-feed.ts), and
 * Google Calendar through a client built on first use and then shared. A failed build is not
 * remembered (the next read tries again); no client at all means no Google credentials, which
 * a `googleCalendar` series reports with what to set. With a `log`, why a feed could not be
 * fetched is written there (the error itself only says that it could not).
 */
export function calendarIo(deps: {
  calendar?: (() => Promise<calendar_v3.Calendar | null>) | undefined;
  fetchText?: ((url: string) => Promise<string>) | undefined;
  log?: { warn(obj: object, msg: string): void } | undefined;
}): OccurrenceSourceIo {
  let client: Promise<calendar_v3.Calendar | null> | undefined;
  const log = deps.log;
  return {
    fetchText: deps.fetchText ?? ((url) => fetchFeedText(url, log ? { log } : {})),
    calendar: async () => {
      client ??= (deps.calendar ?? (async () => null))().catch((error: unknown) => {
        client = undefined;
        throw error;
      });
      const calendar = await client;
      if (!calendar) throw new Error(`googleCalendar schedules need Google credentials: ${GOOGLE_NOT_CONFIGURED_HINT}`);
      return calendar;
    },
  };
}
