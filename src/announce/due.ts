import type { AnnounceConfig, AnnounceMoment } from "../config/announce-schema.js";
import { parseDuration } from "../schedule/duration.js";
import { subtractDuration } from "../schedule/zoned-duration.js";
import type { AnnounceFailure, MeetingMarker } from "../state/meeting-marker.js";

/**
 * Which chat announcements a meeting owes now: a pure function of its marker (what was sent,
 * what failed, moved or cancelled), the series' `announce` block and the clock.
 *
 * Each announcement has a key, `<moment>:<destination>`, recorded in the marker once sent:
 * `opened:slack`, `reminder-PT1H:slack`, `moved@2024-10-24T15:00:00.000Z:slack`,
 * `reminder-PT1H@2024-10-24T15:00:00.000Z:slack` (after that move),
 * `cancelled:slack`, `merged:slack`. A key in the marker is never due again.
 *
 * - `opened`: once the issue exists, while it is open and the meeting has not started;
 * - `reminder-<lead>`: from `start − lead` (on the wall clock of the meeting's zone, so `P1D`
 *   is the same time the day before, across daylight saving) until the start, never after; a
 *   moved meeting's are `reminder-<lead>@<new start>`, so the new time gets its own;
 * - `moved@<new start>`: after a `/move`, until the new start (each move is its own key);
 * - `cancelled`: after `/cancel`, until the meeting's start;
 * - `merged`: only when the minutes' merge asks for it (it alone knows their link).
 *
 * A destination that has not heard of the meeting yet gets the `opened` message (it gives the
 * time), which then stands for the reminders already due and a move: they are recorded with it
 * (`covers`) instead of following it a minute later. Likewise a move stands for the reminders
 * due when it is announced.
 */

/** One announcement owed to one destination. */
export interface DueAnnouncement {
  /** `<moment key>:<destination>`, as the marker records it. */
  key: string;
  /** Which template renders it. */
  moment: AnnounceMoment;
  destination: string;
  /** The reminder's lead time (`PT1H`), for reminders. */
  lead?: string;
  /** Keys this message stands for: recorded with it, never sent on their own. */
  covers: string[];
}

export interface DueInput {
  announce: AnnounceConfig;
  marker: MeetingMarker;
  /** Whether the meeting issue is open. */
  open: boolean;
  /** The zone that dates the meeting (its marker's, else the series'). */
  zone: string;
  now: Date;
  /**
   * What asks: the tick (undefined) retries a failed key only once its back-off has passed; an
   * event (`/move`, `/cancel`, a merge, or its redelivery) tries at once, and alone makes
   * `merged` due.
   */
  event?: "moved" | "cancelled" | "merged";
}

/** The first retry of a failed announcement waits this long; each further one twice as long. */
export const RETRY_AFTER_MS = 10 * 60 * 1000;

/** The longest wait between two retries. */
export const MAX_RETRY_AFTER_MS = 6 * 60 * 60 * 1000;

/** After this many failures of one key the alarm issue names its destination. */
export const ALARM_AFTER_FAILURES = 3;

/** The key of one moment for one destination. */
export function announceKey(moment: string, destination: string): string {
  return `${moment}:${destination}`;
}

/** When a key that failed may be tried again (by the tick). */
export function retryAt(failure: AnnounceFailure): Date {
  const wait = Math.min(RETRY_AFTER_MS * 2 ** Math.min(failure.n - 1, 20), MAX_RETRY_AFTER_MS);
  return new Date(Date.parse(failure.at) + wait);
}

/** The announcements `input`'s meeting owes now, none of them already recorded; see the module comment. */
export function dueAnnouncements(input: DueInput): DueAnnouncement[] {
  const { announce, marker, now } = input;
  const moments = new Set<AnnounceMoment>(announce.moments);
  const start = new Date(marker.at);
  const live = input.open && !marker.cancelled && now.getTime() < start.getTime();
  const sent = new Set(marker.announced ?? []);
  const failures = marker.announceFailures ?? {};

  const due: DueAnnouncement[] = [];
  for (const destination of announce.to) {
    const owed = (moment: AnnounceMoment, momentKey: string, lead?: string): DueAnnouncement | null => {
      const key = announceKey(momentKey, destination);
      return sent.has(key) ? null : { key, moment, destination, covers: [], ...(lead ? { lead } : {}) };
    };
    const opened = moments.has("opened") && live ? owed("opened", "opened") : null;
    const moved = moments.has("moved") && live && marker.movedFrom !== undefined ? owed("moved", `moved@${marker.at}`) : null;
    const dueReminders =
      moments.has("reminder") && live
        ? announce.reminders.flatMap((lead) => {
            const at = subtractDuration(start, parseDuration(lead), input.zone);
            // A moved meeting's reminders are new ones, for its new time.
            const momentKey = marker.movedFrom !== undefined ? `reminder-${lead}@${marker.at}` : `reminder-${lead}`;
            const reminder = now.getTime() >= at.getTime() ? owed("reminder", momentKey, lead) : null;
            return reminder ? [{ reminder, at: at.getTime() }] : [];
          })
        : [];
    // Reminders due together (no tick ran between them, or a failed one waited out its
    // back-off): only the one nearest the start is posted, standing for the others; "starts in
    // 1 day" a few minutes before the start would be wrong.
    dueReminders.sort((a, b) => b.at - a.at);
    const reminderKeys = dueReminders.map(({ reminder }) => reminder.key);
    const reminders = dueReminders.slice(0, 1).map(({ reminder }) => ({ ...reminder, covers: reminderKeys.slice(1) }));
    const cancelled = moments.has("cancelled") && marker.cancelled && now.getTime() < start.getTime() ? owed("cancelled", "cancelled") : null;
    const merged = moments.has("merged") && input.event === "merged" && !marker.cancelled ? owed("merged", "merged") : null;

    // The first message a destination gets about the meeting gives its time: the reminders due
    // (and a move) are recorded with it, not sent a minute after it.
    const lead = opened ?? moved;
    if (lead) {
      due.push({ ...lead, covers: [...(opened && moved ? [moved.key] : []), ...reminderKeys] });
    } else {
      due.push(...reminders);
    }
    if (cancelled) due.push(cancelled);
    if (merged) due.push(merged);
  }
  if (input.event) return due;
  return due.filter((announcement) => {
    const failure = Object.hasOwn(failures, announcement.key) ? failures[announcement.key] : undefined;
    return !failure || now.getTime() >= retryAt(failure).getTime();
  });
}
