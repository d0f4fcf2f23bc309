import { afterAll, beforeAll, describe, expect, it } from "vitest";
import wgMeetings from "../../src/index.js";
import { AGENDA_LABEL, BOT_LOGIN, MEETINGS_REPO, PRIVATE_AGENDA_REPO, PUBLIC_AGENDA_REPO, USERS } from "../../e2e/harness/github.js";
import { ACTION_ITEM_LABEL, ACTION_ITEM_TITLES, ACTION_ITEMS, DECISION, ITEM_NOTES, actionItemIssues, countsIn, issueComments, issueTitled } from "../../e2e/harness/follow-up.js";
import { startWorld, waitFor, type World } from "../../e2e/harness/world.js";
import { advanceClock, resetClock } from "../../e2e/harness/clock.js";
import { closeMeetingByMerge, meetingIssues, minutesPulls, postComment, reactToIssue, reactionsOn } from "../../e2e/harness/steps.js";
import { textUnderHeading, typeUnderHeading } from "../../e2e/harness/google-standin.js";

/** The public agenda item the harness seeds in acme/tsc. */
const ITEM = "Adopt a release schedule for 2027";

/**
 * The whole lifecycle on loopback, through real HTTP everywhere: emulate (GitHub) delivers
 * signed webhooks to the real Probot server; the App reaches GitHub through the front server
 * (REST + GraphQL) and Google through the stand-in. Assertions read emulate's and the stand-in's
 * state, never logs.
 */
let world: World;
beforeAll(async () => {
  world = await startWorld({ app: wgMeetings });
});
afterAll(async () => {
  await world?.close();
  resetClock();
});

describe("e2e: a meeting from tick to merged minutes", () => {
  it("tick → issue with the public agenda and a doc → /minutes → PR → merge → meeting closed", async () => {
    const { github, google } = world;
    // The config lands while the App is unreachable (its push delivery fails), so the scheduled
    // tick is what opens the meeting.
    world.front.holdDeliveries = true;
    await world.commitConfig();
    world.front.holdDeliveries = false;
    expect(world.front.deliveries.filter((d) => d.event === "push").map((d) => d.status)).toEqual([503]);

    // The tick, as a scheduler calls it.
    const { status, report } = await world.tick();
    expect(status, JSON.stringify(report)).toBe(200);
    expect(report.series).toHaveLength(1);
    expect(report.series[0].outcome.action).toBe("created");

    const [issue] = await meetingIssues(world);
    expect(issue).toBeDefined();
    expect(issue!.user.login).toBe(BOT_LOGIN);
    expect(issue!.body).toContain(ITEM);
    expect(issue!.body).toContain(PUBLIC_AGENDA_REPO);
    expect(issue!.body).not.toContain("EMBARGOED");
    expect(issue!.body).not.toContain("acme/embargoed");
    expect(issue!.body).toMatch(/<!-- wg-meetings:/);

    // The doc: one, tagged with the occurrence, shared, linked both ways.
    expect(google.docs.size).toBe(1);
    const doc = [...google.docs.values()][0]!;
    expect(issue!.body).toContain(`https://docs.google.com/document/d/${doc.id}/edit`);
    expect(doc.markdown).toContain(issue!.html_url);
    expect(doc.permissions).toEqual([expect.objectContaining({ type: "anyone", role: "writer" })]);
    expect(google.rejected).toEqual([]);

    // Someone labels a new agenda item after the issue opened; attendees RSVP with 👍.
    const late = await github.api(USERS.owner, "POST", `/repos/${PUBLIC_AGENDA_REPO}/issues`, { title: "Late item: budget review" });
    await github.api(USERS.owner, "POST", `/repos/${PUBLIC_AGENDA_REPO}/issues/${late.number}/labels`, { labels: [AGENDA_LABEL] });
    await reactToIssue(world, USERS.chair, issue!.number, "+1");

    // The labelled item's webhook reaches the App (which has nothing to do for it).
    await waitFor("the issues.labeled delivery", () => world.front.deliveries.find((d) => d.event === "issues" && d.body.includes('"action":"labeled"') && d.status === 200));

    // The note taker types under the agenda item (over its "(notes)" prompt) a note and a
    // decision, and three action items under Action items, as a person does in the doc.
    typeUnderHeading(doc, ITEM, ITEM_NOTES);
    typeUnderHeading(doc, "Action items", ACTION_ITEMS);
    expect(textUnderHeading(doc.markdown, ITEM)).toBe(ITEM_NOTES.join("\n"));

    // The chair asks for the minutes: emulate delivers the signed issue_comment webhook.
    const comment = await postComment(world, USERS.chair, issue!.number, "/minutes https://youtu.be/acme-2027");
    const [pull] = await waitFor("the minutes pull request", async () => {
      const pulls = await minutesPulls(world);
      return pulls.length > 0 ? pulls : undefined;
    });
    await waitFor("🚀 on the /minutes comment", async () => (await reactionsOn(world, "comments", comment.id)).includes("rocket"));
    expect(pull!.head.ref).toMatch(/^wg-meetings\/minutes-acme-wg-\d{4}-\d{2}-\d{2}$/);
    const date = pull!.head.ref.slice(-10);
    const file = await github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/contents/minutes/${date}.md?ref=${encodeURIComponent(pull!.head.ref)}`);
    const minutes = Buffer.from(file.content, "base64").toString("utf8");
    expect(minutes).toContain("https://youtu.be/acme-2027");
    // Each note lands in the minutes under the heading it was typed under; the decision is
    // gathered at the top too.
    expect(textUnderHeading(minutes, ITEM)).toContain(ITEM_NOTES.join("\n"));
    expect(textUnderHeading(minutes, "Action items")).toBe(ACTION_ITEMS.join("\n"));
    expect(minutes.indexOf("Decisions")).toBeLessThan(minutes.indexOf(ITEM));
    expect(textUnderHeading(minutes, "Decisions")).toContain(DECISION);
    expect(minutes).not.toContain("EMBARGOED");
    expect(minutes).toContain("@chair");
    // The same commit appends the decision to the decisions log, linking these minutes.
    const logFile = await github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/contents/meetings/decisions.md?ref=${encodeURIComponent(pull!.head.ref)}`);
    const log = Buffer.from(logFile.content, "base64").toString("utf8");
    expect(log).toContain(DECISION);
    expect(log).toContain(`minutes/${date}.md`);
    // The PR body shows reviewers first what merging will do: the issues it opens, the decisions.
    for (const title of ACTION_ITEM_TITLES) expect(pull!.body).toContain(title);
    expect(pull!.body).toContain(DECISION);
    const answer = await waitFor("the App's answer", async () => {
      const comments = await github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/issues/${issue!.number}/comments`);
      return comments.find((c: any) => c.user.login === BOT_LOGIN && c.body.includes(`#${pull!.number}`));
    });
    expect(answer.body).toContain(`minutes/${date}.md`);

    // Merged on GitHub: emulate delivers pull_request.closed (merged), the App closes the meeting.
    await closeMeetingByMerge(world, pull!.number);
    const closedPull = await github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/pulls/${pull!.number}`);
    expect(closedPull.merged).toBe(true);
    const closed = await waitFor("the meeting issue to close", async () => {
      const current = await github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/issues/${issue!.number}`);
      return current.state === "closed" ? current : undefined;
    });
    expect(closed.state_reason ?? "completed").toBe("completed");
    const comments = await github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/issues/${issue!.number}/comments`);
    expect(comments.at(-1).body).toContain(`minutes/${date}.md`);
    expect(comments.at(-1).body).toContain("Closing this meeting");
    // The link follows the GitHub host the App runs against (here emulate's), not github.com.
    expect(comments.at(-1).body).toContain(`${issue!.html_url.replace(/\/issues\/\d+$/, "")}/blob/`);
    const onMain = await github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/contents/minutes/${date}.md`);
    expect(Buffer.from(onMain.content, "base64").toString("utf8")).toBe(minutes);

    // The same merge opens one issue per action item, in the meeting's repository.
    const merge = await waitFor("the App done with the merge delivery", () =>
      world.front.deliveries.find((d) => d.event === "pull_request" && d.body.includes('"action":"closed"') && d.status !== 0),
    );
    expect(merge.status).toBe(200);
    const opened = await waitFor("the action-item issues", async () => {
      const found = await actionItemIssues(world);
      return found.length === ACTION_ITEM_TITLES.length ? found : undefined;
    });
    expect(opened.map((i) => i.title)).toEqual(ACTION_ITEM_TITLES);
    const [website, advisory, token, volunteer] = opened;
    // Assigned where GitHub accepts the owner; named plainly where not (@guest only reads acme/meetings).
    expect(advisory.assignees.map((u: any) => u.login)).toEqual(["chair"]);
    expect(token.assignees.map((u: any) => u.login)).toEqual(["chair"]);
    expect(token.body).toMatch(/@guest\b[^\n]*not assignable/);
    expect(volunteer.assignees).toEqual([]);
    for (const created of opened) {
      expect(created.labels.map((l: any) => l.name)).toEqual([ACTION_ITEM_LABEL]);
      expect(created.state).toBe("open");
      // Linked to its section of the merged minutes, to the meeting and to the agenda item.
      expect(created.body).toContain(`/blob/${closedPull.merge_commit_sha}/minutes/${date}.md#`);
      expect(created.body).toContain(issue!.html_url);
    }
    expect(advisory.body).toContain("2026-12-10");
    expect(website.assignees.map((u: any) => u.login)).toEqual(["chair"]);
    // The item written under the agenda item links it too.
    expect(website.body).toContain(`${PUBLIC_AGENDA_REPO}#`);

    // The agenda item discussed (in acme/tsc) gets one comment linking its minutes and quoting its decision.
    const agendaItem = await issueTitled(world, PUBLIC_AGENDA_REPO, ITEM);
    const itemComment = await waitFor("the comment on the agenda item", async () =>
      (await issueComments(world, PUBLIC_AGENDA_REPO, agendaItem.number)).find((c) => c.user.login === BOT_LOGIN),
    );
    expect(itemComment.body).toContain(`minutes/${date}.md#`);
    expect(itemComment.body).toContain(issue!.html_url);
    expect(itemComment.body).toContain(DECISION);
    // ...and lists the action item written under it, with its issue.
    expect(itemComment.body).toContain(`${website.html_url}: publish the schedule on the website`);
    expect(itemComment.body).not.toContain(`${advisory.html_url}:`);
    // The private repository's item was never discussed and gets nothing.
    const embargoed = await issueTitled(world, PRIVATE_AGENDA_REPO, "EMBARGOED: heap overflow in the parser");
    expect(await issueComments(world, PRIVATE_AGENDA_REPO, embargoed.number)).toEqual([]);

    // GitHub redelivers the merge (or someone presses Redeliver): nothing new is created.
    const before = await countsIn(world, [MEETINGS_REPO, PUBLIC_AGENDA_REPO]);
    const mark = world.front.appRequests.length;
    expect(await world.front.redeliver(merge)).toBe(200);
    expect(await countsIn(world, [MEETINGS_REPO, PUBLIC_AGENDA_REPO])).toEqual(before);
    // Nor did the App write anything people see: no issue, comment, pull request or file request
    // other than reads (the follow-up's claim is a hidden ref, made and deleted).
    const redelivered = world.front.appRequests.slice(mark);
    expect(redelivered.length).toBeGreaterThan(0);
    expect(redelivered.filter((r) => r.method !== "GET" && /\/(issues|comments|pulls|contents)\b/.test(r.path))).toEqual([]);
    expect((await issueComments(world, PUBLIC_AGENDA_REPO, agendaItem.number)).filter((c) => c.user.login === BOT_LOGIN)).toEqual([itemComment]);

    // A day later (the whole process's clock moves: App, emulate, stand-in), the tick opens the
    // next meeting: it links this one and its minutes, and marks the item still on the agenda.
    advanceClock(24 * 3600_000);
    const nextTick = await world.tick();
    expect(nextTick.status, JSON.stringify(nextTick.report)).toBe(200);
    expect(nextTick.report.series[0].outcome.action).toBe("created");
    const next = (await meetingIssues(world)).find((candidate) => candidate.number !== issue!.number)!;
    expect(next.body).toContain(`Previous meeting: [#${issue!.number}](${issue!.html_url}) (${date})`);
    expect(next.body).toContain(`${issue!.html_url.replace(/\/issues\/\d+$/, "")}/blob/main/minutes/${date}.md`);
    expect(next.body).toContain(`(carried over from ${date})`);
    // The issue the tick opens lists every action item still open, from the listing it made.
    const actionsOf = (body: string) => /<!-- wg-meetings:actions -->([\s\S]*?)<!-- \/wg-meetings:actions -->/.exec(body)?.[1] ?? "";
    const listed = actionsOf(next.body);
    for (const item of [advisory, token, website, volunteer]) expect(listed).toContain(`[#${item.number}]`);
    // They stay live: closing one refreshes the section to the three left, with owners.
    await github.api(USERS.chair, "PATCH", `/repos/${MEETINGS_REPO}/issues/${advisory.number}`, { state: "closed", state_reason: "completed" });
    const section = await waitFor("the open action items without the closed one", async () => {
      const current = await github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/issues/${next.number}`);
      const found = actionsOf(current.body);
      return found.includes(`#${token.number}`) && !found.includes(`[#${advisory.number}]`) ? found : undefined;
    });
    expect(section).toContain("## Open action items");
    expect(section).not.toContain(`#${advisory.number}`);
    expect(section).toMatch(new RegExp(`rotate the npm token \\[#${token.number}\\]\\([^)]+\\) — @chair, \`@guest\` · from the ${date} meeting`));
    expect(section).toContain(`publish the schedule on the website [#${website.number}]`);
    expect(section).toContain(`Find a volunteer for the triage rotation [#${volunteer.number}]`);
  });
});

describe("e2e: secrets stay out of the logs", () => {
  it("no log line the App wrote during the lifecycle holds a key, a secret or a token", async () => {
    // Knock on the tick route with a wrong secret too: refusals are logged.
    expect((await world.tick("not-the-secret")).status).toBe(401);

    const { privateKey, webhookSecret, tickSecret, googleKey, googleKeyJson } = world.secrets;
    const pemBody = (pem: string) => pem.split("\n").filter((line) => line && !line.startsWith("-----"));
    const needles: Array<[string, string]> = [
      ["webhook secret", webhookSecret],
      ["tick secret", tickSecret],
      ...pemBody(privateKey).map((line, i): [string, string] => [`GitHub App key line ${i}`, line]),
      ...pemBody(googleKey).map((line, i): [string, string] => [`Google key line ${i}`, line]),
      ["Google key id", JSON.parse(googleKeyJson).private_key_id],
      ...world.front.mintedTokens().map((token): [string, string] => ["installation token", token]),
    ];
    expect(world.logs.length).toBeGreaterThan(20);
    const text = world.logs.join("\n");
    // JSON logs escape newlines; scan the escaped form of each needle as well.
    const leaks = needles.filter(([, value]) => text.includes(value) || text.includes(JSON.stringify(value).slice(1, -1))).map(([name]) => name);
    expect(leaks).toEqual([]);
    // Probot logs request headers: the tick's bearer is there, redacted (see LOG_REDACT_PATHS).
    expect(world.logs.some((line) => line.includes('"authorization":"[redacted]"'))).toBe(true);
  });
});
