import { z } from "zod";
import type { SandboxContext } from "../context";
import {
  bearerToken,
  bodyObject,
  html,
  json,
  ProviderError,
  parseWith,
  queryObject,
  redirect,
  type SandboxRequest,
  type SandboxResponse,
} from "../http";
import { consentPage, errorPage } from "../layout";
import { issueCode, redeemCode, redirectAllowed, withQuery } from "../oauth-common";
import type { Router } from "../router";
import { issueToken, liveToken, revokeToken } from "../tokens";
import {
  channelJson,
  messageJson,
  nextTs,
  recordMessage,
  type SlackState,
  slackError,
  slackState,
  takeFault,
} from "./model";

/**
 * Slack: the OAuth v2 install (`/slack/oauth/v2/authorize` → redirect with `code`,
 * `oauth.v2.access` → bot token `xoxb-…`), and the Web API methods Patchline calls under
 * `/slack/api/<method>` (what `@slack/web-api` calls with `slackApiUrl` pointed here). Every
 * answer is HTTP 200 with `{ok}`; errors are `{ok: false, error}`, rate limits HTTP 429 with
 * `Retry-After` (https://api.slack.com/web#responses, /docs/rate-limits).
 */

const authorizeSchema = z.object({
  client_id: z.string().min(1),
  scope: z.string().default(""),
  redirect_uri: z.string().url(),
  state: z.string().optional(),
  decision: z.enum(["allow", "deny"]).optional(),
});
const accessSchema = z.object({
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
  code: z.string().min(1),
  redirect_uri: z.string().url().optional(),
});

// Form fields arrive as strings; objects (blocks, metadata) as JSON text, as web-api sends them.
const jsonField = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => {
    if (typeof v !== "string") return v;
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }, schema);
const boolField = z.preprocess((v) => v === true || v === "true" || v === "1", z.boolean());
const metadataSchema = z.object({
  event_type: z.string().min(1).max(255),
  event_payload: z.record(z.string(), z.unknown()),
});
const postSchema = z.object({
  channel: z.string().min(1),
  text: z.string().max(40_000).optional(),
  blocks: jsonField(z.array(z.record(z.string(), z.unknown())).max(50)).optional(),
  metadata: jsonField(metadataSchema).optional(),
  unfurl_links: z.unknown().optional(),
  unfurl_media: z.unknown().optional(),
});
const updateSchema = postSchema.extend({ ts: z.string().regex(/^\d+\.\d{6}$/) });
const listSchema = z.object({
  types: z.string().default("public_channel"),
  exclude_archived: boolField.default(false),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().optional(),
});
const historySchema = z.object({
  channel: z.string().min(1),
  include_all_metadata: boolField.default(false),
  limit: z.coerce.number().int().min(1).max(999).default(100),
  oldest: z.string().optional(),
});

const faultSchema = z.object({
  method: z.string().min(1).default("*"),
  channel: z.string().nullable().default(null),
  kind: z.string().regex(/^[a-z_]+$/),
  retry_after: z.number().int().min(0).max(3600).default(1),
  times: z.number().int().min(0).max(1000).default(1),
});
const channelSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,79}$/),
  member: z.boolean().default(true),
  private: z.boolean().default(false),
});
const membershipSchema = z.object({ member: z.boolean() });
const messagesQuery = z.object({ channel: z.string().optional() });

const bad = (m: string) => new ProviderError(422, { error: m });

/** Web API parameters: the form body, the JSON body, or the query (GET), merged. */
function params(req: SandboxRequest): Record<string, unknown> {
  const body = bodyObject(req);
  return { ...queryObject(req), ...(body && typeof body === "object" ? body : {}) };
}

function authorize(ctx: SandboxContext, req: SandboxRequest): SandboxResponse {
  const s = slackState(ctx);
  const parsed = authorizeSchema.safeParse(
    req.method === "POST" ? bodyObject(req) : queryObject(req),
  );
  if (!parsed.success)
    return html(400, errorPage("Invalid request", "The authorization request is malformed."));
  const p = parsed.data;
  if (p.client_id !== ctx.credentials.SLACK_CLIENT_ID)
    return html(400, errorPage("Invalid client_id", "Unknown app."));
  if (!redirectAllowed(ctx, p.redirect_uri))
    return html(
      400,
      errorPage("bad_redirect_uri", "The redirect URI is not registered for this app."),
    );
  if (!p.decision) {
    return html(
      200,
      consentPage({
        provider: "Slack",
        account: s.team.name,
        appName: "Patchline",
        // spaced, so a long scope list wraps on the page
        scope: p.scope.split(",").join(", "),
        action: req.url.pathname,
        params: {
          client_id: p.client_id,
          scope: p.scope,
          redirect_uri: p.redirect_uri,
          state: p.state,
        },
      }),
    );
  }
  if (p.decision === "deny")
    return redirect(withQuery(p.redirect_uri, { error: "access_denied", state: p.state }));
  const code = issueCode(ctx, {
    provider: "slack",
    account: s.team.id,
    clientId: p.client_id,
    redirectUri: p.redirect_uri,
    scope: p.scope,
  });
  return redirect(withQuery(p.redirect_uri, { code, state: p.state }));
}

function oauthAccess(ctx: SandboxContext, req: SandboxRequest): SandboxResponse {
  const s = slackState(ctx);
  // client credentials by HTTP Basic auth or in the body, as Slack accepts both
  const basic = /^basic\s+(\S+)$/i.exec(String(req.headers.authorization ?? ""))?.[1];
  const [basicId, basicSecret] = basic
    ? Buffer.from(basic, "base64").toString("utf8").split(":")
    : [];
  const p = parseWith(
    accessSchema,
    { client_id: basicId, client_secret: basicSecret, ...params(req) },
    () => slackError("invalid_arguments"),
  );
  if (p.client_id !== ctx.credentials.SLACK_CLIENT_ID) throw slackError("invalid_client_id");
  if (p.client_secret !== ctx.credentials.SLACK_CLIENT_SECRET)
    throw slackError("bad_client_secret");
  const code = redeemCode(ctx, "slack", p.code, p.client_id, p.redirect_uri);
  if (!code) throw slackError("invalid_code");
  const t = issueToken(ctx, {
    prefix: "xoxb-sbx-",
    provider: "slack",
    kind: "access",
    account: s.team.id,
    clientId: p.client_id,
    scope: code.scope,
  });
  return json(200, {
    ok: true,
    app_id: s.appId,
    authed_user: { id: "U0INSTALLER" },
    scope: code.scope,
    token_type: "bot",
    access_token: t.value,
    bot_user_id: s.botUserId,
    team: { id: s.team.id, name: s.team.name },
    enterprise: null,
    is_enterprise_install: false,
  });
}

type Method = (ctx: SandboxContext, s: SlackState, p: Record<string, unknown>) => SandboxResponse;

const METHODS: Record<string, Method> = {
  "auth.test": (ctx, s) =>
    json(200, {
      ok: true,
      url: `${ctx.sandboxUrl}/slack/`,
      team: s.team.name,
      user: "patchline",
      team_id: s.team.id,
      user_id: s.botUserId,
      bot_id: s.botId,
      is_enterprise_install: false,
    }),
  "conversations.list": (_ctx, s, raw) => {
    const p = parseWith(listSchema, raw, () => slackError("invalid_arguments"));
    const types = new Set(p.types.split(","));
    const all = s.channels.filter(
      (c) =>
        (c.isPrivate ? types.has("private_channel") && c.botMember : types.has("public_channel")) &&
        !(p.exclude_archived && c.archived),
    );
    const start = p.cursor ? Number(Buffer.from(p.cursor, "base64").toString("utf8").slice(3)) : 0;
    if (!Number.isInteger(start) || start < 0) throw slackError("invalid_cursor");
    const page = all.slice(start, start + p.limit);
    const next =
      start + p.limit < all.length ? Buffer.from(`id:${start + p.limit}`).toString("base64") : "";
    return json(200, {
      ok: true,
      channels: page.map((c) => channelJson(s, c)),
      response_metadata: { next_cursor: next },
    });
  },
  "conversations.history": (_ctx, s, raw) => {
    const p = parseWith(historySchema, raw, () => slackError("invalid_arguments"));
    const channel = s.channels.find((c) => c.id === p.channel);
    if (!channel || (channel.isPrivate && !channel.botMember))
      throw slackError("channel_not_found");
    if (!channel.botMember) throw slackError("not_in_channel");
    const oldest = p.oldest ? Number(p.oldest) : 0;
    const messages = s.messages
      .filter((m) => m.channel === channel.id && Number(m.ts) > oldest)
      .reverse();
    return json(200, {
      ok: true,
      messages: messages.slice(0, p.limit).map((m) => messageJson(s, m, p.include_all_metadata)),
      has_more: messages.length > p.limit,
      pin_count: 0,
      response_metadata: { next_cursor: "" },
    });
  },
  "chat.postMessage": (ctx, s, raw) => {
    const p = parseWith(postSchema, raw, () => slackError("invalid_arguments"));
    if (!p.text && !p.blocks) throw slackError("no_text");
    const channel = s.channels.find((c) => c.id === p.channel || `#${c.name}` === p.channel);
    if (!channel || (channel.isPrivate && !channel.botMember))
      throw slackError("channel_not_found");
    if (channel.archived) throw slackError("is_archived");
    if (!channel.botMember) throw slackError("not_in_channel");
    const ts = nextTs(s);
    const message = {
      channel: channel.id,
      ts,
      text: p.text ?? "",
      blocks: p.blocks ?? null,
      metadata: p.metadata ?? null,
      botId: s.botId,
      postedAt: new Date().toISOString(),
      edits: [],
    };
    recordMessage(s, message, ctx);
    return json(200, {
      ok: true,
      channel: channel.id,
      ts,
      message: messageJson(s, message, true),
    });
  },
  "chat.update": (ctx, s, raw) => {
    const p = parseWith(updateSchema, raw, () => slackError("invalid_arguments"));
    if (!p.text && !p.blocks) throw slackError("no_text");
    const channel = s.channels.find((c) => c.id === p.channel);
    if (!channel) throw slackError("channel_not_found");
    const message = s.messages.find((m) => m.channel === channel.id && m.ts === p.ts);
    if (!message) throw slackError("message_not_found");
    if (message.botId !== s.botId) throw slackError("cant_update_message");
    message.text = p.text ?? "";
    message.blocks = p.blocks ?? null;
    if (p.metadata) message.metadata = p.metadata;
    message.edits.push({
      at: new Date().toISOString(),
      text: message.text,
      blocks: message.blocks,
    });
    ctx.store.changed();
    return json(200, { ok: true, channel: channel.id, ts: p.ts, text: message.text });
  },
};

function webApi(ctx: SandboxContext, req: SandboxRequest, method: string): SandboxResponse {
  const s = slackState(ctx);
  if (method === "oauth.v2.access") return oauthAccess(ctx, req);
  const handler = METHODS[method];
  const raw = params(req);
  const token = bearerToken(req) ?? (typeof raw.token === "string" ? raw.token : undefined);
  if (!token) throw slackError("not_authed");
  const live = liveToken(ctx, token, "slack", ["access"]);
  if (method === "auth.revoke") {
    if (!live) throw slackError("invalid_auth");
    revokeToken(ctx, live);
    return json(200, { ok: true, revoked: true });
  }
  if (!handler) throw slackError("unknown_method");
  if (!live) throw slackError("invalid_auth");
  const channel = typeof raw.channel === "string" ? raw.channel : undefined;
  const fault = takeFault(s, method, channel);
  if (fault) ctx.store.changed();
  if (fault?.kind === "ratelimited")
    return json(
      429,
      { ok: false, error: "ratelimited" },
      { "retry-after": String(fault.retryAfter) },
    );
  if (fault?.kind === "server_error") return json(503, { ok: false, error: "service_unavailable" });
  if (fault && fault.kind !== "lost_answer") throw slackError(fault.kind);
  const answer = handler(ctx, s, raw);
  // the call took effect; the caller never learns it (a connection cut after the work was done)
  if (fault?.kind === "lost_answer") return json(503, { ok: false, error: "service_unavailable" });
  return answer;
}

/** Slack under `/slack`: OAuth v2, the Web API, and the control routes tests and the page use. */
export function registerSlack(router: Router, ctx: SandboxContext): void {
  router
    .add("GET", "/slack/oauth/v2/authorize", (req) => authorize(ctx, req))
    .add("POST", "/slack/oauth/v2/authorize", (req) => authorize(ctx, req))
    .add("POST", "/slack/api/:method", (req, [method]) => webApi(ctx, req, method!))
    .add("GET", "/slack/api/:method", (req, [method]) => webApi(ctx, req, method!));

  router
    .add("GET", "/_control/slack/messages", (req) => {
      const s = slackState(ctx);
      const q = parseWith(messagesQuery, queryObject(req), bad);
      const list = s.messages.filter((m) => !q.channel || m.channel === q.channel);
      return json(200, { messages: list });
    })
    .add("GET", "/_control/slack/channels", () => {
      const s = slackState(ctx);
      return json(200, { team: s.team, channels: s.channels });
    })
    .add("POST", "/_control/slack/channels", (req) => {
      const s = slackState(ctx);
      const p = parseWith(channelSchema, bodyObject(req), bad);
      if (s.channels.some((c) => c.name === p.name)) throw bad("name_taken");
      const channel = {
        id: `C${String(ctx.store.nextId()).padStart(10, "0")}`,
        name: p.name,
        isPrivate: p.private,
        botMember: p.member,
        archived: false,
        created: Math.floor(Date.now() / 1000),
      };
      s.channels.push(channel);
      ctx.store.changed();
      return json(201, { channel });
    })
    // `/invite @Patchline` in the channel, or removing the bot from it
    .add("POST", "/_control/slack/channels/:id/membership", (req, [id]) => {
      const s = slackState(ctx);
      const p = parseWith(membershipSchema, bodyObject(req), bad);
      const channel = s.channels.find((c) => c.id === id);
      if (!channel) throw new ProviderError(404, { error: "no such channel" });
      channel.botMember = p.member;
      ctx.store.changed();
      return json(200, { channel });
    })
    .add("GET", "/_control/slack/faults", () => json(200, { faults: slackState(ctx).faults }))
    .add("POST", "/_control/slack/faults", (req) => {
      const s = slackState(ctx);
      const p = parseWith(faultSchema, bodyObject(req), bad);
      const fault = {
        id: ctx.store.nextId(),
        method: p.method,
        channel: p.channel,
        kind: p.kind,
        retryAfter: p.retry_after,
        times: p.times,
        used: 0,
      };
      s.faults.push(fault);
      ctx.store.changed();
      return json(201, { fault });
    })
    .add("DELETE", "/_control/slack/faults", () => {
      slackState(ctx).faults = [];
      ctx.store.changed();
      return json(200, { faults: [] });
    });
}
