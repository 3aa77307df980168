import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Inngest } from "inngest";
import { expect } from "vitest";
import {
  getJson,
  type RunView,
  runsOf,
  serveApp,
  syncApp,
  waitFor,
} from "@/scripts/lib/inngest-harness";
import { useDevstackAppEnv } from "@/supabase/tests/helpers/app-env";
import { asSuperuser } from "@/supabase/tests/helpers/db";
import { devstackEnv } from "@/tests/helpers/devstack-env";
import { control } from "@/tests/integration/sandboxes/helpers";

/**
 * What the Razorpay billing integration files share: the devstack's Razorpay and executor env in
 * process.env, the app's real webhook intake on a local port as the sandbox's Razorpay target, and
 * the real `razorpay-subscription-events` function served to the devstack executor under `appId`.
 * The calling file mocks `server-only` (vi.mock is per file).
 */
export interface RazorpayHarness {
  /** The intake's own URL, to replay a delivery past the sandbox. */
  intakeUrl: string;
  stop(): Promise<void>;
}

export async function startRazorpayHarness(appId: string): Promise<RazorpayHarness> {
  // biome-ignore lint/correctness/useHookAtTopLevel: not a React hook; it sets process.env
  useDevstackAppEnv();
  const env = devstackEnv();
  for (const name of [
    "RAZORPAY_API_BASE",
    "RAZORPAY_KEY_ID",
    "RAZORPAY_KEY_SECRET",
    "RAZORPAY_WEBHOOK_SECRET",
  ]) {
    const value = env[name];
    if (!value) throw new Error(`${name} missing from the devstack env file`);
    process.env[name] = value;
  }
  process.env.INNGEST_DEV = env.INNGEST_BASE_URL;
  process.env.INNGEST_BASE_URL = env.INNGEST_BASE_URL;
  (await import("@/lib/env")).resetEnvCacheForTests();

  // the app's webhook route: the real intake
  const { handleWebhook } = await import("@/lib/webhooks/intake");
  const intake: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const response = await handleWebhook(
      "razorpay",
      new Request("http://localhost/api/webhooks/razorpay", {
        method: "POST",
        headers,
        body: Buffer.concat(chunks),
      }),
    );
    res.writeHead(response.status, { "content-type": "application/json" });
    res.end(await response.text());
  });
  await new Promise<void>((r) => intake.listen(0, "127.0.0.1", () => r()));
  const port = (intake.address() as AddressInfo).port;
  const intakeUrl = `http://127.0.0.1:${port}/api/webhooks/razorpay`;
  await control("PUT", "/webhook-targets", { razorpay: intakeUrl });

  const inngest = new Inngest({ id: appId, isDev: true, baseUrl: env.INNGEST_BASE_URL });
  const { defineRazorpaySubscriptionEvents } = await import(
    "@/inngest/functions/razorpay-subscription-events"
  );
  const app = await serveApp(inngest, [defineRazorpaySubscriptionEvents(inngest)]);
  await syncApp(env.INNGEST_BASE_URL, app.url);

  return {
    intakeUrl,
    async stop() {
      await control("PUT", "/webhook-targets", { razorpay: null });
      await app.close();
      await new Promise<void>((r) => {
        intake.closeAllConnections();
        intake.close(() => r());
      });
    },
  };
}

/** Deliveries the sandbox sent for this test's subscription events, once our intake took them. */
export async function delivered(event: string, count = 1) {
  return waitFor(
    async () => {
      const list = await control<{
        deliveries: Array<{ id: string; event: string; last_status: number | null; body?: string }>;
      }>("GET", `/deliveries?provider=razorpay&event=${event}&limit=50`);
      const ours = list.json.deliveries.filter((d) => d.last_status === 200);
      return ours.length >= count ? ours : undefined;
    },
    20_000,
    `${event} delivered`,
  );
}

/**
 * The first run of `fn` not in `before` that finished (completed or failed) and, when given, whose
 * output names `event`: a refund's own event can start and finish a run meanwhile.
 */
export async function newRun(fn: string, before: Set<string>, what: string, event?: string) {
  const executorUrl = devstackEnv().INNGEST_BASE_URL;
  return waitFor(
    async () => {
      const done = (await runsOf(executorUrl, fn)).filter(
        (r) => !before.has(r.id) && ["completed", "failed"].includes(r.status),
      );
      for (const r of done) {
        const view = await getJson<RunView>(`${executorUrl}/v1/runs/${r.id}`);
        const output = view.output as { event?: string } | null | undefined;
        if (!event || output?.event === event) return view;
      }
      return undefined;
    },
    30_000,
    what,
  );
}

/** The ids of `fn`'s runs so far, to tell a new run from them. */
export async function runIds(fn: string): Promise<Set<string>> {
  return new Set((await runsOf(devstackEnv().INNGEST_BASE_URL, fn)).map((r) => r.id));
}

/**
 * Replays the delivered `event` whose body holds `needle` straight to the intake, signed, under a
 * new event id (so the intake's dedupe lets it through), and returns the run it started.
 */
export async function replayDelivery(
  harness: RazorpayHarness,
  fn: string,
  event: string,
  needle: string,
) {
  const before = await runIds(fn);
  const delivery = (await delivered(event)).find((d) => d.body?.includes(needle));
  if (!delivery?.body) throw new Error(`no ${event} delivery holding ${needle}`);
  const { razorpaySignature } = await import("@/devstack/sandboxes/signing");
  const secret = devstackEnv().RAZORPAY_WEBHOOK_SECRET ?? "";
  const again = await fetch(harness.intakeUrl, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-razorpay-signature": razorpaySignature(secret, delivery.body),
      "x-razorpay-event-id": `evt_replay_${randomUUID().slice(0, 8)}`,
    },
    body: delivery.body,
  });
  if (again.status !== 200) throw new Error(`the intake answered ${again.status} to the replay`);
  return newRun(fn, before, `the replayed ${event}'s run`, event);
}

/**
 * Subscribes the workspace to Starter through the product's `subscribe`, pays the sandbox's
 * checkout (₹5,898.82 with GST) and waits until that first charge made the subscription active
 * and closed its first invoice: the first paid cycle is running. Returns the Razorpay
 * subscription id.
 */
export async function subscribeAndPayStarter(organizationId: string): Promise<string> {
  const { createAdminClient } = await import("@/lib/supabase/admin");
  const { subscribe } = await import("@/lib/billing/razorpay/subscriptions");
  const { checkoutUrl } = await subscribe(
    await createAdminClient({ reason: "razorpay billing test", organizationId }),
    organizationId,
    "starter",
    "http://localhost:3000/x/settings/billing",
  );
  const [sub] = await asSuperuser<{ razorpay_subscription_id: string }>(
    "select razorpay_subscription_id from public.subscriptions where organization_id = $1",
    [organizationId],
  );
  const paid = await fetch(checkoutUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "amount=589882",
  });
  expect(paid.status).toBe(200);
  await waitFor(
    async () => {
      const [row] = await asSuperuser<{ status: string; n: number }>(
        `select s.status, (select count(*)::int from public.invoices i
                            where i.organization_id = s.organization_id) as n
           from public.subscriptions s where s.organization_id = $1`,
        [organizationId],
      );
      return row?.status === "active" && row.n === 1 ? row : undefined;
    },
    30_000,
    "active with its first invoice",
  );
  return sub!.razorpay_subscription_id;
}
