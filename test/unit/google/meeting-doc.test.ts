import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { loadGoogleDocs } from "../../../src/google/google-docs.js";
import { docMismatch, DocMismatchError } from "../../../src/google/meeting-doc.js";
import type { MeetingIdentity } from "../../../src/google/types.js";
import { drive, FAST_RETRY, keyJson, mockTokenExchange } from "../../helpers/google.js";

const S0 = "2026-12-02T16:00:00.000Z";
const S1 = "2026-12-03T16:00:00.000Z";
const S2 = "2026-12-04T16:00:00.000Z";
const S3 = "2026-12-05T16:00:00.000Z";
const key = (start: string, repository = "acme/web", series = "web") => `${repository}#${series}@${start}`;
const meeting = (...starts: string[]): MeetingIdentity => ({ repository: "acme/web", series: "web", starts });

describe("docMismatch: is the doc the meeting's, by its appProperties?", () => {
  it.each([
    ["the doc made for the meeting", { wgMeetingsKey: key(S0) }, meeting(S0), null],
    ["…after a /move (the marker remembers the start it left)", { wgMeetingsKey: key(S0) }, meeting(S2, S0), null],
    ["…made after a first move, then moved again (the doc recorded the move)", { wgMeetingsKey: key(S1), wgMeetingsMovedTo: key(S2) }, meeting(S2, S0), null],
    ["…when GitHub spells the repository in another case", { wgMeetingsKey: key(S0, "Acme/Web") }, meeting(S0), null],
    ["…when the start is written another way", { wgMeetingsKey: "acme/web#web@2026-12-02T16:00:00Z" }, meeting(S0), null],
    ["a doc with no key (not made by the App)", {}, meeting(S0), { part: "no-key" }],
    ["a doc without appProperties at all", undefined, meeting(S0), { part: "no-key" }],
    ["another repository's doc", { wgMeetingsKey: key(S0, "other/wg") }, meeting(S0), { part: "repository", found: key(S0, "other/wg") }],
    ["another series' doc", { wgMeetingsKey: key(S0, "acme/web", "board") }, meeting(S0), { part: "series", found: key(S0, "acme/web", "board") }],
    ["another meeting's doc of the series", { wgMeetingsKey: key(S3) }, meeting(S0), { part: "occurrence", found: key(S3) }],
    ["a doc made late and moved while Google was down (no record of the move)", { wgMeetingsKey: key(S1) }, meeting(S2, S0), { part: "occurrence", found: key(S1) }],
  ])("%s", (_name, properties, identity, expected) => {
    expect(docMismatch(properties, identity)).toEqual(expected);
  });

  it("compares hashed keys (long names) exactly, and cannot tell which part of one differs", () => {
    const repository = `${"o".repeat(39)}/${"r".repeat(90)}`;
    const long = { repository, series: "web", starts: [S0] };
    const hash = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
    expect(docMismatch({ wgMeetingsKey: hash(key(S0, repository)) }, long)).toBeNull();
    expect(docMismatch({ wgMeetingsKey: hash(key(S1, repository)) }, long)).toEqual({ part: "unknown" });
  });
});

/**
 * A Drive holding one doc, as nock: `files.get` answers its appProperties, `files.update`
 * merges new ones in (as Drive does) and renames it. Records every request.
 */
function statefulDrive(doc: { id: string; name: string; appProperties: Record<string, string> }) {
  const log: string[] = [];
  drive()
    .persist()
    .get(`/drive/v3/files/${doc.id}`)
    .query({ supportsAllDrives: "true", fields: "appProperties" })
    .reply(() => {
      log.push("GET");
      return [200, { appProperties: { ...doc.appProperties } }];
    })
    .patch(`/drive/v3/files/${doc.id}`, (body: { name: string; appProperties: Record<string, string> }) => {
      log.push(`PATCH ${JSON.stringify(body)}`);
      doc.name = body.name;
      Object.assign(doc.appProperties, body.appProperties);
      return true;
    })
    .query({ supportsAllDrives: "true", fields: "id" })
    .reply(200, { id: doc.id });
  return log;
}

describe("a meeting moved several times keeps its doc", () => {
  it("a doc made after a first move (Google was down at opening) is still recognised after two more moves", async () => {
    mockTokenExchange();
    // The tick made the doc once the meeting had moved to S1 from its scheduled S0.
    const doc = { id: "LATE", name: "Web 2026-12-03", appProperties: { wgMeetingsKey: key(S1) } };
    const log = statefulDrive(doc);
    const google = (await loadGoogleDocs({ GOOGLE_CREDENTIALS_JSON: keyJson() }, { retry: FAST_RETRY }))!;

    // /move to S2: the marker says at S1, moved from S0.
    await google.moveDoc(await google.openMeetingDoc("LATE", meeting(S1, S0)), { title: "Web 2026-12-04", start: S2 });
    // /move to S3: now at S2, still moved from S0: the doc's own key (S1) is neither, its record of the last move is.
    await google.moveDoc(await google.openMeetingDoc("LATE", meeting(S2, S0)), { title: "Web 2026-12-05", start: S3 });
    // /minutes at S3.
    await google.openMeetingDoc("LATE", meeting(S3, S0));

    expect(doc).toEqual({ id: "LATE", name: "Web 2026-12-05", appProperties: { wgMeetingsKey: key(S1), wgMeetingsMovedTo: key(S3) } });
    expect(log).toEqual([
      "GET",
      `PATCH {"name":"Web 2026-12-04","appProperties":{"wgMeetingsMovedTo":"${key(S2)}"}}`,
      "GET",
      `PATCH {"name":"Web 2026-12-05","appProperties":{"wgMeetingsMovedTo":"${key(S3)}"}}`,
      "GET",
    ]);
  });

  it("another meeting of the same series is still refused after the moves", async () => {
    mockTokenExchange();
    const doc = { id: "OWN", name: "Web", appProperties: { wgMeetingsKey: key(S0), wgMeetingsMovedTo: key(S2) } };
    statefulDrive(doc);
    const google = (await loadGoogleDocs({ GOOGLE_CREDENTIALS_JSON: keyJson() }, { retry: FAST_RETRY }))!;

    const error = await google.openMeetingDoc("OWN", meeting(S3)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DocMismatchError);
    expect(error).toMatchObject({ kind: "not-this-meeting", mismatch: { part: "occurrence" } });
    expect((error as Error).message).toBe("the doc linked from this issue does not belong to this meeting");
  });
});
