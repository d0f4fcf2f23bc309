import type { SeriesConfig } from "../config/schema.js";
import { warnOnceIfUnrestricted } from "../google/allow-list.js";
import { googleBackend } from "../google/google-backend.js";
import { GOOGLE_NOT_CONFIGURED_HINT } from "../google/google-docs.js";
import type { GoogleDocs } from "../google/types.js";
import { warnOnceIfHackmdUnrestricted } from "../hackmd/allow-list.js";
import { hackmdBackend } from "../hackmd/hackmd-backend.js";
import type { HackmdClient } from "../hackmd/client.js";
import { HACKMD_NOT_CONFIGURED_HINT } from "../hackmd/load-hackmd.js";
import { DEFAULT_HACKMD_SETTINGS, type HackmdSettings } from "../hackmd/types.js";
import type { DocBackendKind, MinutesBackend } from "./backend.js";
import { parseDocRef, type DocRef } from "./doc-ref.js";

/**
 * Picks a series' minutes backend: the use cases call this and then talk to the backend only.
 * The gateways are loaded lazily (a series without a doc never loads either), and a gateway
 * the App has no credentials for loads as null, which the use cases report with
 * {@link SelectedBackend.notConfigured}.
 */

/** How the App reaches each backend's gateway (null: no credentials for it; absent: never). */
export interface DocLoaders {
  google?: (() => Promise<GoogleDocs | null>) | undefined;
  hackmd?: (() => Promise<HackmdClient | null>) | undefined;
}

/** A backend picked for a series, not loaded yet. */
export interface SelectedBackend {
  kind: DocBackendKind;
  /** How messages name it: `Google`, `HackMD`. */
  label: string;
  /** The backend with the series' settings bound; null when the App has no credentials for it. */
  load(): Promise<MinutesBackend | null>;
  /** Why it is missing, naming what the operator sets, e.g. `Google is not configured for this App (set …)`. */
  notConfigured: string;
  /** Where a doc this backend made lives, for the marker (see doc-ref.ts). */
  ref(id: string): DocRef;
}

/** Where a series' backends are used: the repository's owner names the allow-list entries. */
export interface BackendContext {
  series: SeriesConfig;
  /** The meeting repository's owner (from GitHub's event). */
  owner: string;
  loaders: DocLoaders;
  /** Told, once per process, when the operator lets every config use anything its Google account (or HackMD token) reaches. */
  warn?: ((message: string) => void) | undefined;
}

const LABELS: Record<DocBackendKind, string> = { google: "Google", hackmd: "HackMD" };
const HINTS: Record<DocBackendKind, string> = { google: GOOGLE_NOT_CONFIGURED_HINT, hackmd: HACKMD_NOT_CONFIGURED_HINT };

/** The series' HackMD settings: `minutes.hackmd`, or the documented defaults when it is left out. */
export function hackmdSettingsOf(series: SeriesConfig): HackmdSettings {
  return { ...DEFAULT_HACKMD_SETTINGS, ...series.minutes.hackmd };
}

/**
 * The backend of `kind`, bound to the series' settings for it. `workspace` names the HackMD
 * workspace instead of `minutes.hackmd.team`: where a meeting's existing note lives.
 */
export function selectBackend(kind: DocBackendKind, context: BackendContext, workspace?: { team: string | null }): SelectedBackend {
  const { series, owner, loaders } = context;
  const hackmd = { ...hackmdSettingsOf(series), ...workspace };
  const label = LABELS[kind];
  const load =
    kind === "google"
      ? async () => {
          const gateway = (await loaders.google?.()) ?? null;
          if (!gateway) return null;
          if (context.warn) warnOnceIfUnrestricted(gateway.allowList, { warn: context.warn });
          return googleBackend(gateway, series.minutes.google);
        }
      : async () => {
          const client = (await loaders.hackmd?.()) ?? null;
          if (!client) return null;
          if (context.warn) warnOnceIfHackmdUnrestricted(client.allow, { warn: context.warn });
          return hackmdBackend(client, hackmd, owner);
        };
  return {
    kind,
    label,
    load,
    notConfigured: `${label} is not configured for this App (${HINTS[kind]})`,
    ref: (id) => (kind === "google" ? { kind, id } : { kind, id, team: hackmd.team }),
  };
}

/** The backend new docs of the series are drafted in (`minutes.doc`); null with `doc: none`. */
export function seriesBackend(context: BackendContext): SelectedBackend | null {
  const { doc } = context.series.minutes;
  return doc === "none" ? null : selectBackend(doc, context);
}

/**
 * The backend of the doc a meeting's marker names, and the doc's id there. A meeting keeps the
 * doc it was opened with: after the series switches backend (or HackMD team), its existing doc
 * is still checked, read, exported and renamed where it lives; only new meetings get the new
 * backend's doc. The workspace comes from the marker, which only people with write access can
 * edit, like the config itself; the operator's allow-list and the note's own marker are still
 * checked before the note is used.
 */
export function markerBackend(markerDoc: string, context: BackendContext): { backend: SelectedBackend; id: string } {
  const ref = parseDocRef(markerDoc);
  return { backend: selectBackend(ref.kind, context, ref.kind === "hackmd" ? { team: ref.team } : undefined), id: ref.id };
}
