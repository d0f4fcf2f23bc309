/**
 * The hidden marker at the end of every alarm issue, e.g.
 * `<!-- wg-meetings:alarm {"v":1,"scope":"series","series":"tsc"} -->`.
 *
 * It names the alarm's scope, so the App finds its alarm again without a database: one series,
 * or the whole `.github/meetings.yml` (`"scope":"config"`). Once the App has closed an alarm
 * because the problem went away, the marker also says `"resolved":true`; an alarm closed
 * without it was closed by a person while the problem lasted (see raiseAlarm in
 * src/alarms/alarms.ts). Only issues the
 * App opened itself are read (the caller filters by creator and author), so a pasted marker is
 * never trusted.
 */

export const ALARM_MARKER_PREFIX = "<!-- wg-meetings:alarm ";
const ALARM_MARKER_PATTERN = /<!-- wg-meetings:alarm (\{[^\n]*?\}) -->/g;

/** Which problem an alarm is about: one series, or the config file as a whole. */
export type AlarmScope = { scope: "series"; series: string } | { scope: "config" };

export type AlarmMarker = { v: 1; resolved?: true } & AlarmScope;

/** `series:<id>` or `config`: two alarms with the same key are the same alarm. */
export function scopeKey(scope: AlarmScope): string {
  return scope.scope === "series" ? `series:${scope.series}` : "config";
}

/** The marker as one HTML comment line (invisible on GitHub). */
export function formatAlarmMarker(marker: AlarmMarker): string {
  const ordered =
    marker.scope === "series"
      ? { v: 1, scope: "series", series: marker.series, ...(marker.resolved ? { resolved: true } : {}) }
      : { v: 1, scope: "config", ...(marker.resolved ? { resolved: true } : {}) };
  // "--" cannot end the comment early: series ids are [a-z0-9-], but be strict anyway.
  return `${ALARM_MARKER_PREFIX}${JSON.stringify(ordered).replace(/--/g, "-\\u002d")} -->`;
}

/**
 * Reads the marker from an issue body; null when absent or malformed. The App writes its
 * marker last, so the last one counts: quoted text above it (which the App also defuses, see
 * src/alarms/markdown.ts) cannot pose as the marker.
 */
export function parseAlarmMarker(body: string | null | undefined): AlarmMarker | null {
  const match = body ? lastMatch(body) : undefined;
  if (!match?.[1]) return null;
  try {
    const value = JSON.parse(match[1]) as { v?: unknown; scope?: unknown; series?: unknown; resolved?: unknown };
    const resolved = value.resolved === true ? { resolved: true as const } : {};
    if (value.v !== 1) return null;
    if (value.scope === "config") return { v: 1, scope: "config", ...resolved };
    if (value.scope === "series" && typeof value.series === "string" && value.series !== "") {
      return { v: 1, scope: "series", series: value.series, ...resolved };
    }
    return null;
  } catch {
    return null;
  }
}

/** Replaces the marker of an alarm body (the last one), or appends one. */
export function withAlarmMarker(body: string, marker: AlarmMarker): string {
  const last = lastMatch(body);
  const stripped = (last ? body.slice(0, last.index) + body.slice(last.index + last[0].length) : body).replace(/\s+$/, "");
  return `${stripped}\n\n${formatAlarmMarker(marker)}\n`;
}

function lastMatch(body: string): RegExpExecArray | undefined {
  return Array.from(body.matchAll(ALARM_MARKER_PATTERN)).at(-1) as RegExpExecArray | undefined;
}
