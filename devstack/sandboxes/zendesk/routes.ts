import type { SandboxContext } from "../context";
import type { Router } from "../router";
import * as api from "./api";
import { registerZendeskControl } from "./control";
import * as oauth from "./oauth";

/** Zendesk under `/zendesk/{subdomain}` (ZENDESK_BASE_URL = `${SANDBOX_URL}/zendesk/{subdomain}`). */
export function registerZendesk(router: Router, ctx: SandboxContext): void {
  const z = "/zendesk/:sub";
  router
    .add("GET", `${z}/oauth/authorizations/new`, (req, [sub]) => oauth.authorize(ctx, req, sub!))
    .add("POST", `${z}/oauth/authorizations/new`, (req, [sub]) => oauth.authorize(ctx, req, sub!))
    .add("POST", `${z}/oauth/tokens`, (req, [sub]) => oauth.token(ctx, req, sub!))
    .add("DELETE", `${z}/api/v2/oauth/tokens/:id`, (req, [sub, id]) =>
      oauth.revoke(ctx, req, sub!, id!),
    )
    .add("GET", `${z}/api/v2/webhooks`, (req, [sub]) => api.listWebhooks(ctx, req, sub!))
    .add("POST", `${z}/api/v2/webhooks`, (req, [sub]) => api.createWebhook(ctx, req, sub!))
    .add("GET", `${z}/api/v2/webhooks/:id`, (req, [sub, id]) =>
      api.showWebhook(ctx, req, sub!, id!),
    )
    .add("DELETE", `${z}/api/v2/webhooks/:id`, (req, [sub, id]) =>
      api.deleteWebhook(ctx, req, sub!, id!),
    )
    .add("GET", `${z}/api/v2/webhooks/:id/signing_secret`, (req, [sub, id]) =>
      api.webhookSecret(ctx, req, sub!, id!),
    )
    .add("GET", `${z}/api/v2/users/me.json`, (req, [sub]) => api.me(ctx, req, sub!))
    .add("GET", `${z}/api/v2/users/me`, (req, [sub]) => api.me(ctx, req, sub!))
    .add("GET", `${z}/api/v2/users/:id`, (req, [sub, id]) => api.showUser(ctx, req, sub!, id!))
    .add("GET", `${z}/api/v2/tickets/:id`, (req, [sub, id]) => api.showTicket(ctx, req, sub!, id!))
    .add("PUT", `${z}/api/v2/tickets/:id`, (req, [sub, id]) =>
      api.updateTicket(ctx, req, sub!, id!),
    )
    .add("GET", `${z}/api/v2/tickets/:id/comments.json`, (req, [sub, id]) =>
      api.listComments(ctx, req, sub!, id!),
    )
    .add("GET", `${z}/api/v2/tickets/:id/comments`, (req, [sub, id]) =>
      api.listComments(ctx, req, sub!, id!),
    );
  registerZendeskControl(router, ctx);
}
