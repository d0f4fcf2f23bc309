import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { graphql } from "@octokit/graphql";
import { parseAgendaFile } from "./agenda/parse-agenda-file.js";
import { groupAgenda } from "./agenda/group-agenda.js";
import type { Agenda } from "./agenda/types.js";
import { formatConfigErrors } from "./config/format-errors.js";
import { parseConfigText } from "./config/load-config.js";
import { MAX_CONFIG_SIZE_TEXT } from "./config/limits.js";
import { readConfigFile } from "./config/read-config-file.js";
import { escapeUnsafe, quoteUserText, safeMessage } from "./config/safe-text.js";
import { validateFile } from "./config/validate-command.js";
import { readAppCredentials } from "./github/app-credentials.js";
import { timedFetch } from "./github/request-deadline.js";
import { searchAgenda } from "./github/search-agenda.js";
import { gitHubWebUrl } from "./github/web-host.js";
import { loadGoogleCalendar, loadGoogleDocs } from "./google/google-docs.js";
import { calendarIo } from "./schedule/calendar-io.js";
import { parseLocalDate } from "./schedule/wall-clock.js";
import type { OccurrenceSourceIo } from "./schedule/occurrence-source.js";
import { isRepoTemplatePath } from "./meetings/open-meeting.js";
import { runLimitsFromEnv } from "./meetings/run-limits.js";
import { PREVIEW_PARTS, renderPreview, selectOccurrence, selectSeries } from "./meetings/preview.js";
import { ATTENDANCE_USAGE, AttendanceUsageError, attendanceCommand } from "./cli/attendance-command.js";

/** Where a command writes, and the environment it reads. */
type Io = { out(text: string): void; err(text: string): void; env: NodeJS.ProcessEnv };

/** A mistake in how the command was called: exit code 2, with the command's usage on stderr. */
class UsageError extends Error {}

/** Exit codes: 0 done, 1 the work failed (bad config, API error), 2 the command line was wrong. */
const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const COMMANDS = {
  preview: {
    summary: "print the meeting issue (or minutes doc, or minutes file) the App would write",
    usage: `Usage: wg-meetings preview --config FILE [--meeting ID] [--at ISO_INSTANT | --date YYYY-MM-DD]
                          [--agenda FILE.json] [--part issue|doc|minutes]

Print the meeting issue the App would open (or the minutes doc it drafts, or the minutes file
/minutes would commit from the agenda alone). Without --agenda, the live agenda is gathered when
GITHUB_TOKEN is set; otherwise the agenda is empty.

Options:
  --config FILE        the .github/meetings.yml to read (required)
  --meeting ID         the series to preview (default: the first)
  --at ISO_INSTANT     a meeting starting at this instant, e.g. 2022-07-21T14:00:00Z
  --date YYYY-MM-DD    the series' meeting on this date (default: its next meeting)
  --agenda FILE.json   the agenda items, instead of searching GitHub
  --part PART          issue (default), doc or minutes
  -h, --help           print this help
`,
    run: preview,
  },
  validate: {
    summary: "check a .github/meetings.yml and print every error with its line",
    usage: `Usage: wg-meetings validate FILE

Check a .github/meetings.yml. Prints every error with its line and exits 1 if there is any;
otherwise prints "ok" and the series, and exits 0. Warnings (on stderr, exit code still 0) name a
series that will open no meeting: its rule never matches, or UNTIL, COUNT or the skip list leaves
no upcoming date. Notes say what validate cannot check offline: calendar schedules and the file
that _extends names, which the App resolves. A file over ${MAX_CONFIG_SIZE_TEXT}, or one that is not
UTF-8 text, is refused without being parsed.

Options:
  -h, --help   print this help
`,
    run: validate,
  },
  tick: {
    summary: "run the scheduled job once with the App's credentials",
    usage: `Usage: wg-meetings tick [--dry-run] [--installation ID [--repo OWNER/NAME]]

Run the scheduled job once with the App's credentials: APP_ID, and PRIVATE_KEY (the .pem file's
contents) or PRIVATE_KEY_PATH (its path); GHE_HOST for GitHub Enterprise Server. Prints the
report as JSON; exits 1 if any repository failed.

Options:
  --dry-run            report what would be done, change nothing
  --installation ID    only this installation
  --repo OWNER/NAME    only this repository of that installation
  -h, --help           print this help
`,
    run: tick,
  },
  action: {
    summary: "run once inside a GitHub Actions workflow, with the workflow's token",
    usage: `Usage: wg-meetings action

Run once inside a GitHub Actions workflow, with the workflow's token instead of an App
(GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_TOKEN; optional
WG_MEETINGS_BOT_LOGIN, default github-actions[bot]). See docs/github-actions.md.

Options:
  -h, --help   print this help
`,
    run: action,
  },
  attendance: {
    summary: "print each member's attendance over the last meetings, from the merged minutes",
    usage: ATTENDANCE_USAGE,
    run: attendance,
  },
} satisfies Record<string, { summary: string; usage: string; run(args: string[], io: Io): Promise<number> }>;

type CommandName = keyof typeof COMMANDS;

const USAGE = `wg-meetings — run a working group's meetings from agenda to merged minutes

Usage: wg-meetings COMMAND [OPTIONS]

Commands:
${Object.entries(COMMANDS)
  .map(([name, command]) => `  ${name.padEnd(12)}${command.summary}`)
  .join("\n")}

Options:
  -h, --help      print this help (wg-meetings COMMAND --help: that command's)
  -v, --version   print the version

Exit codes: 0 done, 1 the work failed, 2 the command line was wrong.
`;

/** The package's version, read from the package.json next to src/ and lib/. */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/**
 * Runs one CLI invocation; returns the exit code (0 done, 1 the work failed, 2 a usage error).
 * Output goes through the given writers: help and results on `out`, everything else on `err`.
 */
export async function main(
  argv: string[],
  io: Io = {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
  },
): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "help":
    case "--help":
    case "-h": {
      const topic = command === "help" ? rest[0] : undefined;
      if (topic === undefined) {
        io.out(USAGE);
        return EXIT.ok;
      }
      if (!isCommand(topic)) return usageError(io, `unknown command ${quoteArg(topic)}`, USAGE);
      io.out(COMMANDS[topic].usage);
      return EXIT.ok;
    }
    case "--version":
    case "-v":
      io.out(`${packageVersion()}\n`);
      return EXIT.ok;
    case undefined:
      return usageError(io, "missing command", USAGE);
  }
  if (!isCommand(command)) {
    const what = command.startsWith("-") ? `unknown option ${quoteArg(command)}` : `unknown command ${quoteArg(command)}`;
    return usageError(io, what, USAGE);
  }
  const { usage, run } = COMMANDS[command];
  if (asksForHelp(rest)) {
    io.out(usage);
    return EXIT.ok;
  }
  try {
    return await run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) return usageError(io, (error as Error).message, usage, command);
    io.err(`wg-meetings ${command}: ${safeMessage((error as Error).message)}\n`);
    return EXIT.failed;
  }
}

function isCommand(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

/** `-h` or `--help` anywhere before a `--`: help wins over every other mistake on the line. */
function asksForHelp(args: string[]): boolean {
  const end = args.indexOf("--");
  return (end < 0 ? args : args.slice(0, end)).some((arg) => arg === "--help" || arg === "-h");
}

/** `node:util` parseArgs rejects unknown options, missing values and stray arguments with these codes. */
function isParseArgsError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_");
}

function usageError(io: Io, message: string, usage: string, command?: string): number {
  io.err(`wg-meetings${command ? ` ${command}` : ""}: ${safeMessage(message)}\n\n${usage}`);
  return EXIT.usage;
}

/** An argument quoted for a message: escaped and short. */
function quoteArg(arg: string): string {
  return quoteUserText(arg, 40);
}

async function preview(args: string[], io: Io): Promise<number> {
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
  if (!values.config) throw new UsageError("--config FILE is required");
  if (values.at && values.date) throw new UsageError("give --at or --date, not both");
  if (values.at !== undefined && (!/(Z|[+-]\d{2}:?\d{2})$/.test(values.at) || Number.isNaN(Date.parse(values.at)))) {
    throw new UsageError(`--at: expected an ISO-8601 instant with a zone, e.g. 2022-07-21T14:00:00Z (got ${quoteArg(values.at)})`);
  }
  if (values.date !== undefined && parseLocalDate(values.date) === null) {
    throw new UsageError(`--date: expected a real date as YYYY-MM-DD (got ${quoteArg(values.date)})`);
  }
  const part = PREVIEW_PARTS.find((candidate) => candidate === values.part);
  if (!part) throw new UsageError(`--part must be one of ${PREVIEW_PARTS.join(", ")} (got ${quoteArg(values.part ?? "")})`);

  const read = await readConfigFile(values.config);
  if (!read.ok) throw new Error(`${values.config}: cannot read the config: ${read.problem}`);
  const parsed = parseConfigText(read.text, values.config);
  if (!parsed.ok) {
    io.err(formatConfigErrors(parsed.errors, escapeUnsafe(values.config), parsed.omitted));
    return EXIT.failed;
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
      // Like every request of the App: one that never answers ends (WG_MEETINGS_GITHUB_TIMEOUT).
      request: { fetch: timedFetch(runLimitsFromEnv(io.env).githubTimeoutMs) },
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

async function validate(args: string[], io: Io) {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {}, strict: true });
  if (positionals.length === 0) throw new UsageError("missing FILE");
  if (positionals.length > 1) throw new UsageError(`expected one FILE, got ${positionals.length}`);
  const result = await validateFile(positionals[0]!);
  io.err(result.stderr);
  io.out(result.stdout);
  return result.exitCode;
}

async function tick(args: string[], io: Io) {
  const { values } = parseArgs({
    args,
    options: {
      "dry-run": { type: "boolean", default: false },
      installation: { type: "string" },
      repo: { type: "string" },
    },
    strict: true,
  });
  if (values.repo && !values.installation) throw new UsageError("--repo needs --installation");
  if (values.repo !== undefined && !/^[^/\s]+\/[^/\s]+$/.test(values.repo)) throw new UsageError(`--repo: expected OWNER/NAME (got ${quoteArg(values.repo)})`);
  const installationId = values.installation !== undefined ? Number(values.installation) : undefined;
  if (installationId !== undefined && !(/^\d+$/.test(values.installation!) && Number.isSafeInteger(installationId))) {
    throw new UsageError(`--installation expects a number (got ${quoteArg(values.installation!)})`);
  }
  // Checked before Probot sees them: its own message for a bad key is "privateKey option is required".
  const credentials = readAppCredentials(io.env);
  // Loaded lazily: preview and validate must start without Probot's server stack.
  const { createProbot, ProbotOctokit } = await import("probot");
  const { runTick } = await import("./meetings/tick.js");
  const { withRequestPolicy } = await import("./github/octokit-class.js");
  const limits = runLimitsFromEnv(io.env);
  const probot = createProbot({
    env: io.env,
    overrides: {
      appId: credentials.appId,
      privateKey: credentials.privateKey,
      Octokit: withRequestPolicy(ProbotOctokit, { timeoutMs: limits.githubTimeoutMs }),
    },
  });
  // Probot sets up its logger asynchronously; authenticating as the App (no request is sent)
  // waits for that, so probot.log is ready below.
  await probot.auth();
  const report = await runTick(
    {
      auth: (id?: number) => probot.auth(id),
      log: probot.log,
      google: () => loadGoogleDocs(io.env),
      hackmd: async () => (await import("./hackmd/load-hackmd.js")).loadHackmd(io.env),
      chat: async () => (await import("./chat/load-chat.js")).loadChat(io.env),
      calendar: () => loadGoogleCalendar(io.env),
      webUrl: gitHubWebUrl(io.env),
      limits,
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

async function action(args: string[], io: Io) {
  parseArgs({ args, options: {}, strict: true });
  // Loaded lazily, like tick: Probot's stack is not needed by preview and validate.
  const { runAction } = await import("./actions/run-action.js");
  return runAction(io);
}

async function attendance(args: string[], io: Io) {
  try {
    return await attendanceCommand(args, io);
  } catch (error) {
    if (error instanceof AttendanceUsageError) throw new UsageError(error.message);
    throw error;
  }
}
