#!/usr/bin/env node
// Counts what opening one meeting costs in GitHub requests and GraphQL points, for N agenda
// items spread over R repositories of an org of K repositories. GitHub is played by nock
// (no network); every request the App sends is counted. Run after `npm run build`:
// `node bench/api-cost.mjs` (a table per run) or `--json` (the rows `npm run bench` shows, bench/run.mjs).
import { readFileSync } from "node:fs";
import nock from "nock";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { runTick } from "../lib/meetings/tick.js";

const API = "https://api.github.com";
const ORG = "bench-org";
const HOME = `${ORG}/meetings`;
const NOW = new Date("2024-10-21T15:00:00Z");
const CONFIG = `meetings:
  - id: wg
    name: Bench WG
    schedule: { rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", start: "2022-07-21T10:00", zone: America/New_York }
    agenda: { label: wg-agenda, orgs: [${ORG}] }
`;

function repos(k) {
  return Array.from({ length: k }, (_, i) => {
    const name = i === 0 ? "meetings" : `repo-${i}`;
    return { id: i + 1, node_id: `R_${i}`, name, full_name: `${ORG}/${name}`, owner: { login: ORG }, private: false, archived: false, default_branch: "main" };
  });
}

function agendaItems(n, r) {
  return Array.from({ length: n }, (_, i) => {
    const repo = i % r === 0 ? "meetings" : `repo-${i % r}`;
    return {
      __typename: i % 3 === 0 ? "PullRequest" : "Issue",
      number: 1000 + i,
      title: `Agenda item ${i}`,
      url: `https://github.com/${ORG}/${repo}/issues/${1000 + i}`,
      repository: { nameWithOwner: `${ORG}/${repo}`, isPrivate: false },
    };
  });
}

/** Plays GitHub for one run and counts requests by kind. */
function fakeGitHub({ n, r, k }) {
  const counts = { rest: 0, graphql: 0, searchRequests: 0, points: 0 };
  const all = repos(k);
  const items = agendaItems(n, r);
  const scope = nock(API).persist();
  scope.get("/app").reply(() => (counts.rest++, [200, { slug: "wg-meetings" }]));
  scope.get("/app/installations").query(true).reply(() => (counts.rest++, [200, [{ id: 1, account: { login: ORG }, suspended_at: null }]]));
  scope.post("/app/installations/1/access_tokens").reply(() => (counts.rest++, [201, { token: "t", expires_at: "2099-01-01T00:00:00Z" }]));
  scope.get("/installation/repositories").query(true).reply((uri) => {
    counts.rest++;
    const page = Number(new URL(uri, API).searchParams.get("page") ?? 1);
    const slice = all.slice((page - 1) * 100, page * 100);
    const headers = page * 100 < all.length ? { link: `<${API}/installation/repositories?per_page=100&page=${page + 1}>; rel="next"` } : {};
    return [200, { total_count: all.length, repositories: slice }, headers];
  });
  scope.get(`/repos/${HOME}`).reply(() => (counts.rest++, [200, all[0]]));
  scope.get(`/repos/${HOME}/contents/.github%2Fmeetings.yml`).reply(() => {
    counts.rest++;
    return [200, { type: "file", encoding: "base64", content: Buffer.from(CONFIG).toString("base64") }];
  });
  scope.post("/graphql").reply((_uri, body) => {
    counts.graphql++;
    if (body.query.includes("query DiscoverMeetingConfigs")) {
      counts.points += 1;
      const nodes = body.variables.ids.map((id) => ({
        nameWithOwner: all[Number(id.slice(2))].full_name,
        config: id === "R_0" ? { text: CONFIG } : null,
      }));
      return [200, { data: { nodes } }];
    }
    counts.searchRequests++;
    counts.points += 1;
    const offset = body.variables.after ? Number(body.variables.after) : 0;
    const page = items.slice(offset, offset + body.variables.first);
    const next = offset + page.length;
    return [200, { data: {
      search: { issueCount: items.length, pageInfo: { hasNextPage: next < items.length, endCursor: String(next) }, nodes: page },
      rateLimit: { cost: 1, remaining: 5000 },
    } }];
  });
  scope.get(`/repos/${HOME}/issues`).query(true).reply(() => (counts.rest++, [200, []]));
  scope.get(`/repos/${HOME}/branches/main`).reply(() => (counts.rest++, [200, { commit: { sha: "h", commit: { tree: { sha: "t" } } } }]));
  scope.post(`/repos/${HOME}/git/commits`).reply(() => (counts.rest++, [201, { sha: "c" }]));
  scope.post(`/repos/${HOME}/git/refs`).reply(() => (counts.rest++, [201, {}]));
  scope.post(`/repos/${HOME}/issues`).reply(() => (counts.rest++, [201, { number: 1, html_url: `https://github.com/${HOME}/issues/1` }]));
  return counts;
}

const privateKey = readFileSync(new URL("../test/fixtures/mock-cert.pem", import.meta.url), "utf8");
function probot() {
  return new Probot({
    appId: 1,
    privateKey,
    log: pino({ level: "silent" }),
    Octokit: ProbotOctokit.defaults((o) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } })),
  });
}

nock.disableNetConnect();
const rows = [];
for (const k of [10, 500]) {
  for (const n of [0, 50, 250]) {
    const r = Math.min(5, k);
    // (a) opening the meeting of one repository (what a push or `tick --repo` does)
    let counts = fakeGitHub({ n, r, k });
    let app = probot();
    const one = await runTick({ auth: (id) => app.auth(id), log: app.log }, { now: NOW, installationId: 1, repository: HOME });
    if (one.series[0]?.outcome.action !== "created") throw new Error(`bench: expected a created meeting, got ${JSON.stringify(one.series)}`);
    rows.push({ scope: "open one meeting", n, r, k, ...counts });
    nock.cleanAll();
    // (b) the scheduled tick over the whole installation, discovery of configs included
    counts = fakeGitHub({ n, r, k });
    app = probot();
    await runTick({ auth: (id) => app.auth(id), log: app.log }, { now: NOW });
    rows.push({ scope: "whole tick", n, r, k, ...counts });
    nock.cleanAll();
  }
}

if (process.argv.includes("--json")) {
  // One section of `npm run bench`'s table (bench/run.mjs): what opening one meeting costs.
  const opened = rows.filter((row) => row.scope === "open one meeting");
  const json = {
    section: "Requests per meeting",
    rows: opened.flatMap((row) => {
      const searches = Math.max(1, Math.ceil(row.n / 100));
      return [
        { metric: `REST requests to open one meeting, N = ${row.n}, K = ${row.k}`, value: String(row.rest), goal: "≤ 9", met: row.rest <= 9 },
        { metric: `searches to open one meeting, N = ${row.n}, K = ${row.k}`, value: String(row.searchRequests), goal: `≤ ⌈N/100⌉ = ${searches}`, met: row.searchRequests <= searches },
      ];
    }),
  };
  console.log(JSON.stringify(json));
} else {
  const header = "| run | N items | R repos | K org repos | REST requests | GraphQL requests | searches | ⌈N/100⌉ | GraphQL points |";
  console.log(header);
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const row of rows) {
    console.log(`| ${row.scope} | ${row.n} | ${row.r} | ${row.k} | ${row.rest} | ${row.graphql} | ${row.searchRequests} | ${Math.max(1, Math.ceil(row.n / 100))} | ${row.points} |`);
  }
}
