import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { graphql } from "@octokit/graphql";
import { parseAgendaFile } from "./agenda/parse-agenda-file.js";
import { groupAgenda } from "./agenda/group-agenda.js";
import type { Agenda } from "./agenda/types.js";
import { formatConfigErrors } from "./config/format-errors.js";
import { parseConfigText } from "./config/load-config.js";
import { validateFile } from "./config/validate-command.js";
import { searchAgenda } from "./github/search-agenda.js";
import { loadGoogleCalendar, loadGoogleDocs } from "./google/google-docs.js";
import { calendarIo } from "./schedule/calendar-io.js";
import type { OccurrenceSourceIo } from "./schedule/occurrence-source.js";
import { isRepoTemplatePath } from "./meetings/open-meeting.js";
import { PREVIEW_PARTS, renderPreview, selectOccurrence, selectSeries } from "./meetings/preview.js";

const USAGE = `wg-meetings — run a working group's meetings from agenda to merged minutes

Usage:
  wg-meetings preview --config FILE [--meeting ID] [--at ISO_INSTANT | --date YYYY-MM-DD]
                      [--agenda FILE.json] [--part issue|doc|minutes]
      Print the meeting issue the App would open (or the minutes doc it drafts, or the
      minutes file /minutes would commit from the agenda alone). Without --agenda, the live agenda is
      gathered when GITHUB_TOKEN is set; otherwise the agenda is empty.
  wg-meetings validate FILE
      Print every error of a .github/meetings.yml with its line; exit 1 if there is any.
  wg-meetings tick [--dry-run] [--installation ID] [--repo OWNER/NAME]
      Run the scheduled job once with the App's credentials (APP_ID, PRIVATE_KEY or
      PRIVATE_KEY_PATH; GHE_HOST for GitHub Enterprise). Prints the report as JSON.
  wg-meetings action
      Run once inside a GitHub Actions workflow, with the workflow's token instead of an App
      (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_TOKEN; optional
      WG_MEETINGS_BOT_LOGIN, default github-actions[bot]). See docs/github-actions.md.
`;

/** Runs one CLI invocation; returns the exit code. Output goes through the given writers. */
export async function main(
  argv: string[],
  io: { out(text: string): void; err(text: string): void; env: NodeJS.ProcessEnv } = {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
  },
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "preview":
        return await preview(rest, io);
      case "validate":
        return await validate(rest, io);
      case "tick":
        return await tick(rest, io);
      case "action":
        return await action(rest, io);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.out(USAGE);
        return command === undefined ? 1 : 0;
      default:
        io.err(`wg-meetings: unknown command "${command}"\n\n${USAGE}`);
        return 1;
    }
  } catch (error) {
    io.err(`wg-meetings ${command}: ${(error as Error).message}\n`);
    return 1;
  }
}

async function preview(args: string[], io: { out(text: string): void; err(text: string): void; env: NodeJS.ProcessEnv }) {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: "string" },
      meeting: { type: "string" },
      at: { type: "string" },
      date: { type: "string" },
      agenda: { type: "string" },
      part: { type: "string", default: "issue" },
    },
    strict: true,
  });
  if (!values.config) throw new Error("--config FILE is required");
  if (values.at && values.date) throw new Error("give --at or --date, not both");
  const part = PREVIEW_PARTS.find((candidate) => candidate === values.part);
  if (!part) throw new Error(`--part must be one of ${PREVIEW_PARTS.join(", ")} (got "${values.part}")`);

  const parsed = parseConfigText(await readFile(values.config, "utf8"), values.config);
  if (!parsed.ok) {
    io.err(formatConfigErrors(parsed.errors, values.config));
    return 1;
  }
  const series = selectSeries(parsed.config, values.meeting);
  const occurrence = await selectOccurrence(
    series,
    {
      now: new Date(),
      ...(values.at !== undefined ? { at: values.at } : {}),
      ...(values.date !== undefined ? { date: values.date } : {}),
    },
    occurrenceIo(io.env),
  );

  let agenda: Agenda;
  if (values.agenda) {
    agenda = groupAgenda(parseAgendaFile(await readFile(values.agenda, "utf8"), values.agenda));
  } else if (io.env.GITHUB_TOKEN) {
    const client = graphql.defaults({
      headers: { authorization: `token ${io.env.GITHUB_TOKEN}` },
      ...(io.env.GITHUB_API_URL ? { baseUrl: io.env.GITHUB_API_URL } : {}),
    });
    const warn = { warn: (_obj: object, msg: string) => io.err(`warning: ${msg}\n`) };
    agenda = (await searchAgenda((query, variables) => client(query, variables), series.agenda, warn)).agenda;
  } else {
    agenda = groupAgenda([]);
  }

  let templateSource: string | undefined;
  if (isRepoTemplatePath(series.issue.template)) {
    templateSource = await readFile(series.issue.template, "utf8").catch(() => {
      throw new Error(`issue.template: ${series.issue.template} not found (paths are relative to the repository root)`);
    });
  }

  io.out(renderPreview({ series, occurrence, agenda, part, ...(templateSource ? { templateSource } : {}) }));
  return 0;
}

/** How calendar schedules are read from the command line: the feed over HTTPS, Google with the env's credentials. */
function occurrenceIo(env: NodeJS.ProcessEnv): OccurrenceSourceIo {
  return calendarIo({ calendar: () => loadGoogleCalendar(env) });
}

async function validate(args: string[], io: { out(text: string): void; err(text: string): void }) {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length !== 1) throw new Error("usage: wg-meetings validate FILE");
  const result = await validateFile(positionals[0]!);
  (result.exitCode === 0 ? io.out : io.err)(result.output.endsWith("\n") ? result.output : `${result.output}\n`);
  return result.exitCode;
}

async function tick(args: string[], io: { out(text: string): void; err(text: string): void; env: NodeJS.ProcessEnv }) {
  const { values } = parseArgs({
    args,
    options: {
      "dry-run": { type: "boolean", default: false },
      installation: { type: "string" },
      repo: { type: "string" },
    },
    strict: true,
  });
  if (values.repo && !values.installation) throw new Error("--repo needs --installation");
  if (!io.env.APP_ID || !(io.env.PRIVATE_KEY || io.env.PRIVATE_KEY_PATH)) {
    throw new Error("needs the App's credentials: set APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH)");
  }
  // Loaded lazily: preview and validate must start without Probot's server stack.
  const { createProbot } = await import("probot");
  const { runTick } = await import("./meetings/tick.js");
  const probot = createProbot({ env: io.env });
  // Probot sets up its logger asynchronously; authenticating as the App (no request is sent)
  // waits for that, so probot.log is ready below.
  await probot.auth();
  const installationId = values.installation ? Number(values.installation) : undefined;
  if (installationId !== undefined && !Number.isInteger(installationId)) throw new Error("--installation expects a number");
  const report = await runTick(
    {
      auth: (id?: number) => probot.auth(id),
      log: probot.log,
      google: () => loadGoogleDocs(io.env),
      calendar: () => loadGoogleCalendar(io.env),
    },
    {
      now: new Date(),
      dryRun: values["dry-run"],
      ...(installationId !== undefined ? { installationId } : {}),
      ...(values.repo ? { repository: values.repo } : {}),
    },
  );
  io.out(`${JSON.stringify(report, null, 2)}\n`);
  return report.errors.length > 0 ? 1 : 0;
}

async function action(args: string[], io: { out(text: string): void; err(text: string): void; env: NodeJS.ProcessEnv }) {
  parseArgs({ args, options: {}, strict: true });
  // Loaded lazily, like tick: Probot's stack is not needed by preview and validate.
  const { runAction } = await import("./actions/run-action.js");
  return runAction(io);
}
