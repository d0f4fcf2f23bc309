import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { inspect } from "node:util";
import nock from "nock";
import pino from "pino";
import { createHackmdClient, type HackmdClient, type HackmdClientOptions } from "../../../src/hackmd/client.js";
import type { HackmdNote, HackmdSettings } from "../../../src/hackmd/types.js";

/** What the tests use as the App's HackMD API token: it must never show up anywhere. */
export const TOKEN = "hmd_7Qv3TzK9pW2sXe8LrN4yB6uJ1aDf0GcH5mVwYt";

export const API = "https://api.hackmd.io";

/** The meeting of the fixtures (test/fixtures/hackmd/team-note.json). */
export const MEETING = { repository: "nodejs/security-wg", series: "security-team", start: "2024-10-24T14:00:00.000Z" };
export const IDENTITY = { repository: MEETING.repository, series: MEETING.series, starts: [MEETING.start] };
export const TITLE = "Node.js Security team Meeting 2024-10-24";
export const TEAM = "nodejs-security";

export const SETTINGS: HackmdSettings = { team: TEAM, readPermission: "guest", writePermission: "signed_in", commentPermission: "signed_in_users" };

function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/hackmd/${name}`, import.meta.url), "utf8");
}

/** A note as HackMD's `GET /notes/{noteId}` returns it: team nodejs-security, the meeting's marker. */
export function teamNote(overrides: Partial<HackmdNote> & Record<string, unknown> = {}): HackmdNote & Record<string, unknown> {
  return { ...(JSON.parse(fixture("team-note.json")) as HackmdNote & Record<string, unknown>), ...overrides };
}

/** `GET /teams/nodejs-security/notes`: an older meeting's note, the fixture note, a note of the team's own. */
export function teamNotes(): Array<Record<string, unknown>> {
  return JSON.parse(fixture("team-notes.json")) as Array<Record<string, unknown>>;
}

/** `GET /me` for the token's user. */
export function me(): Record<string, unknown> {
  return JSON.parse(fixture("me.json")) as Record<string, unknown>;
}

/** What `/minutes` should commit from the fixture note. */
export function exportedFixture(): string {
  return fixture("team-note.exported.md");
}

export const NOTE_ID = "Hk3v9nGqQe-Z1xYw7RkTzA";

/** HackMD's API host; every request must carry the App's token. */
export function hackmd(): nock.Scope {
  return nock(API, { reqheaders: { authorization: `Bearer ${TOKEN}`, accept: "application/json" } });
}

/** The waits the client asked for, instead of waiting. */
export function recordedSleep(): { sleeps: number[]; sleep: (ms: number) => Promise<void> } {
  const sleeps: number[] = [];
  return { sleeps, sleep: async (ms) => void sleeps.push(ms) };
}

/** A client with instant retries; `sleeps` records what it would have waited. */
export function testClient(options: Partial<HackmdClientOptions> = {}): { client: HackmdClient; sleeps: number[] } {
  const { sleeps, sleep } = recordedSleep();
  const client = createHackmdClient({ token: TOKEN, ...options, retry: { sleep, ...options.retry } });
  return { client, sleeps };
}

/** The error a promise rejects with. */
export async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => error,
  );
}

/** Every way an error might get printed: pino's err serializer, String, JSON, inspect, the stack. */
export function everyRendering(error: unknown): string {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  pino({ level: "debug" }, sink).error({ err: error }, "hackmd failed");
  return [...lines, String(error), JSON.stringify(error), inspect(error, { depth: 8, showHidden: true }), (error as Error).stack ?? ""].join("\n");
}
