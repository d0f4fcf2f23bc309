import type { ApplicationFunctionOptions, Probot } from "probot";
import { configChangedOnDefaultBranch } from "./handlers/config-pushed.js";
import { createTickRoute } from "./http/tick-route.js";
import { loadGoogleCalendar, loadGoogleDocs } from "./google/google-docs.js";
import { runTick } from "./meetings/tick.js";

/**
 * The wg-meetings Probot app. Wiring only: every decision lives in `meetings/` and below.
 *
 * The tick runs when something outside calls it (the HTTP route, `wg-meetings tick`), when
 * the App is installed, and when a repository's config changes on its default branch.
 */
export default function wgMeetings(app: Probot, options?: Partial<ApplicationFunctionOptions>): void {
  const deps = {
    auth: (id?: number) => app.auth(id),
    log: app.log,
    // Loaded only when a series drafts its minutes in a Google Doc.
    google: () => loadGoogleDocs(process.env),
    calendar: () => loadGoogleCalendar(process.env),
  };

  app.on(["installation.created", "installation_repositories.added"], async (context) => {
    const installationId = context.payload.installation.id;
    context.log.info({ installation: installationId }, "installed: running the tick for it");
    await runTick(deps, { now: new Date(), installationId });
  });

  app.on("push", async (context) => {
    const { payload } = context;
    if (!payload.installation || !configChangedOnDefaultBranch(payload)) return;
    context.log.info({ repo: payload.repository.full_name }, "config changed: running the tick for the repository");
    await runTick(deps, {
      now: new Date(),
      installationId: payload.installation.id,
      repository: payload.repository.full_name,
    });
  });

  // Custom routes exist only under a server (`probot run`); `probot receive` and tests load
  // the app without one, where addHandler throws.
  if (options?.addHandler) {
    try {
      options.addHandler(
        createTickRoute({
          secret: process.env.WG_MEETINGS_TICK_SECRET,
          log: app.log,
          run: ({ dryRun }) => runTick(deps, { now: new Date(), dryRun }),
        }),
      );
    } catch (error) {
      app.log.debug({ err: (error as Error).message }, "no HTTP server: tick route not registered");
    }
  }
}
