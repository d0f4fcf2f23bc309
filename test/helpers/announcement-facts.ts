import type { AnnouncementFacts } from "../../src/announce/render-announcement.js";

/** The facts of one announcement, the Node.js Security team's meeting opening, with `changes` over them. */
export function announcementFacts(changes: Partial<AnnouncementFacts> = {}): AnnouncementFacts {
  return {
    moment: "opened",
    title: "Node.js Security team Meeting 2024-10-31",
    series: { id: "security-wg", name: "Security team", host: "Node.js" },
    start: new Date("2024-10-31T14:00:00Z"),
    zone: "America/New_York",
    issueUrl: "https://github.com/nodejs/security-wg/issues/1396",
    docUrl: null,
    ...changes,
  };
}
