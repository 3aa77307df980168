import { z } from "zod";
import type { SandboxContext } from "../context";
import {
  bearerToken,
  bodyObject,
  html,
  json,
  parseWith,
  queryObject,
  redirect,
  type SandboxRequest,
  type SandboxResponse,
} from "../http";
import { consentPage, errorPage } from "../layout";
import { issueCode, redeemCode, redirectAllowed, withQuery } from "../oauth-common";
import type { Router } from "../router";
import type { IntercomConversation } from "../state";
import { issueToken, liveToken, revokeToken } from "../tokens";
import {
  ADMINS,
  asHtml,
  conversationJson,
  deliverIntercom,
  icError,
  TEAMS,
  unixNow,
  WORKSPACE_NAME,
} from "./model";

const authorizeSchema = z.object({
  client_id: z.string().min(1),
  redirect_uri: z.string().url(),
  state: z.string().optional(),
  decision: z.enum(["allow", "deny"]).optional(),
});
const tokenSchema = z.object({
  code: z.string().min(1),
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
});
const replySchema = z.object({
  message_type: z.enum(["comment", "note", "quick_reply"]),
  type: z.enum(["admin", "user"]),
  admin_id: z.union([z.string(), z.number()]).transform(String).optional(),
  body: z.string().min(1).max(65_536),
});
const newConversationSchema = z.object({
  body: z.string().min(1).max(65_536),
  title: z.string().max(250).nullable().default(null),
  contact: z
    .object({
      name: z.string().min(1).max(120).default("Casey Customer"),
      email: z.string().email().default("casey@customer.example"),
    })
    .default({ name: "Casey Customer", email: "casey@customer.example" }),
  team_id: z.string().nullable().default(TEAMS[0]!.id),
});
const userReplySchema = z.object({ body: z.string().min(1).max(65_536) });

function requireToken(ctx: SandboxContext, req: SandboxRequest) {
  const t = liveToken(ctx, bearerToken(req), "intercom", ["access"]);
  if (!t) throw icError(401, "unauthorized", "Access Token Invalid");
  return t;
}

function findConversation(ctx: SandboxContext, id: string): IntercomConversation {
  const c = ctx.state.intercom.conversations.find((x) => x.id === id);
  if (!c) throw icError(404, "not_found", "Resource Not Found");
  return c;
}

function authorize(ctx: SandboxContext, req: SandboxRequest): SandboxResponse {
  const parsed = authorizeSchema.safeParse(
    req.method === "POST" ? bodyObject(req) : queryObject(req),
  );
  if (!parsed.success)
    return html(400, errorPage("Invalid request", "The authorization request is malformed."));
  const p = parsed.data;
  if (p.client_id !== ctx.credentials.INTERCOM_CLIENT_ID)
    return html(400, errorPage("Invalid client", "Unknown app."));
  if (!redirectAllowed(ctx, p.redirect_uri))
    return html(
      400,
      errorPage("Invalid redirect URI", "The redirect URI is not registered for this app."),
    );
  if (!p.decision) {
    return html(
      200,
      consentPage({
        provider: "Intercom",
        account: WORKSPACE_NAME,
        appName: "Patchline",
        scope: "read conversations, reply",
        action: req.url.pathname,
        params: { client_id: p.client_id, redirect_uri: p.redirect_uri, state: p.state },
      }),
    );
  }
  if (p.decision === "deny")
    return redirect(withQuery(p.redirect_uri, { error: "access_denied", state: p.state }));
  const code = issueCode(ctx, {
    provider: "intercom",
    account: ctx.credentials.INTERCOM_APP_ID,
    clientId: p.client_id,
    redirectUri: p.redirect_uri,
    scope: "",
  });
  return redirect(withQuery(p.redirect_uri, { code, state: p.state }));
}

/** Intercom: OAuth under `/intercom/app`, REST under `/intercom/api`. Access tokens do not expire. */
export function registerIntercom(router: Router, ctx: SandboxContext): void {
  const a = "/intercom/api";
  router
    .add("GET", "/intercom/app/oauth", (req) => authorize(ctx, req))
    .add("POST", "/intercom/app/oauth", (req) => authorize(ctx, req))
    .add("POST", `${a}/auth/eagle/token`, (req) => {
      const p = parseWith(tokenSchema, bodyObject(req), (m) =>
        icError(400, "parameter_invalid", m),
      );
      if (
        p.client_id !== ctx.credentials.INTERCOM_CLIENT_ID ||
        p.client_secret !== ctx.credentials.INTERCOM_CLIENT_SECRET
      )
        throw icError(401, "unauthorized", "Client credentials are invalid");
      const code = redeemCode(ctx, "intercom", p.code, p.client_id, undefined);
      if (!code) throw icError(400, "parameter_invalid", "Code is invalid or expired");
      const t = issueToken(ctx, {
        prefix: "sbx_ic_at_",
        provider: "intercom",
        kind: "access",
        account: code.account,
        clientId: p.client_id,
      });
      return json(200, { token_type: "Bearer", token: t.value, access_token: t.value });
    })
    .add("POST", `${a}/auth/uninstall`, (req) => {
      revokeToken(ctx, requireToken(ctx, req));
      return json(200, {});
    })
    .add("GET", `${a}/me`, (req) => {
      requireToken(ctx, req);
      const admin = ADMINS[0]!;
      return json(200, {
        type: "admin",
        id: admin.id,
        email: admin.email,
        name: admin.name,
        email_verified: true,
        has_inbox_seat: true,
        app: {
          type: "app",
          id_code: ctx.credentials.INTERCOM_APP_ID,
          name: WORKSPACE_NAME,
          created_at: 1_700_000_000,
          secure: false,
          identity_verification: false,
          timezone: "UTC",
          region: "US",
        },
        avatar: { type: "avatar", image_url: null },
      });
    })
    .add("GET", `${a}/teams`, (req) => {
      requireToken(ctx, req);
      return json(200, { type: "team.list", teams: TEAMS.map((t) => ({ type: "team", ...t })) });
    })
    .add("GET", `${a}/admins`, (req) => {
      requireToken(ctx, req);
      return json(200, {
        type: "admin.list",
        admins: ADMINS.map((x) => ({
          type: "admin",
          ...x,
          away_mode_enabled: false,
          has_inbox_seat: true,
          team_ids: TEAMS.filter((t) => t.admin_ids.includes(Number(x.id))).map((t) =>
            Number(t.id),
          ),
        })),
      });
    })
    .add("GET", `${a}/conversations/:id`, (req, [id]) => {
      requireToken(ctx, req);
      return json(200, conversationJson(findConversation(ctx, id!)));
    })
    .add("POST", `${a}/conversations/:id/reply`, (req, [id]) => {
      requireToken(ctx, req);
      const conv = findConversation(ctx, id!);
      const p = parseWith(replySchema, bodyObject(req), (m) =>
        icError(400, "parameter_invalid", m),
      );
      if (p.type === "admin" && !ADMINS.some((x) => x.id === p.admin_id))
        throw icError(400, "parameter_invalid", "admin_id is not an admin of this workspace");
      const now = unixNow();
      conv.parts.push({
        id: String(ctx.store.nextId()),
        partType: p.message_type === "note" ? "note" : "comment",
        body: asHtml(p.body),
        authorType: p.type,
        authorId: p.type === "admin" ? p.admin_id! : conv.contact.id,
        createdAt: now,
      });
      conv.updatedAt = now;
      ctx.store.changed();
      deliverIntercom(
        ctx,
        p.type === "user"
          ? "conversation.user.replied"
          : p.message_type === "note"
            ? "conversation.admin.noted"
            : "conversation.admin.replied",
        conv,
      );
      return json(200, conversationJson(conv));
    });

  router.add("POST", "/_control/intercom/conversations", (req) => {
    const p = parseWith(newConversationSchema, bodyObject(req), (m) =>
      icError(422, "parameter_invalid", m),
    );
    const now = unixNow();
    const conv: IntercomConversation = {
      id: String(ctx.store.nextId()),
      title: p.title,
      state: "open",
      teamAssigneeId: p.team_id,
      contact: {
        id: `contact_${ctx.store.nextId()}`,
        name: p.contact.name,
        email: p.contact.email,
      },
      parts: [
        {
          id: String(ctx.store.nextId()),
          partType: "comment",
          body: asHtml(p.body),
          authorType: "user",
          authorId: "",
          createdAt: now,
        },
      ],
      createdAt: now,
      updatedAt: now,
    };
    ctx.state.intercom.conversations.push(conv);
    ctx.store.changed();
    const d = deliverIntercom(ctx, "conversation.user.created", conv);
    return json(201, {
      conversation: conversationJson(conv),
      deliveries: [{ id: d.id, url: d.url }],
    });
  });

  router.add("POST", "/_control/intercom/conversations/:id/reply", (req, [id]) => {
    const conv = findConversation(ctx, id!);
    const p = parseWith(userReplySchema, bodyObject(req), (m) =>
      icError(422, "parameter_invalid", m),
    );
    const now = unixNow();
    conv.parts.push({
      id: String(ctx.store.nextId()),
      partType: "comment",
      body: asHtml(p.body),
      authorType: "user",
      authorId: conv.contact.id,
      createdAt: now,
    });
    conv.updatedAt = now;
    ctx.store.changed();
    const d = deliverIntercom(ctx, "conversation.user.replied", conv);
    return json(201, {
      conversation: conversationJson(conv),
      deliveries: [{ id: d.id, url: d.url }],
    });
  });
}
