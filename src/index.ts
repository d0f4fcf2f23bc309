import type { ApplicationFunctionOptions, Probot } from "probot";
import { publicBaseUrl } from "./calendar-feed/public-url.js";
import { CONFIG_CHECK_PULL_REQUEST_EVENTS } from "./checks/config-check-events.js";
import { FEED_PATH_PREFIX } from "./http/feed-path.js";
import { lazyRoute } from "./http/lazy-route.js";
import { createTickRoute } from "./http/tick-route.js";
import { gitHubWebUrl } from "./github/web-host.js";
import { mayChangeAgenda, RefreshQueue } from "./meetings/refresh-queue.js";
import { runLimitsFromEnv } from "./meetings/run-limits.js";
import { createTickGate, startSelfTick } from "./meetings/tick-scheduler.js";
import { checkGoogleAllowList, readGoogleAllowList } from "./google/allow-list.js";
import { readHackmdAllowList } from "./hackmd/allow-list.js";
import { checkChatDestinations } from "./chat/destinations.js";

/*
 * Start-up loads only the wiring below. What a handler, the tick or a route needs (schedules,
 * templates, date formatting, config validation, markdownlint, iCalendar, Google's clients) is
 * imported where it is first used, and Node keeps it loaded from then on: a webhook the App
 * ignores never loads any of it, and a server answers `/ping` about as soon as a bare Probot
 * one. A failing import rejects the handler that needed it, like any other error there.
 */
type TickModule = typeof import("./meetings/tick.js");

/** The tick, loaded with everything it uses on its first run. */
const runTick: TickModule["runTick"] = async (deps, options) => (await import("./meetings/tick.js")).runTick(deps, options);

/** A value made on first use and kept; a failure is not kept, so the next use tries again. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () =>
    (made ??= make().catch((error: unknown) => {
      made = undefined;
      throw error;
    }));
}

/** Item events that can change what is on some meeting's agenda. */
const AGENDA_EVENTS: Array<
  | "issues.labeled"
  | "issues.unlabeled"
  | "issues.closed"
  | "issues.reopened"
  | "issues.edited"
  | "pull_request.labeled"
  | "pull_request.unlabeled"
  | "pull_request.closed"
  | "pull_request.reopened"
  | "pull_request.edited"
> = [
  "issues.labeled",
  "issues.unlabeled",
  "issues.closed",
  "issues.reopened",
  "issues.edited",
  "pull_request.labeled",
  "pull_request.unlabeled",
  "pull_request.closed",
  "pull_request.reopened",
  "pull_request.edited",
];

/**
 * The wg-meetings Probot app. Wiring only: every decision lives in `meetings/` and below.
 *
 * The tick runs on the server's own interval (WG_MEETINGS_TICK_INTERVAL, every 10 minutes by
 * default), when something outside calls it (the HTTP route, `wg-meetings tick`), when the App
 * is installed, and when a repository's config changes on its default branch.
 */
export default function wgMeetings(app: Probot, options?: Partial<ApplicationFunctionOptions>): void {
  // A malformed Google allow-list stops start-up with its name; an unset one is warned about once.
  checkGoogleAllowList(process.env, app.log);
  // Likewise a malformed WG_MEETINGS_CHAT (naming the entry, never a secret); a destination open
  // to every owner is warned about.
  checkChatDestinations(process.env, app.log);
  const declaredLogin = botLoginOverride(options);
  // The App's own login never changes: fetched once per process, on first need, and shared by
  // every tick, fan-out job and handler (a job per installation would otherwise ask GitHub
  // again each time). A failed lookup is not kept: the next run asks again. A run with a plain
  // token (`wg-meetings action` in GitHub Actions) cannot call `GET /app`, so it says who its
  // token writes as instead (the `botLogin` load option, or WG_MEETINGS_BOT_LOGIN).
  const appLogin = once(async () =>
    declaredLogin ?? (await import("./github/installations.js")).getBotLogin(await app.auth()),
  );
  const deps = {
    auth: (id?: number) => app.auth(id),
    log: app.log,
    // Loaded only when a series drafts its minutes in a Google Doc, or reads a Google Calendar.
    google: async () => (await import("./google/google-docs.js")).loadGoogleDocs(process.env),
    // Loaded only when a series drafts its minutes in a HackMD note.
    hackmd: async () => (await import("./hackmd/load-hackmd.js")).loadHackmd(process.env),
    // Loaded only when a series announces its meetings in chat; read once per process.
    chat: once(async () => (await import("./chat/load-chat.js")).loadChat(process.env)),
    calendar: async () => (await import("./google/google-docs.js")).loadGoogleCalendar(process.env),
    // Read once: calendar feed links in the issues need the App's public address.
    publicUrl: publicBaseUrl(process.env, app.log),
    // Read once: links in alarms and calendar events name this GitHub (GHE_HOST, GITHUB_SERVER_URL).
    webUrl: gitHubWebUrl(process.env),
    // Read once: each installation's deadline and how many a tick visits at a time.
    limits: runLimitsFromEnv(process.env),
    botLogin: appLogin,
  };

  // Validate .github/meetings.yml wherever it changes (any branch, any PR), as a check run. The
  // allow-list is read here, at start-up, as before; the check's code on the first such event.
  const configCheck = { calendar: deps.calendar, googleAllow: readGoogleAllowList(process.env), hackmdAllow: readHackmdAllowList(process.env) };
  const configCheckHandlers = once(async () => {
    const { checkConfigOnPullRequest, checkConfigOnPush } = await import("./checks/config-check-handlers.js");
    return { push: checkConfigOnPush(configCheck), pullRequest: checkConfigOnPullRequest(configCheck) };
  });
  app.on("push", async (context) => (await configCheckHandlers()).push(context));
  app.on([...CONFIG_CHECK_PULL_REQUEST_EVENTS], async (context) => (await configCheckHandlers()).pullRequest(context));

  app.on("issue_comment.created", async (context) => {
    const { payload } = context;
    const { handleChairCommand } = await import("./meetings/chair-command.js");
    const outcome = await handleChairCommand(
      {
        repo: { owner: payload.repository.owner.login, repo: payload.repository.name },
        defaultBranch: payload.repository.default_branch,
        repoPrivate: payload.repository.private,
        issue: {
          number: payload.issue.number,
          url: payload.issue.html_url,
          body: payload.issue.body,
          author: payload.issue.user.login,
          isPullRequest: Boolean(payload.issue.pull_request),
          isClosed: payload.issue.state === "closed",
        },
        comment: {
          id: payload.comment.id,
          body: payload.comment.body,
          author: payload.comment.user?.login ?? "ghost",
          // A deleted account ("ghost") cannot be a chair; treat it like a bot and ignore it.
          authorIsBot: !payload.comment.user || payload.comment.user.type === "Bot",
        },
      },
      { gh: context.octokit, botLogin: appLogin, google: deps.google, hackmd: deps.hackmd, chat: deps.chat, log: context.log, publicUrl: deps.publicUrl },
    );
    if (!outcome.handled) context.log.debug({ why: outcome.why }, "comment ignored");
  });

  app.on("pull_request.closed", async (context) => {
    const { payload } = context;
    const pull = payload.pull_request;
    if (!pull.head.ref.startsWith("wg-meetings/minutes-")) return;
    if (!pull.merged) {
      context.log.info({ pr: pull.number }, "minutes PR closed without merging: the meeting stays open");
      return;
    }
    // Only the App's own minutes PR, from its own branch in this repository, closes a meeting:
    // a fork's PR named like it must not.
    const login = await appLogin();
    if (pull.user?.login !== login || pull.head.repo?.full_name !== payload.repository.full_name) {
      context.log.info({ pr: pull.number, by: pull.user?.login }, "not the App's minutes PR: the meeting stays open");
      return;
    }
    const { closeMergedMeeting } = await import("./meetings/close-meeting.js");
    const repo = { owner: payload.repository.owner.login, repo: payload.repository.name };
    const { outcome, merged } = await closeMergedMeeting(
      context.octokit,
      repo,
      { number: pull.number, url: pull.html_url, merged: Boolean(pull.merged), headRef: pull.head.ref, mergeCommitSha: pull.merge_commit_sha },
      login,
      context.log,
      deps.webUrl,
    );
    if (!outcome.closed) context.log.info({ pr: pull.number, why: outcome.why }, "meeting left open");
    // Then the action items become issues and the items discussed link their minutes (docs/follow-up.md).
    if (!merged?.series || !merged.file) {
      if (merged) context.log.warn({ pr: pull.number }, "no follow-up: the series or its minutes file is no longer known");
      return;
    }
    const { followUpOnMerge } = await import("./meetings/follow-up-on-merge.js");
    await followUpOnMerge(
      context.octokit,
      {
        repo,
        repoPrivate: payload.repository.private,
        series: merged.series,
        meeting: { number: merged.meeting.number, url: merged.meeting.url, title: merged.meeting.title, date: merged.meeting.marker.date },
        file: merged.file,
        botLogin: login,
        // The close step's claim on the merge, if it took one: the follow-up runs under it and ends it.
        claim: merged.claim,
        // For the merge's chat announcement, when the series has one.
        chat: deps.chat,
        defaultBranch: payload.repository.default_branch,
      },
      context.log,
    );
  });

  // Live agenda: labelling, closing, reopening or retitling an item anywhere in an installation
  // may change a meeting's agenda. Bursts are coalesced into one tick of that installation (one
  // search and at most one edit per open meeting); the regular tick repairs anything missed.
  const agendaQueue = new RefreshQueue({
    quietMs: Number(process.env.WG_MEETINGS_AGENDA_QUIET_MS ?? 30_000),
    maxWaitMs: 120_000,
    run: async (installationId) => {
      await runTick(deps, { now: new Date(), installationId, trigger: "agenda-event" });
    },
    onError: (installationId, error) =>
      app.log.error({ installation: installationId, err: (error as Error).message }, "agenda refresh failed"),
  });
  app.on(AGENDA_EVENTS, async (context) => {
    const { payload } = context;
    const item = "issue" in payload ? payload.issue : payload.pull_request;
    // The App's own edits (agenda, doc link) must not feed back into refreshes.
    if (!payload.installation || payload.sender?.type === "Bot") return;
    const event = {
      action: payload.action,
      labels: (item.labels ?? []).flatMap((label) => (typeof label === "string" ? [label] : label?.name ? [label.name] : [])),
      titleChanged: payload.action === "edited" && Boolean((payload as { changes?: { title?: unknown } }).changes?.title),
    };
    if (mayChangeAgenda(event)) agendaQueue.push(payload.installation.id);
  });

  // Open action items: an action-item issue the App opened was closed or reopened, by anyone
  // (a bot closing it counts too), so the open meeting issues of its series drop it or list it
  // again. The marker's text is looked for first, so other issues load nothing.
  app.on(["issues.closed", "issues.reopened"], async (context) => {
    const { payload } = context;
    if (!payload.issue.body?.includes("<!-- wg-meetings:action-item ")) return;
    const { refreshOpenActionItems } = await import("./meetings/refresh-action-items.js");
    const outcome = await refreshOpenActionItems({
      gh: context.octokit,
      repo: { owner: payload.repository.owner.login, repo: payload.repository.name },
      issue: {
        number: payload.issue.number,
        body: payload.issue.body,
        author: payload.issue.user?.login ?? null,
        isPullRequest: Boolean((payload.issue as { pull_request?: unknown }).pull_request),
      },
      botLogin: await appLogin(),
      now: new Date(),
      log: context.log,
      webUrl: deps.webUrl,
      publicUrl: deps.publicUrl,
      repoPrivate: payload.repository.private,
    });
    if (outcome.action === "ignored") context.log.debug({ issue: payload.issue.number, why: outcome.why }, "action-item event ignored");
  });

  app.on(["installation.created", "installation_repositories.added"], async (context) => {
    const installationId = context.payload.installation.id;
    context.log.info({ installation: installationId }, "installed: running the tick for it");
    await runTick(deps, { now: new Date(), installationId, trigger: "installation" });
  });

  app.on("push", async (context) => {
    const { payload } = context;
    if (!payload.installation) return;
    const { configChangedOnDefaultBranch } = await import("./handlers/config-pushed.js");
    if (!configChangedOnDefaultBranch(payload)) return;
    context.log.info({ repo: payload.repository.full_name }, "config changed: running the tick for the repository");
    await runTick(deps, {
      now: new Date(),
      installationId: payload.installation.id,
      repository: payload.repository.full_name,
      trigger: "config-push",
    });
  });

  // The full tick, one at a time in this process: the interval skips while one runs, the
  // route joins it (see TickGate for why the scoped ticks above stay outside).
  const fullTick = createTickGate((trigger) => runTick(deps, { now: new Date(), trigger }), app.log);

  // Routes and the interval exist only under a server (`probot run`, lib/server.js): `probot
  // receive`, Actions mode and tests load the app without one, where addHandler throws.
  const routes = [
    createTickRoute({
      secret: process.env.WG_MEETINGS_TICK_SECRET,
      log: app.log,
      run: ({ dryRun }) => (dryRun ? runTick(deps, { now: new Date(), dryRun, trigger: "route" }) : fullTick.runOrJoin("route")),
      // A fan-out job (meetings/fan-out.ts): one installation, beside any full run, like the
      // installation and config-push ticks.
      runInstallation: (installationId, { dryRun }) => runTick(deps, { now: new Date(), installationId, dryRun, trigger: "route" }),
    }),
    // The calendar feeds: the route's code, schedules and iCalendar parser load on the first
    // request under FEED_PATH_PREFIX.
    lazyRoute(FEED_PATH_PREFIX, async () => {
      const [{ createFeedRoute }, { createRepoLookup }, { feedIo }] = await Promise.all([
        import("./http/feed-route.js"),
        import("./calendar-feed/lookup-repo.js"),
        import("./calendar-feed/feed-window.js"),
      ]);
      return createFeedRoute({
        lookup: createRepoLookup({ auth: deps.auth, botLogin: appLogin, log: app.log }),
        io: feedIo({ calendar: deps.calendar }),
        log: app.log,
      });
    }),
  ];
  if (options?.addHandler && addRoutes(options.addHandler, routes, app.log)) {
    // Throws on a bad WG_MEETINGS_TICK_INTERVAL, failing start-up. Probot offers no close hook:
    // the timer is unref'd, so it never keeps a stopped server's process alive.
    startSelfTick(process.env, () => fullTick.runUnlessBusy("interval"), app.log);
  }
}

type Route = Parameters<ApplicationFunctionOptions["addHandler"]>[0];

/** Registers HTTP routes; false when there is no server to register them with. */
function addRoutes(addHandler: ApplicationFunctionOptions["addHandler"], routes: Route[], log: Probot["log"]): boolean {
  try {
    for (const route of routes) addHandler(route);
    return true;
  } catch (error) {
    log.debug({ err: (error as Error).message }, "no HTTP server: no routes, no self-tick");
    return false;
  }
}

/** Who a token-authenticated run writes as: the `botLogin` load option, else WG_MEETINGS_BOT_LOGIN. */
function botLoginOverride(options: Partial<ApplicationFunctionOptions> | undefined): string | undefined {
  const given = typeof options?.botLogin === "string" ? options.botLogin : process.env.WG_MEETINGS_BOT_LOGIN;
  return given?.trim() || undefined;
}
