import { afterAll, beforeAll, describe, expect, it } from "vitest";
import wgMeetings from "../../src/index.js";
import { AGENDA_LABEL, BOT_LOGIN, MEETINGS_REPO, PUBLIC_AGENDA_REPO, USERS } from "../../e2e/harness/github.js";
import { startWorld, waitFor, type World } from "../../e2e/harness/world.js";
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

    // The note taker types under the agenda item (over its "(notes)" prompt), and an action
    // item under Action items, as a person does in the doc.
    typeUnderHeading(doc, ITEM, ["* We agreed on the 2027 release schedule."]);
    typeUnderHeading(doc, "Action items", ["* @chair writes the announcement."]);
    expect(textUnderHeading(doc.markdown, ITEM)).toBe("* We agreed on the 2027 release schedule.");

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
    // Each note lands in the minutes under the heading it was typed under.
    expect(textUnderHeading(minutes, ITEM)).toBe("* We agreed on the 2027 release schedule.");
    expect(textUnderHeading(minutes, "Action items")).toBe("* @chair writes the announcement.");
    expect(minutes).not.toContain("EMBARGOED");
    expect(minutes).toContain("@chair");
    const answer = await waitFor("the App's answer", async () => {
      const comments = await github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/issues/${issue!.number}/comments`);
      return comments.find((c: any) => c.user.login === BOT_LOGIN && c.body.includes(`#${pull!.number}`));
    });
    expect(answer.body).toContain(`minutes/${date}.md`);

    // Merged on GitHub: emulate delivers pull_request.closed (merged), the App closes the meeting.
    await closeMeetingByMerge(world, pull!.number);
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
