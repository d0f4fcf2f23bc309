/** One agenda entry: the shape the search step produces and `--agenda FILE.json` accepts. */
export interface AgendaItem {
  /** `owner/name` */
  repository: string;
  number: number;
  /** The raw title as GitHub returns it; escape before rendering. */
  title: string;
  url: string;
  kind: "issue" | "pull_request";
}

/** Items of one repository, newest (highest number) first. */
export interface AgendaGroup {
  repository: string;
  items: AgendaItem[];
}

/** The gathered agenda, with what the renderer needs to warn about an incomplete search. */
export interface Agenda {
  groups: AgendaGroup[];
  /** Total items across groups. */
  count: number;
  /** True when GitHub's 1,000-result search cap was hit and items may be missing. */
  truncated: boolean;
}
