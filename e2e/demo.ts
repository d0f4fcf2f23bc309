/**
 * `npm run demo`: the whole meeting lifecycle in one command, offline, against the seeded sample
 * org `acme` — emulate for GitHub, the front server, the Google stand-in and the real App as a
 * Probot server, all on loopback. Prints each artifact and where it lives; exits 0, or 1 with
 * the step that failed.
 *
 * The story: config → tick → meeting issue and doc → RSVP → notes (a decision, action items) →
 * `/minutes` → PR (its body previews the issues and decisions) → merge → the meeting closes, one
 * issue per action item, one comment on the agenda item → the merge redelivered changes nothing
 * → a day later (the process's clock moved) the next meeting's issue, and its open action items
 * following an issue closed.
 *
 * `npm run demo -- --hackmd` (or WG_MEETINGS_DEMO_DOC=hackmd) tells the same story with
 * `minutes.doc: hackmd`: the notes are taken in a HackMD note in the team workspace acme-wg,
 * served by the HackMD stand-in (e2e/harness/hackmd-standin.ts), and the series announces its
 * meetings to a Slack destination, `acme-slack`, whose messages the chat receiver
 * (e2e/harness/chat-standin.ts) records and the demo prints. Still no credentials and no
 * network: both stand-ins are on loopback too.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ApplicationFunction } from "probot";
import { AGENDA_LABEL, MEETINGS_REPO, PUBLIC_AGENDA_REPO, PRIVATE_AGENDA_REPO, USERS, BOT_LOGIN, SAMPLE_CONFIG, hackmdSampleConfig } from "./harness/github.js";
import { textUnderHeading, typeUnderHeading } from "./harness/google-standin.js";
import { typeIntoNote } from "./harness/hackmd-standin.js";
import { agendaItems, closeMeetingByMerge, meetingIssues, minutesPulls, postComment, reactionsTo, reactToIssue } from "./harness/steps.js";
import { HACKMD_TEAM, startWorld, waitFor, type World } from "./harness/world.js";
import { ACTION_ITEM_TITLES, ACTION_ITEMS, ITEM_NOTES, actionItemIssues, countsIn, issueComments, issueTitled } from "./harness/follow-up.js";
import { advanceClock } from "./harness/clock.js";

/** `--hackmd` (or WG_MEETINGS_DEMO_DOC=hackmd): the story with a HackMD note and a Slack destination. */
const HACKMD = process.argv.includes("--hackmd") || process.env.WG_MEETINGS_DEMO_DOC === "hackmd";
/** The chat destination the HackMD story announces to. */
const SLACK = "acme-slack";

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
let step = "starting";

function heading(title: string, where?: string): void {
  console.log(`\n${bold(`━━ ${title} `.padEnd(78, "━"))}`);
  if (where) console.log(`   ${where}`);
  console.log("");
}

function show(text: string): void {
  console.log(text.replace(/\s+$/, "").split("\n").map((line) => `   │ ${line}`).join("\n"));
}

/**
 * What a meeting issue carries over from the meetings before it: its line naming the previous
 * meeting and its minutes, its agenda (items still open say since when they are carried over),
 * and its open action items.
 */
function followUpPart(body: string): string {
  const previous = body.split("\n").find((line) => /previous meeting/i.test(line)) ?? "(no previous meeting line)";
  const agenda = /<!-- wg-meetings:agenda -->([\s\S]*?)<!-- \/wg-meetings:agenda -->/.exec(body)?.[1]?.trim() ?? "(no agenda section)";
  const actions = openActionItemsSection(body);
  return [
    previous.replace(/^\* /, ""),
    "",
    "Agenda:",
    ...agenda.split("\n").map((line) => `  ${line}`),
    "",
    actions || "Open action items: (empty: the tick leaves this section empty when it opens the issue; the next refresh fills it, as step 14 shows)",
  ].join("\n");
}

/** The live open action items section of a meeting issue (between the App's markers), or "" when empty or absent. */
function openActionItemsSection(body: string): string {
  return /<!-- wg-meetings:actions -->([\s\S]*?)<!-- \/wg-meetings:actions -->/.exec(body)?.[1]?.trim() ?? "";
}

/** The package root (where lib/ is), found upwards from this file wherever it was compiled to. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "wg-meetings") return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cannot find the wg-meetings package root");
    dir = parent;
  }
}

async function main(): Promise<void> {
  const started = performance.now(); // not Date: step 13 moves the clock
  const appPath = join(packageRoot(), "lib", "index.js");
  if (!existsSync(appPath)) throw new Error(`${appPath} is missing: run \`npm run build\` (npm run demo does)`);
  const app = ((await import(pathToFileURL(appPath).href)) as { default: ApplicationFunction }).default;

  step = "starting the loopback world";
  const world: World = await startWorld({ app, logLevel: "info", ...(HACKMD ? { hackmd: {}, chat: { [SLACK]: "slack" as const } } : {}) });
  try {
    const { github, google, front, hackmd, chat } = world;
    const api = (path: string) => `${github.url}${path}`;
    heading("The sample org (loopback)", "Nothing here leaves 127.0.0.1.");
    show(
      [
        `GitHub (emulate):      ${github.url}    (REST at the root; token for reading: ${USERS.owner.token})`,
        `Front server:          ${front.url}/api/v3 + /api/graphql  (what the App calls; webhooks relayed at /hooks/app)`,
        `Google stand-in:       ${google.url}`,
        ...(hackmd ? [`HackMD stand-in:       ${hackmd.url}  (API v1; team workspace ${HACKMD_TEAM} on WG_MEETINGS_HACKMD_ALLOW for acme)`] : []),
        ...(chat ? [`Chat receiver:         ${chat.url}  (destination ${SLACK}: a Slack incoming webhook, in WG_MEETINGS_CHAT for acme)`] : []),
        `The App (Probot):      ${world.appUrl}/api/github/webhooks, POST ${world.appUrl}/wg-meetings/tick`,
        `Org acme: ${MEETINGS_REPO} (meetings), ${PUBLIC_AGENDA_REPO} (public), ${PRIVATE_AGENDA_REPO} (PRIVATE)`,
        `People: @${USERS.owner.login} (org admin), @${USERS.chair.login} (write on ${MEETINGS_REPO}), @${USERS.guest.login} (read)`,
        `Agenda label "${AGENDA_LABEL}" on one public issue and on one private one (which must stay out).`,
      ].join("\n"),
    );

    step = "committing .github/meetings.yml";
    front.holdDeliveries = true; // the App is "down" while the config lands: the tick must do the work
    await world.commitConfig(HACKMD ? hackmdSampleConfig(HACKMD_TEAM, { to: [SLACK] }) : SAMPLE_CONFIG);
    front.holdDeliveries = false;
    heading("1. Config committed", api(`/repos/${MEETINGS_REPO}/contents/.github/meetings.yml`));
    show(Buffer.from((await github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/contents/.github/meetings.yml`)).content, "base64").toString("utf8"));

    step = "ticking";
    const tick = await world.tick();
    heading("2. Tick", `POST ${world.appUrl}/wg-meetings/tick (Authorization: Bearer <WG_MEETINGS_TICK_SECRET>) → ${tick.status}`);
    show(JSON.stringify(tick.report.series, null, 2));
    if (tick.status !== 200 || tick.report.series[0]?.outcome.action !== "created") throw new Error(`the tick did not open the meeting: ${JSON.stringify(tick.report)}`);

    step = "reading the meeting issue";
    const [issue] = await meetingIssues(world);
    if (!issue) throw new Error("no meeting issue");
    if (issue.body.includes("EMBARGOED")) throw new Error("the private repository's item leaked into the public issue");
    heading(`3. Meeting issue #${issue.number}: ${issue.title}`, `${issue.html_url}  (API: ${api(`/repos/${MEETINGS_REPO}/issues/${issue.number}`)})`);
    show(issue.body);

    step = "reading the minutes doc";
    // The doc people type into: a Google Doc (its export) or a HackMD note (its Markdown).
    const docs = HACKMD ? [...hackmd!.notes.values()] : [...google.docs.values()];
    if (docs.length !== 1) throw new Error(`expected one minutes doc, found ${docs.length}`);
    const gdoc = HACKMD ? undefined : [...google.docs.values()][0]!;
    const note = HACKMD ? [...hackmd!.notes.values()][0]! : undefined;
    const doc = {
      id: (gdoc ?? note)!.id,
      url: gdoc ? `https://docs.google.com/document/d/${gdoc.id}/edit` : hackmd!.noteUrl(note!.id),
      get markdown() {
        return gdoc ? gdoc.markdown : note!.content;
      },
      type(under: string, lines: readonly string[]) {
        if (gdoc) typeUnderHeading(gdoc, under, lines);
        else typeIntoNote(note!, under, lines);
      },
    };
    if (gdoc) {
      heading(`4. Minutes doc "${gdoc.name}"`, `${doc.url} → stand-in ${google.url}/drive/v3/files/${gdoc.id}/export?mimeType=text/markdown; shared: ${gdoc.permissions.map((p) => `${p.type}:${p.role}`).join(", ")}`);
    } else {
      if (!issue.body.includes(doc.id)) throw new Error("the meeting issue does not link its HackMD note");
      if (!doc.markdown.includes(issue.html_url)) throw new Error("the HackMD note does not link its meeting issue");
      heading(
        `4. HackMD note "${note!.title}"`,
        `${doc.url} → stand-in GET ${hackmd!.url}/teams/${note!.teamPath}/notes/${note!.id}; team ${note!.teamPath}; read ${note!.readPermission}, write ${note!.writePermission}, comment ${note!.commentPermission}; tags ${note!.tags.join(", ")}`,
      );
    }
    show(doc.markdown);

    if (chat) {
      step = "reading what the chat destination received";
      const received = await waitFor(`the announcement to ${SLACK}`, () => (chat.to(SLACK).length > 0 ? chat.to(SLACK) : undefined));
      heading(`4b. Chat: ${SLACK} (Slack) received ${received.length} message${received.length === 1 ? "" : "s"}: the meeting opened`, `POST https://hooks.slack.com/services/… → chat receiver ${chat.url} (WG_MEETINGS_CHAT_ROOT_URL)`);
      show(received.map((m) => m.text).join("\n---\n"));
    }

    step = "reacting 👍 to the meeting issue";
    await reactToIssue(world, USERS.chair, issue.number, "+1");
    const reactions = await reactionsTo(world, issue.number);
    heading(`5. @${USERS.chair.login} reacted 👍 to meeting #${issue.number} (the RSVP: attending)`, `POST ${front.apiUrl}/repos/${MEETINGS_REPO}/issues/${issue.number}/reactions {"content":"+1"} as @${USERS.chair.login}`);
    show(reactions.map((r) => `${r.content === "+1" ? "👍" : r.content} @${r.user.login}`).join("\n"));

    step = "typing notes into the minutes doc";
    // The public agenda item the meeting is about (seeded in acme/tsc): the notes go under it.
    const [item] = await agendaItems(world, PUBLIC_AGENDA_REPO);
    if (!item) throw new Error(`no agenda item in ${PUBLIC_AGENDA_REPO}`);
    const notes = ITEM_NOTES;
    doc.type(item, notes);
    doc.type("Action items", ACTION_ITEMS);
    heading(
      `6. @${USERS.chair.login} typed notes into the doc: a decision and four action items`,
      `in ${doc.url} (${HACKMD ? "signed-in HackMD users write" : "shared anyone:writer"}), under the agenda item (an issue in ${PUBLIC_AGENDA_REPO}) and under Action items`,
    );
    // The typed lines, then the item and the Action items as the doc's export now reads them.
    const headingOf = (title: string) => doc.markdown.split("\n").find((line) => line.startsWith("#") && line.includes(title)) ?? title;
    show(
      [
        ...[...notes, ...ACTION_ITEMS].map((line) => `typed: ${line}`),
        "",
        headingOf(item),
        "",
        textUnderHeading(doc.markdown, item),
        "",
        headingOf("Action items"),
        "",
        textUnderHeading(doc.markdown, "Action items"),
      ].join("\n"),
    );

    step = "running /minutes";
    const comment = await postComment(world, USERS.chair, issue.number, "/minutes https://youtu.be/acme-demo");
    const [pull] = await waitFor("the minutes pull request", async () => {
      const pulls = await minutesPulls(world);
      return pulls.length > 0 ? pulls : undefined;
    });
    const answer = await waitFor("the App's answer", async () => {
      const comments = await github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/issues/${issue.number}/comments`);
      return comments.find((c: any) => c.user.login === BOT_LOGIN && c.body.includes(`#${pull.number}`));
    });
    heading(`7. @${USERS.chair.login} commented "/minutes https://youtu.be/acme-demo"; the App answered`, api(`/repos/${MEETINGS_REPO}/issues/comments/${comment.id}`));
    show(answer.body);

    step = "reading the minutes pull request";
    // emulate's /pulls/:n/files is a stub: the diff comes from compare (real file diffs).
    const compare = await github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/compare/${pull.base.ref}...${encodeURIComponent(pull.head.ref)}`);
    heading(
      `8. Minutes PR #${pull.number}: ${pull.title}`,
      `${pull.html_url} (${pull.head.ref} → ${pull.base.ref}); its body previews the issues merging opens and the decisions`,
    );
    show(pull.body ?? "");
    for (const file of compare.files ?? []) {
      heading(`8b. The diff: ${file.filename} (${file.status}, +${file.additions} −${file.deletions})`, api(`/repos/${MEETINGS_REPO}/compare/${pull.base.ref}...${pull.head.ref}`));
      show(file.patch ?? "(no patch)");
    }
    const path = /`([^`]+\.md)`/.exec(answer.body)?.[1];
    if (!path) throw new Error("the App's answer names no minutes file");
    const content = await github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/contents/${path}?ref=${encodeURIComponent(pull.head.ref)}`);
    const minutes = Buffer.from(content.content, "base64").toString("utf8");
    const underItem = textUnderHeading(minutes, item);
    if (!notes.every((line) => underItem.includes(line))) throw new Error(`the doc's notes are not under "${item}" in the minutes file:\n${minutes}`);
    step = "merging and closing";
    await closeMeetingByMerge(world, pull.number);
    const closed = await waitFor("the meeting issue to close", async () => {
      const current = await github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/issues/${issue.number}`);
      return current.state === "closed" ? current : undefined;
    });
    const comments = await github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/issues/${issue.number}/comments`);
    heading(`9. PR merged; the App closed meeting #${closed.number} (${closed.state})`, api(`/repos/${MEETINGS_REPO}/issues/${issue.number}/comments`));
    show(comments.at(-1).body);

    if (chat) {
      step = "reading the merged announcement";
      const merged = await waitFor(`the merged announcement to ${SLACK}`, () => chat.to(SLACK).find((m) => m.text.includes(path)));
      heading(`9b. Chat: ${SLACK} (Slack) received the merged minutes, with their action items`, `POST https://hooks.slack.com/services/… → chat receiver ${chat.url}`);
      show(merged.text);
    }

    step = "reading the action-item issues";
    const opened = await waitFor("the action-item issues", async () => {
      const found = await actionItemIssues(world);
      return found.length >= ACTION_ITEM_TITLES.length ? found : undefined;
    });
    heading(`10. The merge opened ${opened.length} issues, one per action item`, api(`/repos/${MEETINGS_REPO}/issues?creator=${encodeURIComponent(BOT_LOGIN)}`));
    show(
      opened
        .map((created: any) =>
          [
            `#${created.number} "${created.title}"  ${created.html_url}`,
            `assignees: ${created.assignees.map((u: any) => `@${u.login}`).join(", ") || "(none)"}   labels: ${created.labels.map((l: any) => l.name).join(", ") || "(none)"}`,
            ...String(created.body).split("\n").map((line) => `  ${line}`),
          ].join("\n"),
        )
        .join("\n\n"),
    );

    step = "reading the comment on the agenda item";
    const agendaItem = await issueTitled(world, PUBLIC_AGENDA_REPO, item);
    const itemComment = await waitFor("the comment on the agenda item", async () =>
      (await issueComments(world, PUBLIC_AGENDA_REPO, agendaItem.number)).find((c: any) => c.user.login === BOT_LOGIN),
    );
    heading(`11. The App commented on the agenda item ${PUBLIC_AGENDA_REPO}#${agendaItem.number} "${item}"`, itemComment.html_url);
    show(itemComment.body);

    step = "redelivering the merge";
    const merge = await waitFor("the merge delivery to be handled", () =>
      front.deliveries.find((d) => d.event === "pull_request" && d.body.includes('"action":"closed"') && d.status !== 0),
    );
    const repos = [MEETINGS_REPO, PUBLIC_AGENDA_REPO];
    const before = await countsIn(world, repos);
    const chatBefore = chat?.messages.length ?? 0;
    const mark = front.appRequests.length;
    const redelivered = await front.redeliver(merge);
    const requests = front.appRequests.slice(mark);
    const after = await countsIn(world, repos);
    const chatAfter = chat?.messages.length ?? 0;
    const writes = requests.filter((r) => r.method !== "GET");
    heading("12. GitHub redelivers the merge webhook: nothing new", `the same signed pull_request.closed (delivery ${merge.id}) posted again → ${redelivered}`);
    show(
      [
        ...Object.keys(before).map((key) => `${key.padEnd(30)} before ${String(before[key]).padStart(2)}   after ${String(after[key]).padStart(2)}`),
        ...(chat ? [`${`${SLACK} messages`.padEnd(30)} before ${String(chatBefore).padStart(2)}   after ${String(chatAfter).padStart(2)}`] : []),
        "",
        `The App made ${requests.length} requests: ${requests.length - writes.length} reads and ${writes.length} writes${
          writes.every((r) => r.path.includes("/git/")) ? ", Git data only (the follow-up's claim: a hidden ref, made and deleted)" : ""
        }:`,
        ...writes.map((r) => `  ${r.method} ${r.path.replace(/^\/api\/v3/, "")} → ${r.status}`),
      ].join("\n"),
    );
    if (writes.some((r) => /\/(issues|comments|pulls|contents)\b/.test(r.path))) throw new Error(`the redelivered merge wrote: ${JSON.stringify(writes)}`);
    if (redelivered !== 200 || JSON.stringify(before) !== JSON.stringify(after) || chatBefore !== chatAfter) throw new Error("the redelivered merge changed something");

    step = "ticking the next day";
    // The daily meeting's next occurrence is tomorrow: move the whole process's clock a day on.
    advanceClock(24 * 3600_000);
    const nextTick = await world.tick();
    const next = (await meetingIssues(world)).find((candidate) => candidate.number !== issue.number && candidate.state === "open");
    if (nextTick.status !== 200 || !next) throw new Error(`the next day's tick opened no meeting: ${JSON.stringify(nextTick.report)}`);
    heading(`13. A day later the tick opens meeting #${next.number}: ${next.title}`, `${next.html_url}  (the clock moved 24 h)`);
    show(followUpPart(next.body));

    step = "closing an action item";
    // @chair finishes the advisory and closes its issue: the App refreshes the open meeting's list.
    const done = opened.find((o: any) => o.title === "draft the advisory") ?? opened[0];
    await github.api(USERS.chair, "PATCH", `/repos/${MEETINGS_REPO}/issues/${done.number}`, { state: "closed", state_reason: "completed" });
    const refreshed = await waitFor("the next meeting's open action items to drop the closed one", async () => {
      const current = await github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/issues/${next.number}`);
      const section = openActionItemsSection(current.body);
      return section && !section.includes(`#${done.number}`) && opened.every((o: any) => o === done || section.includes(`#${o.number}`)) ? section : undefined;
    });
    heading(`14. @${USERS.chair.login} closes #${done.number} "${done.title}"; meeting #${next.number}'s open action items follow`, `PATCH ${api(`/repos/${MEETINGS_REPO}/issues/${done.number}`)} {"state":"closed"} → issues.closed → the App edits #${next.number}`);
    show(refreshed);

    const services = hackmd ? `${hackmd.requests.length} HackMD requests, ${chat?.messages.length ?? 0} chat messages` : `${google.requests.length} Google requests`;
    heading("Done", `${front.deliveries.length} signed webhooks delivered, ${services}, ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    const tail = world.logs.slice(-15).join("\n");
    if (tail) console.error(`\nLast App log lines:\n${tail}`);
    throw error;
  } finally {
    await world.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const cause = (error as Error).cause as Error | undefined;
    console.error(`\nwg-meetings demo FAILED while ${step}: ${(error as Error).message}${cause?.message ? ` (${cause.message})` : ""}`);
    process.exit(1);
  },
);
