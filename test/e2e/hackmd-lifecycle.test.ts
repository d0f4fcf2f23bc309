import { afterAll, beforeAll, describe, expect, it } from "vitest";
import wgMeetings from "../../src/index.js";
import { MEETINGS_REPO, USERS, hackmdSampleConfig } from "../../e2e/harness/github.js";
import { ACTION_ITEM_TITLES, ACTION_ITEMS, DECISION, ITEM_NOTES, actionItemIssues } from "../../e2e/harness/follow-up.js";
import { HACKMD_TEAM, startWorld, waitFor, type World } from "../../e2e/harness/world.js";
import { advanceClock, resetClock } from "../../e2e/harness/clock.js";
import { closeMeetingByMerge, meetingIssues, minutesPulls, postComment } from "../../e2e/harness/steps.js";
import { textUnderHeading } from "../../e2e/harness/google-standin.js";
import { noteTextUnder, typeIntoNote, type StandinNote } from "../../e2e/harness/hackmd-standin.js";

/** The public agenda item the harness seeds in acme/tsc. */
const ITEM = "Adopt a release schedule for 2027";
const SLACK = "acme-slack";

/**
 * The lifecycle with `minutes.doc: hackmd`, through real HTTP everywhere: emulate (GitHub)
 * and the real Probot server as in lifecycle.test.ts, the App's HackMD gateway against the
 * HackMD stand-in (the team workspace acme-wg, on the operator's allow-list for acme), and its
 * chat gateway against the chat receiver (one Slack destination open to acme). Assertions read
 * emulate's and the stand-ins' state, never logs.
 */
let world: World;
let issue: any;
let note: StandinNote;

beforeAll(async () => {
  world = await startWorld({ app: wgMeetings, hackmd: {}, chat: { [SLACK]: "slack" } });
});
afterAll(async () => {
  await world?.close();
});

describe("e2e: a HackMD meeting from tick to merged minutes", () => {
  it("one tick opens the issue and a HackMD note in the team workspace, linked both ways", async () => {
    const hackmd = world.hackmd!;
    world.front.holdDeliveries = true;
    await world.commitConfig(hackmdSampleConfig(HACKMD_TEAM, { to: [SLACK] }));
    world.front.holdDeliveries = false;

    const { status, report } = await world.tick();
    expect(status, JSON.stringify(report)).toBe(200);
    expect(report.series[0].outcome.action, JSON.stringify(report)).toBe("created");

    const issues = await meetingIssues(world);
    expect(issues).toHaveLength(1);
    issue = issues[0];
    expect(issue.body).toContain(ITEM);

    // One note, made by the App in the configured team, with the configured permissions.
    expect(hackmd.notes.size).toBe(1);
    note = [...hackmd.notes.values()][0]!;
    expect(note).toMatchObject({ teamPath: HACKMD_TEAM, userPath: null, readPermission: "guest", writePermission: "signed_in", commentPermission: "signed_in_users" });
    expect(note.tags.length).toBeGreaterThan(0);
    // Linked both ways: the issue names the note, the note names the issue.
    expect(issue.body).toContain(note.id);
    expect(note.content).toContain(issue.html_url);
    expect(note.title).toContain(issue.title.replace(/^.*Meeting /, ""));
    // The agenda item is a heading to take notes under.
    expect(noteTextUnder(note, ITEM)).toMatch(/\(notes\)/);
    expect(hackmd.rejected).toEqual([]);
    // The Google stand-in was not asked for anything.
    expect(world.google.requests).toEqual([]);
  });

  it("a re-run changes nothing: still one issue and one note", async () => {
    const hackmd = world.hackmd!;
    const before = hackmd.requests.filter((r) => r.method !== "GET").length;
    const { status, report } = await world.tick();
    expect(status, JSON.stringify(report)).toBe(200);
    expect(report.series[0].outcome.doc?.status ?? "linked", JSON.stringify(report)).toBe("linked");
    expect(await meetingIssues(world)).toHaveLength(1);
    expect(hackmd.notes.size).toBe(1);
    // No note written again (reads only).
    expect(hackmd.requests.filter((r) => r.method !== "GET").length).toBe(before);
  });

  it("the Slack destination got exactly one message across both ticks: the meeting opened, linking its issue", async () => {
    const chat = world.chat!;
    const opened = await waitFor("the opened announcement", () => (chat.to(SLACK).length > 0 ? chat.to(SLACK) : undefined));
    expect(opened).toHaveLength(1);
    expect(opened[0]!.text).toContain(issue.html_url);
    expect(chat.rejected).toEqual([]);
  });

  it("/minutes opens the PR from the note's Markdown; merging closes the meeting and announces the minutes", async () => {
    const { github } = world;
    // The note taker types in HackMD, as people do during the meeting.
    typeIntoNote(note, ITEM, ITEM_NOTES);
    typeIntoNote(note, "Action items", ACTION_ITEMS);

    await postComment(world, USERS.chair, issue.number, "/minutes https://youtu.be/acme-hackmd");
    const [pull] = await waitFor("the minutes pull request", async () => {
      const pulls = await minutesPulls(world);
      return pulls.length > 0 ? pulls : undefined;
    });
    expect(pull!.head.ref).toMatch(/^wg-meetings\/minutes-acme-wg-\d{4}-\d{2}-\d{2}$/);
    const date = pull!.head.ref.slice(-10);
    const file = await github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/contents/minutes/${date}.md?ref=${encodeURIComponent(pull!.head.ref)}`);
    const minutes = Buffer.from(file.content, "base64").toString("utf8");
    // The note's Markdown, where it was typed: as a Google meeting's minutes would have it.
    expect(minutes).toContain("https://youtu.be/acme-hackmd");
    expect(textUnderHeading(minutes, ITEM)).toContain(ITEM_NOTES.join("\n"));
    expect(textUnderHeading(minutes, "Action items")).toBe(ACTION_ITEMS.join("\n"));
    expect(textUnderHeading(minutes, "Decisions")).toContain(DECISION);
    // HackMD's front-matter (its tags and title) is the note's, not the minutes'; the minutes
    // link the note as a HackMD note.
    expect(minutes.startsWith("---")).toBe(false);
    expect(minutes).toContain(`* **Minutes HackMD note**: https://hackmd.io/${note.id}`);
    expect(minutes).not.toContain("Google");
    for (const title of ACTION_ITEM_TITLES) expect(pull!.body).toContain(title);

    await closeMeetingByMerge(world, pull!.number);
    await waitFor("the meeting issue to close", async () => {
      const current = await github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/issues/${issue.number}`);
      return current.state === "closed" ? current : undefined;
    });
    const opened = await waitFor("the action-item issues", async () => {
      const found = await actionItemIssues(world);
      return found.length === ACTION_ITEM_TITLES.length ? found : undefined;
    });
    expect(opened.map((i: any) => i.title)).toEqual(ACTION_ITEM_TITLES);

    const merged = await waitFor("the merged announcement", () => (world.chat!.to(SLACK).length >= 2 ? world.chat!.to(SLACK) : undefined));
    expect(merged).toHaveLength(2);
    expect(merged[1]!.text).toContain(`minutes/${date}.md`);
    expect(merged[1]!.text).toContain("draft the advisory");
  });

  it("the redelivered merge posts nothing more", async () => {
    const merge = await waitFor("the merge delivery", () =>
      world.front.deliveries.find((d) => d.event === "pull_request" && d.body.includes('"action":"closed"') && d.status !== 0),
    );
    const before = world.chat!.messages.length;
    expect(await world.front.redeliver(merge)).toBe(200);
    expect(world.chat!.messages.length).toBe(before);
  });

  it("no log line holds the HackMD token or a chat destination's secret", () => {
    const text = world.logs.join("\n");
    expect(text).not.toContain(world.secrets.hackmdToken!);
    for (const entry of Object.values(JSON.parse(world.secrets.chatEnv!)) as Array<{ url: string }>) {
      expect(text).not.toContain(new URL(entry.url).pathname.split("/").at(-1)!);
    }
  });
});

/**
 * HackMD failing while the tick opens meetings: the note's creation answered with a server
 * error after HackMD made it (the App must look before creating again), and a refusal (the
 * issue says so in public-safe words, and the next tick makes the note). Each ends with one
 * issue and one note per meeting, linked.
 */
describe("e2e: HackMD failures around the note's creation", () => {
  let failing: World;
  beforeAll(async () => {
    failing = await startWorld({ app: wgMeetings, hackmd: {} });
  });
  afterAll(async () => {
    await failing?.close();
    resetClock();
  });

  it("HackMD made the note but its answer was lost (502): the same tick finds it, one note, linked", async () => {
    const hackmd = failing.hackmd!;
    failing.front.holdDeliveries = true;
    await failing.commitConfig(hackmdSampleConfig(HACKMD_TEAM));
    failing.front.holdDeliveries = false;
    hackmd.failNext("POST", /^\/teams\/acme-wg\/notes$/, 502, 1, { afterDoing: true });

    const { status, report } = await failing.tick();
    expect(status, JSON.stringify(report)).toBe(200);
    expect(hackmd.requests.filter((r) => r.method === "POST").map((r) => r.status)).toEqual([502]);
    expect(hackmd.notes.size).toBe(1);
    const [issue] = await meetingIssues(failing);
    const note = [...hackmd.notes.values()][0]!;
    expect(issue.body).toContain(note.id);
    expect(note.content).toContain(issue.html_url);
  });

  it("HackMD refuses (403): the issue says so without the token; the next tick makes the note and links it", async () => {
    const hackmd = failing.hackmd!;
    // The next day's meeting (the whole process's clock moves).
    advanceClock(24 * 3600_000);
    hackmd.failNext("POST", /^\/teams\/acme-wg\/notes$/, 403);
    const first = await failing.tick();
    expect(first.status, JSON.stringify(first.report)).toBe(200);
    const issues = await meetingIssues(failing);
    expect(issues).toHaveLength(2);
    const next = issues.find((candidate: any) => !candidate.body.includes([...hackmd.notes.values()][0]!.id))!;
    expect(hackmd.notes.size).toBe(1);
    expect(next.body).toMatch(/HackMD refused to create the minutes note in HackMD team acme-wg \(403\)/);
    expect(next.body).not.toContain(hackmd.token);

    // A tick right away leaves it to the failed run's claim (its lease, 120 s, has not ended);
    // the next scheduled tick, minutes later, makes the note.
    const soon = await failing.tick();
    expect(soon.report.series[0].outcome.doc.status, JSON.stringify(soon.report)).toBe("pending");
    expect(hackmd.notes.size).toBe(1);
    advanceClock(5 * 60_000);
    const second = await failing.tick();
    expect(second.status, JSON.stringify(second.report)).toBe(200);
    expect(second.report.series[0].outcome.doc.status, JSON.stringify(second.report)).toBe("linked");
    expect(await meetingIssues(failing)).toHaveLength(2);
    expect(hackmd.notes.size).toBe(2);
    const made = [...hackmd.notes.values()].find((note) => note.content.includes(next.html_url))!;
    const linked = await failing.github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/issues/${next.number}`);
    expect(linked.body).toContain(made.id);
    expect(linked.body).not.toMatch(/HackMD refused/);
    expect(hackmd.rejected).toEqual([]);
  });

  it("/minutes refuses a note the issue's marker was edited to name: a copy, marker and all, in another workspace", async () => {
    const hackmd = failing.hackmd!;
    const [meeting] = (await meetingIssues(failing)).filter((candidate: any) => candidate.state === "open");
    const own = [...hackmd.notes.values()].find((note) => note.content.includes(meeting.html_url))!;
    // Someone copies the meeting's note into their own workspace and writes in it; then the
    // issue's hidden marker is edited to name the copy.
    const copy = hackmd.seedNote({ content: own.content.replace("* (notes)", "* LEAKED: text from elsewhere"), userPath: "mallory" });
    // The marker names the note's workspace and id (`hackmd:<team>/<id>`): only the id is changed.
    expect(meeting.body).toContain(`"doc":"hackmd:${HACKMD_TEAM}/${own.id}"`);
    const edited = meeting.body.replace(`"doc":"hackmd:${HACKMD_TEAM}/${own.id}"`, `"doc":"hackmd:${HACKMD_TEAM}/${copy.id}"`);
    expect(edited).not.toBe(meeting.body);
    await failing.github.api(USERS.owner, "PATCH", `/repos/${MEETINGS_REPO}/issues/${meeting.number}`, { body: edited });

    const writes = hackmd.requests.filter((r) => r.method !== "GET").length;
    await postComment(failing, USERS.chair, meeting.number, "/minutes");
    const answer = await waitFor("the App's answer to /minutes", async () => {
      const comments = await failing.github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/issues/${meeting.number}/comments`);
      return comments.find((c: any) => c.user.login.endsWith("[bot]") && c.body.startsWith("I did not publish"));
    });
    expect(answer.body).toContain("the HackMD note linked from this issue does not belong to this meeting");
    expect(answer.body).not.toContain("mallory");
    expect(await minutesPulls(failing)).toEqual([]);
    // The copy was read (to check it), never written; nothing of it reached GitHub.
    expect(hackmd.requests.filter((r) => r.method !== "GET").length).toBe(writes);
    expect(hackmd.requests.some((r) => r.method === "GET" && r.path === `/v1/notes/${copy.id}`)).toBe(true);
  });
});

/**
 * `/move` and `/cancel` on a HackMD meeting that announces: the note follows the move (its
 * title and its marker's new start), and the Slack destination hears each once, also when
 * GitHub redelivers the command.
 */
describe("e2e: /move and /cancel on a HackMD meeting that announces", () => {
  let moving: World;
  beforeAll(async () => {
    moving = await startWorld({ app: wgMeetings, hackmd: {}, chat: { [SLACK]: "slack" } });
  });
  afterAll(async () => {
    await moving?.close();
  });

  /** The App's reply to a comment (its hidden reply marker names the comment). */
  const replyTo = (number: number, comment: number) =>
    waitFor(`the App's reply to comment ${comment}`, async () => {
      const comments = await moving.github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/issues/${number}/comments`);
      return comments.find((c: any) => c.user.login.endsWith("[bot]") && c.body.includes(`{"comment":${comment},`));
    });

  it("/move retitles the note and records the new start; Slack hears opened, then moved, once; /cancel once", async () => {
    const hackmd = moving.hackmd!;
    const chat = moving.chat!;
    // Weekly, opened a week ahead: whatever the day the test runs, the next meeting is open at once.
    const config = hackmdSampleConfig(HACKMD_TEAM, { to: [SLACK] }).replace("rrule: FREQ=DAILY", "rrule: FREQ=WEEKLY").replace("createBefore: P2D", "createBefore: P7D");
    moving.front.holdDeliveries = true;
    await moving.commitConfig(config);
    moving.front.holdDeliveries = false;
    const { status, report } = await moving.tick();
    expect(status, JSON.stringify(report)).toBe(200);
    const [issue] = await meetingIssues(moving);
    const note = [...hackmd.notes.values()][0]!;
    await waitFor("the opened announcement", () => chat.to(SLACK).length === 1);

    // The day after, at 15:00 UTC (the series' zone).
    const at = new Date(JSON.parse(/<!-- wg-meetings:meeting (\{.*?\}) -->/.exec(issue.body)![1]!).at as string);
    const day = new Date(at.getTime() + 24 * 3600_000).toISOString().slice(0, 10);
    const move = await postComment(moving, USERS.chair, issue.number, `/move ${day} 15:00`);
    const moved = await replyTo(issue.number, move.id);
    expect(moved.body).not.toMatch(/could not be renamed/);
    expect(note.title).toBe(`Acme Working Group Meeting ${day}`);
    expect(note.content).toContain(`"movedTo":"${day}T15:00:00.000Z"`);
    expect(note.content).toContain(`# Acme Working Group Meeting ${day}`);
    const afterMove = await waitFor("the moved announcement", () => (chat.to(SLACK).length === 2 ? chat.to(SLACK) : undefined));
    expect(afterMove[1]!.text).toMatch(/has moved/);
    expect(afterMove[1]!.text).toContain("15:00");

    // GitHub redelivers the /move comment: no second move, no second message.
    const delivery = moving.front.deliveries.find((d) => d.event === "issue_comment" && d.body.includes("/move "))!;
    expect(await moving.front.redeliver(delivery)).toBe(200);
    expect(chat.to(SLACK)).toHaveLength(2);

    const cancel = await postComment(moving, USERS.chair, issue.number, "/cancel the room is taken");
    await replyTo(issue.number, cancel.id);
    const afterCancel = await waitFor("the cancelled announcement", () => (chat.to(SLACK).length === 3 ? chat.to(SLACK) : undefined));
    expect(afterCancel[2]!.text).toMatch(/is cancelled/);
    // A re-run of the tick posts nothing more, and the note is still the one note.
    expect((await moving.tick()).status).toBe(200);
    expect(chat.to(SLACK)).toHaveLength(3);
    expect(hackmd.notes.size).toBe(1);
    expect(hackmd.rejected).toEqual([]);
    expect(chat.rejected).toEqual([]);
  });
});
