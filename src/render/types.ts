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
}

/** A rendered meeting issue. */
export interface RenderedIssue {
  title: string;
  body: string;
}
