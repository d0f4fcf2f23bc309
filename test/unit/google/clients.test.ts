import nock from "nock";
import { describe, expect, it } from "vitest";
import { createGoogleClients, GOOGLE_SCOPES } from "../../../src/google/clients.js";
import { backoffDelay, DEFAULT_RETRY } from "../../../src/google/retry.js";
import { ACCESS_TOKEN, fakeClients, fakeCredentials, FAST_RETRY, mockTokenExchange, SERVICE_ACCOUNT } from "../../helpers/google.js";

describe("createGoogleClients", () => {
  it("signs a JWT for the service account with the App's scopes and uses the token it gets", async () => {
    const seen: { claims?: Record<string, unknown> } = {};
    const token = mockTokenExchange(seen);
    const api = nock("https://www.googleapis.com", { reqheaders: { authorization: `Bearer ${ACCESS_TOKEN}` } })
      .get("/drive/v3/about")
      .query({ fields: "user" })
      .twice()
      .reply(200, { user: { emailAddress: SERVICE_ACCOUNT } });

    const clients = await fakeClients();
    await clients.drive.about.get({ fields: "user" });
    await clients.drive.about.get({ fields: "user" }); // the token is cached: one exchange only

    expect(clients.actor).toBe(SERVICE_ACCOUNT);
    expect(seen.claims).toMatchObject({ iss: SERVICE_ACCOUNT, scope: GOOGLE_SCOPES.join(" "), aud: "https://oauth2.googleapis.com/token" });
    expect(seen.claims?.["sub"]).toBeUndefined();
    expect(token.isDone()).toBe(true);
    expect(api.isDone()).toBe(true);
  });

  it("acts as the GOOGLE_IMPERSONATE user (domain-wide delegation: the JWT's sub)", async () => {
    const seen: { claims?: Record<string, unknown> } = {};
    const token = mockTokenExchange(seen);
    const api = nock("https://www.googleapis.com").get("/drive/v3/about").query(true).reply(200, {});

    const clients = await fakeClients({ GOOGLE_IMPERSONATE: "minutes-bot@example.org" });
    await clients.drive.about.get({ fields: "user" });

    expect(clients.actor).toBe("minutes-bot@example.org");
    expect(seen.claims).toMatchObject({ iss: SERVICE_ACCOUNT, sub: "minutes-bot@example.org" });
    expect(token.isDone()).toBe(true);
    expect(api.isDone()).toBe(true);
  });

  it("sends everything, uploads and the token exchange included, to rootUrls (for a loopback fake)", async () => {
    const fake = "http://google-fake.test:4010";
    const scope = nock(fake)
      .post("/token")
      .reply(200, { access_token: ACCESS_TOKEN, expires_in: 3600 })
      .get("/drive/v3/files")
      .query(true)
      .reply(200, { files: [] })
      .post("/upload/drive/v3/files")
      .query(true)
      .reply(200, { id: "D" })
      .post("/v1/documents/D:batchUpdate")
      .reply(200, {})
      .get("/calendar/v3/calendars/primary/events")
      .query(true)
      .reply(200, { items: [] });

    const clients = await createGoogleClients(await fakeCredentials(), {
      retry: FAST_RETRY,
      rootUrls: { token: fake, drive: fake, docs: fake, calendar: fake },
    });
    await clients.drive.files.list({ q: "trashed = false" });
    await clients.drive.files.create({ requestBody: { name: "x" }, media: { mimeType: "text/markdown", body: "# x" } });
    await clients.docs.documents.batchUpdate({ documentId: "D", requestBody: { requests: [] } });
    await clients.calendar.events.list({ calendarId: "primary" });

    expect(scope.isDone()).toBe(true);
  });

  it("backs off exponentially, capped, with jitter", () => {
    const policy = { ...DEFAULT_RETRY, maxDelayMs: 3000 };
    for (let i = 0; i < 20; i++) {
      expect(backoffDelay(policy, 1)).toBeGreaterThanOrEqual(500);
      expect(backoffDelay(policy, 1)).toBeLessThanOrEqual(1000);
      expect(backoffDelay(policy, 2)).toBeGreaterThanOrEqual(1000);
      expect(backoffDelay(policy, 2)).toBeLessThanOrEqual(2000);
      expect(backoffDelay(policy, 5)).toBeLessThanOrEqual(3000);
    }
  });

  it("retries through the injected sleep, with the policy's delays", async () => {
    const waits: number[] = [];
    const token = mockTokenExchange();
    const api = nock("https://www.googleapis.com")
      .get("/drive/v3/about")
      .query(true)
      .twice()
      .reply(503, {})
      .get("/drive/v3/about")
      .query(true)
      .reply(200, {});
    const clients = await createGoogleClients(await fakeCredentials(), {
      retry: { retries: 2, baseDelayMs: 1000, maxDelayMs: 8000, sleep: async (ms) => void waits.push(ms) },
    });
    await clients.drive.about.get({ fields: "user" });
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(500);
    expect(waits[1]).toBeGreaterThanOrEqual(1000);
    expect(token.isDone()).toBe(true);
    expect(api.isDone()).toBe(true);
  });
});
