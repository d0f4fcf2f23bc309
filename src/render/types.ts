import type { Agenda } from "../agenda/types.js";
import type { SeriesConfig } from "../config/schema.js";
import type { RepoRef } from "../github/client.js";
import type { Occurrence } from "../schedule/types.js";

/** Everything a meeting template can see, before it is turned into the Handlebars context. */
export interface MeetingView {
  series: SeriesConfig;
  occurrence: Occurrence;
  agenda: Agenda;
  /** Link to the minutes doc, when one exists. */
  docUrl: string | null;
  /** Why the doc could not be created yet (public-safe words), shown in its place. */
  docError?: string | null;
  /** The repository the meeting issue lives in (for calendar links); unknown in a preview. */
  repository?: RepoRef | null;
  /** The App's public URL (`WG_MEETINGS_PUBLIC_URL`), for the series' calendar feed links. */
  publicUrl?: URL | null;
  /** The GitHub web host (`gitHubWebUrl`), for links to the repository before the issue has a URL. */
  webUrl?: string | null;
  /** Link to the meeting issue, when it exists (the issue itself is rendered before it has one). */
  issueUrl: string | null;
  /** What earlier meetings of the series left for this one; absent in a preview and for templates' old callers. */
  followUp?: FollowUp | null;
}

/**
 * What earlier meetings of a series leave for the next one, all derived from the App's own
 * issues (see src/meetings/follow-up.ts). Each part is optional: a caller that does not know it
 * leaves it out, and the template shows nothing for it.
 */
export interface FollowUp {
  /** The meeting held just before this one, and its minutes file. */
  previous?: PreviousMeetingView | null;
  /** Action-item issues from earlier meetings still open; null when they could not be read. */
  openActionItems?: OpenActionItemsView | null;
  /**
   * Agenda items that were on the agenda of the meetings just before this one, by their URL as
   * the agenda links it, with the date of the first meeting of that unbroken run.
   */
  carriedOver?: ReadonlyMap<string, string>;
}

/** The previous meeting as the next meeting's issue links it. */
export interface PreviousMeetingView {
  number: number;
  url: string;
  /** `YYYY-MM-DD` */
  date: string;
  /** `minutes.path` for its date, or null when the path cannot be made. */
  minutesPath: string | null;
  /** The minutes file on the default branch (it exists once those minutes are merged). */
  minutesUrl: string | null;
}

/** One open action-item issue, as read from the App's issue listing (raw, unescaped). */
export interface OpenActionItemView {
  /** `owner/name` of the repository the issue is in. */
  repository: string;
  number: number;
  url: string;
  title: string;
  /** Logins (assignees and owners the issue mentions), without `@`. */
  owners: string[];
  /** Owners the issue names but the App could not assign, without `@`: shown, never mentioned. */
  named?: string[] | undefined;
  /** Teams the issue names as owners, `org/team`. */
  teams: string[];
  /** The date of the meeting that produced it, `YYYY-MM-DD`. */
  date: string;
}

/** The open action items of a series, oldest first; `total` counts them all, `items` may be fewer. */
export interface OpenActionItemsView {
  items: OpenActionItemView[];
  total: number;
}

/** A rendered meeting issue. */
export interface RenderedIssue {
  title: string;
  body: string;
}
