import nock from "nock";

export const API = "https://api.github.com";

/** Matches a GraphQL request body by its named operation, and records the body. */
export function operation(name: string, seen?: Array<{ query: string; variables: Record<string, unknown> }>) {
  return (body: { query?: string; variables?: Record<string, unknown> }) => {
    const matches = typeof body.query === "string" && new RegExp(`\\bquery ${name}\\b`).test(body.query);
    if (matches && seen) seen.push({ query: body.query!, variables: body.variables ?? {} });
    return matches;
  };
}

/** The App's own identity: `GET /app` (JWT). */
export function mockApp(scope: nock.Scope, slug = "wg-meetings"): nock.Scope {
  return scope.get("/app").reply(200, { id: 123, slug, name: slug, owner: { login: "wg-meetings-dev" } });
}

/** An installation token exchange. */
export function mockToken(scope: nock.Scope, installationId: number): nock.Scope {
  return scope
    .post(`/app/installations/${installationId}/access_tokens`)
    .reply(201, { token: `ghs_test_${installationId}`, expires_at: "2099-01-01T00:00:00Z", permissions: { issues: "write", contents: "write" } });
}

/** A repository as `GET /installation/repositories` lists it. */
export function installedRepo(fullName: string, extra: Record<string, unknown> = {}) {
  const [owner, name] = fullName.split("/");
  return {
    id: fullName.length,
    node_id: `R_${fullName}`,
    name,
    full_name: fullName,
    owner: { login: owner },
    private: false,
    archived: false,
    default_branch: "main",
    ...extra,
  };
}

/** An issue as `GET /repos/{o}/{r}/issues` returns it. */
export function issueJson(repo: string, number: number, fields: { title: string; body: string; state?: string; login?: string }) {
  return {
    number,
    html_url: `https://github.com/${repo}/issues/${number}`,
    title: fields.title,
    body: fields.body,
    state: fields.state ?? "open",
    user: { login: fields.login ?? "wg-meetings[bot]", type: "Bot" },
  };
}
