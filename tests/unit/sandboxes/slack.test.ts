import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SandboxContext } from "@/devstack/sandboxes/context";
import { deriveCredentials } from "@/devstack/sandboxes/credentials";
import type { SandboxRequest } from "@/devstack/sandboxes/http";
import { Router } from "@/devstack/sandboxes/router";
import { dispatch } from "@/devstack/sandboxes/server";
import { registerSlack } from "@/devstack/sandboxes/slack/routes";
import { SandboxStore } from "@/devstack/sandboxes/store";
import { issueToken } from "@/devstack/sandboxes/tokens";

/**
 * The Slack sandbox's answers, as Slack documents them, through the router (no HTTP): errors are
 * HTTP 200 `{ok: false, error}`, a rate limit is 429 with Retry-After, a post to a channel the bot
 * is not in is `not_in_channel`, a "lost answer" fault performs the call and then fails it, and
 * `chat.update` keeps the message's ts and records the edit.
 */

let dir: string;
let router: Router;
let token: string;
let store: SandboxStore;
let ctx: SandboxContext;
const SANDBOX = "http://127.0.0.1:1";

function request(
  method: string,
  pathWithQuery: string,
  body?: unknown,
  auth = token,
): SandboxRequest {
  const url = new URL(pathWithQuery, SANDBOX);
  return {
    method,
    path: url.pathname,
    url,
    headers: {
      "content-type":
        typeof body === "string" ? "application/x-www-form-urlencoded" : "application/json",
      ...(auth ? { authorization: `Bearer ${auth}` } : {}),
    },
    body: Buffer.from(
      body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body),
    ),
  };
}

const call = (method: string, body: unknown, auth?: string) =>
  dispatch(router, request("POST", `/slack/api/${method}`, body, auth));

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "slack-sandbox-"));
  store = new SandboxStore(dir, { reset: true });
  ctx = {
    store,
    state: store.state,
    credentials: deriveCredentials("seed"),
    siteUrl: "http://localhost:3000",
    sandboxUrl: SANDBOX,
    redirectOrigins: ["http://localhost:3000"],
    accessTokenTtlSeconds: 7200,
    githubSetupUrl: "",
    log: () => {},
  } as unknown as SandboxContext;
  router = new Router();
  registerSlack(router, ctx);
  token = botToken();
});

const botToken = () =>
  issueToken(ctx, { prefix: "xoxb-sbx-", provider: "slack", kind: "access", account: "T0SANDBOX1" })
    .value;
afterAll(() => {
  // the pending write first, so it does not land in a removed directory
  store.flush();
  rmSync(dir, { recursive: true, force: true });
});

describe("Slack sandbox", () => {
  it("refuses a call without a live token as Slack does (200, ok false)", async () => {
    expect(await call("auth.test", {}, "")).toMatchObject({
      status: 200,
      json: { ok: false, error: "not_authed" },
    });
    expect(await call("auth.test", {}, "xoxb-nope")).toMatchObject({
      status: 200,
      json: { ok: false, error: "invalid_auth" },
    });
    expect(await call("auth.test", {})).toMatchObject({
      status: 200,
      json: { ok: true, team_id: "T0SANDBOX1" },
    });
  });

  it("posts where the bot is a member, refuses elsewhere with not_in_channel, and after /invite posts", async () => {
    const ok = await call(
      "chat.postMessage",
      "channel=C0BUGS00001&text=hello&metadata=%7B%22event_type%22%3A%22x%22%2C%22event_payload%22%3A%7B%22delivery_id%22%3A%22d1%22%7D%7D",
    );
    expect(ok).toMatchObject({ status: 200, json: { ok: true, channel: "C0BUGS00001" } });
    expect((ok.json as { ts: string }).ts).toMatch(/^\d+\.\d{6}$/);
    expect(await call("chat.postMessage", { channel: "C0ALERTS001", text: "hi" })).toMatchObject({
      json: { ok: false, error: "not_in_channel" },
    });
    expect(await call("chat.postMessage", { channel: "C0NOPE", text: "hi" })).toMatchObject({
      json: { ok: false, error: "channel_not_found" },
    });
    await dispatch(
      router,
      request("POST", "/_control/slack/channels/C0ALERTS001/membership", { member: true }),
    );
    expect(await call("chat.postMessage", { channel: "C0ALERTS001", text: "hi" })).toMatchObject({
      json: { ok: true },
    });
    const history = await call("conversations.history", {
      channel: "C0BUGS00001",
      include_all_metadata: true,
    });
    // other tests post to the same channel: find this one's message among them
    expect(history.json).toMatchObject({ ok: true });
    const hello = (
      history.json as { messages: { text: string; metadata?: unknown }[] }
    ).messages.filter((m) => m.text === "hello");
    expect(hello).toMatchObject([{ metadata: { event_payload: { delivery_id: "d1" } } }]);
  });

  it("rate-limits with 429 and Retry-After, and a lost answer still takes effect", async () => {
    await dispatch(
      router,
      request("POST", "/_control/slack/faults", {
        method: "chat.postMessage",
        kind: "ratelimited",
        retry_after: 7,
      }),
    );
    await dispatch(
      router,
      request("POST", "/_control/slack/faults", {
        method: "chat.postMessage",
        kind: "lost_answer",
      }),
    );
    const limited = await call("chat.postMessage", { channel: "C0GENERAL01", text: "a" });
    expect(limited).toMatchObject({
      status: 429,
      json: { ok: false, error: "ratelimited" },
      headers: { "retry-after": "7" },
    });
    const lost = await call("chat.postMessage", { channel: "C0GENERAL01", text: "b" });
    expect(lost.status).toBe(503);
    const posted = await dispatch(
      router,
      request("GET", "/_control/slack/messages?channel=C0GENERAL01"),
    );
    expect((posted.json as { messages: { text: string }[] }).messages.map((m) => m.text)).toEqual([
      "b",
    ]);
    expect(await call("chat.postMessage", { channel: "C0GENERAL01", text: "c" })).toMatchObject({
      status: 200,
    });
  });

  it("updates a message in place: same ts, the edit recorded", async () => {
    const posted = await call("chat.postMessage", { channel: "C0BUGS00001", text: "CI running" });
    const ts = (posted.json as { ts: string }).ts;
    expect(
      await call("chat.update", { channel: "C0BUGS00001", ts, text: "CI passing" }),
    ).toMatchObject({
      json: { ok: true, ts, text: "CI passing" },
    });
    expect(
      await call("chat.update", { channel: "C0BUGS00001", ts: "1.000001", text: "x" }),
    ).toMatchObject({
      json: { ok: false, error: "message_not_found" },
    });
    const all = await dispatch(
      router,
      request("GET", "/_control/slack/messages?channel=C0BUGS00001"),
    );
    const message = (
      all.json as { messages: { ts: string; text: string; edits: unknown[] }[] }
    ).messages.find((m) => m.ts === ts);
    expect(message).toMatchObject({ text: "CI passing", edits: [{ text: "CI passing" }] });
  });

  it("lists channels with the bot's membership, and revokes a token", async () => {
    const list = await call("conversations.list", { types: "public_channel,private_channel" });
    const names = (list.json as { channels: { name: string; is_member: boolean }[] }).channels;
    expect(names).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: "random", is_member: false })]),
    );
    // a token of its own: the other tests keep theirs, whatever order they run in
    const doomed = botToken();
    expect(await call("auth.revoke", {}, doomed)).toMatchObject({
      json: { ok: true, revoked: true },
    });
    expect(await call("auth.test", {}, doomed)).toMatchObject({
      json: { ok: false, error: "invalid_auth" },
    });
  });
});
