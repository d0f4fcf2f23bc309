import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadGoogleDocs } from "../../src/google/google-docs.js";
import { runTick } from "../../src/meetings/tick.js";
import { fakeWorld, type FakeWorld } from "../helpers/fake-world.js";
import { serveDocMetadata } from "../helpers/drive-metadata.js";
import { createTestProbot } from "../helpers/probot.js";
import { FAST_RETRY, keyJson } from "../helpers/google.js";

/**
 * The lifecycle against a stateful fake GitHub + Drive: tick → issue + doc → /minutes → PR →
 * merge → meeting closed, with the races and re-runs that must not duplicate anything.
 */
const REPO = "Codertocat/Hello-World";
const CONFIG = `meetings:
  - id: hello
    name: Hello team
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=WE
      start: 2026-01-07T16:00
      zone: Europe/London
    createBefore: P2D
    agenda: { label: hello-agenda, repos: [Codertocat/Hello-World] }
    minutes:
      doc: google
      google: { folder: FOLDER1 }
`;
const EXPORTED = `# Hello team Meeting 2026-12-02

* **When**: Wed 02-Dec-2026 16:00 (04:00 PM) UTC (2026-12-02, Europe/London)
* **GitHub Issue**: https://github.com/${REPO}/issues/1
* **Recording**: not published yet (paste the link here, or give it to \`/minutes <url>\`)

## Present

* Mona Lisa: @monalisa
* The Octocat: @octocat

## Agenda

### Ship it

* We agreed to ship on Friday.

## Other business

## Action items

* @octocat writes the release notes.
`;
const commentFixture = JSON.parse(readFileSync(new URL("../fixtures/issue_comment.created.json", import.meta.url), "utf8"));
const closedFixture = JSON.parse(readFileSync(new URL("../fixtures/pull_request.closed.json", import.meta.url), "utf8"));
const PATH = "meetings/2026-12-02.md";

let world: FakeWorld;
const savedEnv = process.env.GOOGLE_CREDENTIALS_JSON;
beforeEach(async () => {
  world = fakeWorld({ repo: REPO, installationId: 1, config: CONFIG, roles: { Codertocat: "admin" }, exportedDoc: EXPORTED });
  // Drive's files.get: the App reads a doc's appProperties before exporting or renaming it.
  serveDocMetadata(() => world.docs);
  // The App reads its Google credentials from the environment, as in production.
  process.env.GOOGLE_CREDENTIALS_JSON = keyJson();
  const { probot } = await createTestProbot();
  await runTick(
    {
      auth: (id) => probot.auth(id),
      log: probot.log,
      google: () => loadGoogleDocs({ GOOGLE_CREDENTIALS_JSON: keyJson() }, { retry: FAST_RETRY }),
    },
    { now: new Date("2026-11-30T17:00:00Z"), installationId: 1, repository: REPO },
  );
  expect(world.issues).toHaveLength(1);
  expect(world.docs).toHaveLength(1);
});
afterEach(() => {
  world.close();
  if (savedEnv === undefined) delete process.env.GOOGLE_CREDENTIALS_JSON;
  else process.env.GOOGLE_CREDENTIALS_JSON = savedEnv;
});

function minutes(commentId: number, body = "/minutes https://youtu.be/rec") {
  const payload = structuredClone(commentFixture);
  payload.repository.default_branch = "main";
  payload.issue.number = world.issues[0]!.number;
  payload.issue.html_url = `https://github.com/${REPO}/issues/${world.issues[0]!.number}`;
  payload.issue.body = world.issues[0]!.body;
  payload.issue.user = { ...payload.issue.user, login: "wg-meetings[bot]", type: "Bot" };
  payload.comment.id = commentId;
  payload.comment.body = body;
  return { id: `delivery-${commentId}-${Math.random()}`, name: "issue_comment" as const, payload };
}

async function receive(...events: Array<ReturnType<typeof minutes>>) {
  const { probot } = await createTestProbot();
  await Promise.all(events.map((event) => probot.receive(event)));
}

describe("from /minutes to a closed meeting", () => {
  it("exports the doc into the minutes file, opens one PR, and closes the meeting when it merges", async () => {
    await receive(minutes(501));

    expect(world.pulls).toHaveLength(1);
    const pull = world.pulls[0]!;
    expect(pull).toMatchObject({ head: "wg-meetings/minutes-hello-2026-12-02", base: "main", title: "doc: add 2026-12-02 meeting notes", state: "open" });
    const file = world.files.get(pull.head)!.get(PATH)!;
    expect(file).toContain("* **Recording**: https://youtu.be/rec");
    expect(file).toContain(`* **Minutes Google Doc**: https://docs.google.com/document/d/${world.docs[0]!.id}/edit`);
    expect(file).toContain("* Mona Lisa: @monalisa");
    expect(file).toContain("* We agreed to ship on Friday.");
    expect(file).toContain("* @octocat writes the release notes.");
    expect(world.files.get("main")!.has(PATH)).toBe(false);
    expect(world.reactions.filter((r) => r.comment === 501).map((r) => r.content)).toEqual(["eyes", "rocket"]);
    expect(world.comments.at(-1)!.body).toContain(`I opened #${pull.number} with \`${PATH}\``);

    // Merged on GitHub: the meeting closes with a link to the file.
    pull.state = "closed";
    pull.merged_at = "2026-12-03T10:00:00Z";
    const payload = structuredClone(closedFixture);
    Object.assign(payload.pull_request, { number: pull.number, merged: true, merge_commit_sha: "m1", html_url: "u" });
    payload.pull_request.head.ref = pull.head;
    payload.pull_request.user = { ...payload.pull_request.user, login: "wg-meetings[bot]", type: "Bot" };
    payload.pull_request.head.repo = { ...payload.pull_request.head.repo, full_name: REPO };
    payload.installation = { id: 1 };
    const { probot } = await createTestProbot();
    await probot.receive({ id: "merge-1", name: "pull_request", payload });

    expect(world.issues[0]!.state).toBe("closed");
    expect(world.comments.at(-1)!.body).toContain(`[\`${PATH}\`](https://github.com/${REPO}/blob/m1/${PATH})`);
  });

  it("two /minutes at once, and a redelivered one: still one PR and one file", async () => {
    await receive(minutes(601), minutes(602));
    const delivered = minutes(601);
    await receive(delivered);

    expect(world.pulls).toHaveLength(1);
    expect(world.pulls[0]!.state).toBe("open");
    const answers = world.comments.filter((comment) => comment.issue === 1);
    // One answer per comment: the redelivery of 601 was recognised by the App's own reaction.
    expect(answers).toHaveLength(2);
    for (const answer of answers) expect(answer.body).toMatch(/^I (opened|updated) #\d+/);
    expect(world.reactions.filter((r) => r.comment === 601 && r.content === "rocket")).toHaveLength(1);
  });

  it("running /minutes again after the notes changed updates the same PR with a new commit", async () => {
    const mark = world.log.length;
    await receive(minutes(701));
    if (process.env.PRINT_REQUESTS) console.log(`first run:\n${world.log.slice(mark).join("\n")}`);
    const head = world.pulls[0]!.head;
    expect(world.files.get(head)!.get(PATH)).not.toContain("the roadmap");

    // The chair adds a line to the doc, then asks again.
    world.exportedDoc = EXPORTED.replace("## Other business\n", "## Other business\n\n* Next time: the roadmap.\n");
    const rerun = world.log.length;
    await receive(minutes(702));
    if (process.env.PRINT_REQUESTS) console.log(`re-run:\n${world.log.slice(rerun).join("\n")}`);

    expect(world.pulls).toHaveLength(1);
    expect(world.files.get(head)!.get(PATH)).toContain("* Next time: the roadmap.");
    expect(world.log.filter((line) => line.startsWith("PUT ")).length).toBe(2);
    expect(world.comments.at(-1)!.body).toContain(`I updated #${world.pulls[0]!.number} with \`${PATH}\``);
  });
});
