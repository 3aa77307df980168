import { createHmac } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { control, env, formFields, postForm, sandbox, startReceiver } from "./helpers";

const sub = `acme${Date.now().toString(36)}`;
const base = (p: string) => sandbox(`/zendesk/${sub}${p}`);
const redirectUri = () => `${env().NEXT_PUBLIC_SITE_URL}/api/integrations/zendesk/callback`;

async function tokenRequest(body: Record<string, unknown>) {
  const res = await fetch(base("/oauth/tokens"), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      client_id: env().ZENDESK_CLIENT_ID,
      client_secret: env().ZENDESK_CLIENT_SECRET,
      ...body,
    }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, string | number> };
}

const api = (path: string, token: string, init: RequestInit = {}) =>
  fetch(base(path), {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      ...init.headers,
    },
  });

/** Consent page → "Allow" → redirect with code and state, as a person's browser sees it. */
async function authorize(state: string): Promise<string> {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: env().ZENDESK_CLIENT_ID!,
    redirect_uri: redirectUri(),
    scope: "read write",
    state,
  });
  const page = await fetch(base(`/oauth/authorizations/new?${q}`));
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('data-testid="sandbox-allow"');
  const res = await postForm(base("/oauth/authorizations/new"), {
    ...formFields(html),
    decision: "allow",
  });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get("location")!);
  expect(`${location.origin}${location.pathname}`).toBe(redirectUri());
  expect(location.searchParams.get("state")).toBe(state);
  return location.searchParams.get("code")!;
}

describe("Zendesk sandbox: OAuth", () => {
  it("code → token → refresh → revoke, with single-use codes and rotating refresh tokens", async () => {
    const code = await authorize("st-123");
    const first = await tokenRequest({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri(),
    });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({
      token_type: "bearer",
      scope: "read write",
      expires_in: expect.any(Number),
    });
    expect(String(first.json.access_token)).toMatch(/^sbx_zd_at_/);
    expect(String(first.json.refresh_token)).toMatch(/^sbx_zd_rt_/);

    // A code is single use.
    const replay = await tokenRequest({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri(),
    });
    expect(replay.status).toBe(400);
    expect(replay.json.error).toBe("invalid_grant");

    const at1 = String(first.json.access_token);
    expect((await api("/api/v2/users/me.json", at1)).status).toBe(200);

    // Expired access token: the provider's 401; the refresh token still works and rotates.
    await control("POST", "/tokens/expire", { token: at1 });
    const expired = await api("/api/v2/users/me.json", at1);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error: "invalid_token" });

    const refreshed = await tokenRequest({
      grant_type: "refresh_token",
      refresh_token: first.json.refresh_token,
    });
    expect(refreshed.status).toBe(200);
    const at2 = String(refreshed.json.access_token);
    expect(at2).not.toBe(at1);
    expect((await api("/api/v2/users/me.json", at2)).status).toBe(200);
    const reused = await tokenRequest({
      grant_type: "refresh_token",
      refresh_token: first.json.refresh_token,
    });
    expect(reused.json.error).toBe("invalid_grant");

    expect((await api("/api/v2/oauth/tokens/current.json", at2, { method: "DELETE" })).status).toBe(
      204,
    );
    expect((await api("/api/v2/users/me.json", at2)).status).toBe(401);
    const afterRevoke = await tokenRequest({
      grant_type: "refresh_token",
      refresh_token: refreshed.json.refresh_token,
    });
    expect(afterRevoke.json.error).toBe("invalid_grant");

    const listed = await control<{ tokens: Array<{ value: string; status: string }> }>(
      "GET",
      `/tokens?provider=zendesk&account=${sub}`,
    );
    expect(listed.json.tokens.find((t) => t.value === at2)?.status).toBe("revoked");
  });

  it("refuses a wrong client secret, an unregistered redirect URI and a denied consent", async () => {
    const bad = await tokenRequest({
      grant_type: "authorization_code",
      code: "x",
      client_secret: "nope",
    });
    expect(bad.status).toBe(401);
    expect(bad.json.error).toBe("invalid_client");

    const q = new URLSearchParams({
      response_type: "code",
      client_id: env().ZENDESK_CLIENT_ID!,
      redirect_uri: "https://evil.example/cb",
      state: "s",
    });
    expect((await fetch(base(`/oauth/authorizations/new?${q}`))).status).toBe(400);

    const ok = new URLSearchParams({
      response_type: "code",
      client_id: env().ZENDESK_CLIENT_ID!,
      redirect_uri: redirectUri(),
      state: "s2",
    });
    const html = await (await fetch(base(`/oauth/authorizations/new?${ok}`))).text();
    const denied = await postForm(base("/oauth/authorizations/new"), {
      ...formFields(html),
      decision: "deny",
    });
    const loc = new URL(denied.headers.get("location")!);
    expect(loc.searchParams.get("error")).toBe("access_denied");
    expect(loc.searchParams.get("code")).toBeNull();

    const malformed = await tokenRequest({ grant_type: "password" });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error).toBe("invalid_request");
  });
});

describe("Zendesk sandbox: webhooks and tickets", () => {
  const receiver = startReceiver([500, 200, 200]);
  afterAll(async () => (await receiver).close());

  it("delivers a signed ticket.created, verifiable with the documented formula, and retries a 500", async () => {
    const rx = await receiver;
    const tok = await tokenRequest({
      grant_type: "authorization_code",
      code: await authorize("s3"),
      redirect_uri: redirectUri(),
    });
    const at = String(tok.json.access_token);

    const created = await api("/api/v2/webhooks", at, {
      method: "POST",
      body: JSON.stringify({
        webhook: {
          name: "Patchline",
          endpoint: rx.url,
          http_method: "POST",
          request_format: "json",
          status: "active",
          subscriptions: ["zen:event-type:ticket.created", "zen:event-type:ticket.comment_added"],
        },
      }),
    });
    expect(created.status).toBe(201);
    const hook = ((await created.json()) as { webhook: { id: string } }).webhook;
    const secretRes = await api(`/api/v2/webhooks/${hook.id}/signing_secret`, at);
    const { signing_secret } = (await secretRes.json()) as {
      signing_secret: { algorithm: string; secret: string };
    };
    expect(signing_secret.algorithm).toBe("SHA256");
    expect(signing_secret.secret).toMatch(/^sbx_whsec_/);

    const made = await control<{ ticket: { id: number } }>("POST", "/zendesk/tickets", {
      subdomain: sub,
      subject: "Checkout total is wrong",
      body: "The discount is applied twice.",
      requester: { name: "Casey Customer", email: "casey@customer.example" },
    });
    expect(made.status).toBe(201);

    const [failed, ok] = await rx.waitFor(2);
    expect(failed!.answeredWith).toBe(500);
    expect(ok!.raw.equals(failed!.raw)).toBe(true);
    const ts = String(ok!.headers["x-zendesk-webhook-signature-timestamp"]);
    const expected = createHmac("sha256", signing_secret.secret)
      .update(ts + ok!.raw.toString("utf8"))
      .digest("base64");
    expect(ok!.headers["x-zendesk-webhook-signature"]).toBe(expected);
    const body = JSON.parse(ok!.raw.toString("utf8"));
    expect(body).toMatchObject({
      type: "zen:event-type:ticket.created",
      subject: `zen:ticket:${made.json.ticket.id}`,
      detail: { subject: "Checkout total is wrong" },
    });
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);

    const deliveries = await control<{
      deliveries: Array<{ url: string; state: string; attempts: Array<{ status: number }> }>;
    }>("GET", "/deliveries?provider=zendesk");
    const mine = deliveries.json.deliveries.find((d) => d.url === rx.url)!;
    expect(mine.state).toBe("delivered");
    expect(mine.attempts.map((a) => a.status)).toEqual([500, 200]);

    // Reading the ticket with its comments (and their authors' roles), then posting a private note.
    const id = made.json.ticket.id;
    const ticket = await (await api(`/api/v2/tickets/${id}.json`, at)).json();
    expect(ticket).toMatchObject({
      ticket: { id, subject: "Checkout total is wrong", status: "new" },
    });
    const put = await api(`/api/v2/tickets/${id}.json`, at, {
      method: "PUT",
      body: JSON.stringify({ ticket: { comment: { body: "Investigating.", public: false } } }),
    });
    expect(put.status).toBe(200);
    const comments = (await (
      await api(`/api/v2/tickets/${id}/comments.json?include=users`, at)
    ).json()) as {
      comments: Array<{ body: string; public: boolean; author_id: number }>;
      users: Array<{ id: number; role: string }>;
    };
    expect(comments.comments.map((c) => [c.body, c.public])).toEqual([
      ["The discount is applied twice.", true],
      ["Investigating.", false],
    ]);
    const roles = comments.comments.map(
      (c) => comments.users.find((u) => u.id === c.author_id)?.role,
    );
    expect(roles).toEqual(["end-user", "admin"]);
    const third = await rx.waitFor(3);
    expect(JSON.parse(third[2]!.raw.toString("utf8"))).toMatchObject({
      type: "zen:event-type:ticket.comment_added",
      event: { comment: { is_public: false } },
    });

    // Deleting the webhook stops deliveries; an invalid body gets Zendesk's error shape.
    expect((await api(`/api/v2/webhooks/${hook.id}`, at, { method: "DELETE" })).status).toBe(204);
    await control("POST", "/zendesk/tickets", { subdomain: sub, subject: "again", body: "x" });
    const invalid = await api("/api/v2/webhooks", at, {
      method: "POST",
      body: JSON.stringify({ webhook: { name: "x" } }),
    });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { errors: unknown[] }).errors).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(rx.received).toHaveLength(3);
  });
});

describe("Zendesk sandbox: control API", () => {
  it("reads a ticket's comments with their authors' roles, without a token", async () => {
    const own = `${sub}ctl`;
    const made = await control<{ ticket: { id: number } }>("POST", "/zendesk/tickets", {
      subdomain: own,
      subject: "Refund short",
      body: "My refund was short",
    });
    const id = made.json.ticket.id;
    await control("POST", `/zendesk/tickets/${id}/comments`, {
      subdomain: own,
      body: "Internal: looking",
      public: false,
      author_role: "agent",
    });
    const read = await control<{
      ticket: { id: number; subject: string };
      comments: Array<{ body: string; public: boolean; author_role: string }>;
    }>("GET", `/zendesk/tickets/${id}?subdomain=${own}`);
    expect(read.status).toBe(200);
    expect(read.json.ticket).toMatchObject({ id, subject: "Refund short" });
    expect(read.json.comments.map((c) => [c.body, c.public, c.author_role])).toEqual([
      ["My refund was short", true, "end-user"],
      ["Internal: looking", false, "agent"],
    ]);
    expect((await control("GET", `/zendesk/tickets/999999999?subdomain=${own}`)).status).toBe(404);
    expect((await control("GET", `/zendesk/tickets/${id}?subdomain=Not%20valid`)).status).toBe(422);
  });
});
