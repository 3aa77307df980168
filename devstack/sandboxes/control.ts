import { z } from "zod";
import type { SandboxContext } from "./context";
import { bodyObject, json, ProviderError, parseWith, queryObject } from "./http";
import type { Router } from "./router";
import type { Delivery, IssuedToken } from "./state";
import { findToken, revokeToken } from "./tokens";

const controlError = (status: number, message: string) =>
  new ProviderError(status, { error: message });
const bad = (m: string) => controlError(422, m);

const provider = z.enum(["zendesk", "intercom", "github", "razorpay", "slack"]);
const tokenQuery = z.object({
  provider: provider.optional(),
  kind: z.string().optional(),
  account: z.string().optional(),
});
const deliveryQuery = z.object({
  provider: provider.optional(),
  event: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const tokenBody = z.object({ token: z.string().min(1) });
const targetsBody = z.object({
  github: z.string().url().nullable().optional(),
  intercom: z.string().url().nullable().optional(),
  razorpay: z.string().url().nullable().optional(),
});

export function tokenJson(t: IssuedToken) {
  const expired = t.expiresAt !== undefined && Date.parse(t.expiresAt) <= Date.now();
  return { ...t, status: t.revokedAt ? "revoked" : expired ? "expired" : "active" };
}

export function deliveryJson(d: Delivery) {
  return { ...d, last_status: d.attempts.at(-1)?.status ?? null };
}

/**
 * The control API for tests, the CLI and the page: issued tokens (in clear: this is a local
 * stand-in and tests search the app's database and logs for them), deliveries and their answers,
 * and where app-wide webhooks go. Provider actions (tickets, pushes…) register their own routes.
 */
export function registerControl(router: Router, ctx: SandboxContext): void {
  router.add("GET", "/_control/health", () => json(200, { status: "ok" }));

  router.add("GET", "/_control/credentials", () =>
    json(200, { ...ctx.credentials, GITHUB_APP_PRIVATE_KEY: ctx.state.github.privateKeyPem }),
  );

  router.add("GET", "/_control/tokens", (req) => {
    const q = parseWith(tokenQuery, queryObject(req), bad);
    const tokens = ctx.state.tokens.filter(
      (t) =>
        (!q.provider || t.provider === q.provider) &&
        (!q.kind || t.kind === q.kind) &&
        (!q.account || t.account === q.account),
    );
    return json(200, { tokens: tokens.map(tokenJson) });
  });

  // Expire: the next API call with it gets the provider's 401, so the app's refresh path runs.
  router.add("POST", "/_control/tokens/expire", (req) => {
    const t = findToken(ctx, parseWith(tokenBody, bodyObject(req), bad).token);
    if (!t) throw controlError(404, "no such token");
    t.expiresAt = new Date(Date.now() - 1000).toISOString();
    ctx.store.changed();
    return json(200, { token: tokenJson(t) });
  });

  router.add("POST", "/_control/tokens/revoke", (req) => {
    const t = findToken(ctx, parseWith(tokenBody, bodyObject(req), bad).token);
    if (!t) throw controlError(404, "no such token");
    revokeToken(ctx, t);
    return json(200, { token: tokenJson(t) });
  });

  router.add("GET", "/_control/deliveries", (req) => {
    const q = parseWith(deliveryQuery, queryObject(req), bad);
    const list = ctx.state.deliveries
      .filter(
        (d) => (!q.provider || d.provider === q.provider) && (!q.event || d.event === q.event),
      )
      .slice(-q.limit)
      .reverse();
    return json(200, { deliveries: list.map(deliveryJson) });
  });

  router.add("GET", "/_control/deliveries/:id", (_req, [id]) => {
    const d = ctx.state.deliveries.find((x) => x.id === id);
    if (!d) throw controlError(404, "no such delivery");
    return json(200, { delivery: deliveryJson(d) });
  });

  router.add("POST", "/_control/deliveries/:id/redeliver", (_req, [id]) => {
    const d = ctx.state.deliveries.find((x) => x.id === id);
    if (!d) throw controlError(404, "no such delivery");
    ctx.deliverer.redeliver(d);
    return json(202, { delivery: deliveryJson(d) });
  });

  router.add("GET", "/_control/webhook-targets", () => json(200, { targets: currentTargets(ctx) }));

  // Like changing the webhook URL in the provider's dashboard; `null` restores the app's route.
  router.add("PUT", "/_control/webhook-targets", (req) => {
    const p = parseWith(targetsBody, bodyObject(req), bad);
    for (const [k, v] of Object.entries(p) as Array<[keyof typeof p, string | null | undefined]>) {
      if (v === null) delete ctx.state.targets[k];
      else if (v !== undefined) ctx.state.targets[k] = v;
    }
    ctx.store.changed();
    return json(200, { targets: currentTargets(ctx) });
  });
}

function currentTargets(ctx: SandboxContext) {
  const t = (p: "github" | "intercom" | "razorpay") =>
    ctx.state.targets[p] ?? `${ctx.siteUrl}/api/webhooks/${p}`;
  return { github: t("github"), intercom: t("intercom"), razorpay: t("razorpay") };
}
