import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  asSuperuser,
  buildWebhookWorld,
  closeFixtureDb,
  githubPush,
  ledgerRows,
  type SignedDelivery,
  type WebhookWorld,
} from "@/scripts/lib/webhook-fixtures";
import { useDevstackAppEnv } from "@/supabase/tests/helpers/app-env";
import { devstackEnv } from "@/tests/helpers/devstack-env";

vi.mock("server-only", () => ({}));

/**
 * The intake in-process against the devstack, with the Inngest event API behind a switch: when
 * the event cannot be sent the delivery is still acknowledged and stays pending with its event
 * data; a redelivery sends it and marks it sent; the stored event data is exactly what a re-send
 * needs (it parses against the event schema and names the row). The Supabase REST gateway is
 * behind a counting proxy too: deliveries that arrive together are recorded in one round trip.
 */

let world: WebhookWorld;
let proxy: Server;
let restProxy: Server;
/** Paths of the intake's requests to the REST gateway. */
const restCalls: string[] = [];
let failing = false;
const received: Array<{ id?: string; name: string }> = [];
let intake: typeof import("@/lib/webhooks/intake");
let importedAt: Date;
let events: typeof import("@/inngest/events");

beforeAll(async () => {
  proxy = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (failing) {
      res.writeHead(503).end("down");
      return;
    }
    const body = Buffer.concat(chunks).toString("utf8");
    for (const e of JSON.parse(body) as Array<{ id?: string; name: string }>) received.push(e);
    const upstream = await fetch(`${devstackEnv().INNGEST_BASE_URL}${req.url}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    res.writeHead(upstream.status, { "content-type": "application/json" });
    res.end(await upstream.text());
  });
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", () => r()));
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  useDevstackAppEnv();
  const gateway = devstackEnv().API_URL;
  restProxy = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    restCalls.push(req.url ?? "");
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(
        (e): e is [string, string] => typeof e[1] === "string" && e[0] !== "host",
      ),
    );
    const upstream = await fetch(`${gateway}${req.url}`, {
      method: req.method,
      headers,
      body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
    });
    res.writeHead(upstream.status, {
      "content-type": upstream.headers.get("content-type") ?? "application/json",
    });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((r) => restProxy.listen(0, "127.0.0.1", () => r()));
  process.env.NEXT_PUBLIC_SUPABASE_URL = `http://127.0.0.1:${(restProxy.address() as AddressInfo).port}`;
  process.env.INNGEST_DEV = url;
  process.env.INNGEST_BASE_URL = url;
  process.env.GITHUB_WEBHOOK_SECRET ??= "sbx_gh_whsec_in_process";
  process.env.ENCRYPTION_KEYS ??= `k1:${Buffer.alloc(32, 7).toString("base64")}`;
  importedAt = new Date(Date.now() - 1000);
  intake = await import("@/lib/webhooks/intake");
  events = await import("@/inngest/events");
  world = await buildWebhookWorld("fault");
}, 60_000);

afterAll(async () => {
  await new Promise((r) => proxy.close(r));
  restProxy.closeAllConnections();
  await new Promise((r) => restProxy.close(r));
  await closeFixtureDb();
});

function request(d: SignedDelivery): Request {
  return new Request(`http://localhost/api/webhooks/${d.provider}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...d.headers },
    body: d.body,
  });
}

describe("intake when the event cannot be sent", () => {
  it("acknowledges, keeps the delivery pending with a re-sendable event, and a redelivery sends it", async () => {
    const d = githubPush(world.github.installationId);
    failing = true;
    const res = await intake.handleWebhook("github", request(d));
    expect(res.status).toBe(200);
    const [pending] = await ledgerRows("github", d.eventId);
    expect(pending).toMatchObject({ status: "pending" });
    const [{ send_attempts } = { send_attempts: -1 }] = await asSuperuser<{
      send_attempts: number;
    }>("select send_attempts from public.webhook_deliveries where id = $1", [pending?.id]);
    expect(send_attempts).toBe(1);
    const data = events.webhookDeliveryReceivedData.parse(pending?.event_data);
    expect(data).toMatchObject({
      provider: "github",
      deliveryId: pending?.id,
      organizationId: world.organizationId,
      integrationId: world.github.integrationId,
      eventType: "push",
    });

    failing = false;
    const again = await intake.handleWebhook("github", request(d));
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    const [sent] = await ledgerRows("github", d.eventId);
    expect(sent?.status === "sent" || sent?.status === "processed").toBe(true);
    expect(sent?.event_data).toBeNull();
    expect(received.filter((e) => e.id === `webhook-delivery:${pending?.id}`)).toHaveLength(1);
  });

  it("a sent delivery's duplicate sends nothing", async () => {
    const d = githubPush(world.github.installationId);
    await intake.handleWebhook("github", request(d));
    const before = received.length;
    const again = await intake.handleWebhook("github", request(d));
    expect(again.status).toBe(200);
    expect(received.length).toBe(before);
  });

  it("a forged delivery sends nothing and writes nothing", async () => {
    const d = githubPush(world.github.installationId, "not-the-secret");
    const before = received.length;
    const res = await intake.handleWebhook("github", request(d));
    expect(res.status).toBe(401);
    expect(received.length).toBe(before);
    expect(await ledgerRows("github", d.eventId)).toEqual([]);
  });
});

describe("deliveries that arrive together", () => {
  it("are recorded in one round trip, each once; concurrent copies of one make one row", async () => {
    const ds = Array.from({ length: 6 }, () => githubPush(world.github.installationId));
    const first = ds[0] as SignedDelivery;
    const before = restCalls.length;
    const answers = await Promise.all(
      [...ds, first, first].map(async (d) => {
        const res = await intake.handleWebhook("github", request(d));
        return { status: res.status, body: (await res.json()) as { duplicate?: boolean } };
      }),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    // of the three copies of the first delivery, exactly one was new
    const firstAnswers = [answers[0], answers[6], answers[7]];
    expect(firstAnswers.filter((a) => a?.body.duplicate !== true)).toHaveLength(1);
    for (const d of ds) {
      const rows = await ledgerRows("github", d.eventId);
      expect(rows).toHaveLength(1);
      expect(["sent", "processed"]).toContain(rows[0]?.status);
    }
    const records = restCalls
      .slice(before)
      .filter((p) => p.startsWith("/rest/v1/rpc/record_webhook_deliver"));
    expect(records.some((p) => p.startsWith("/rest/v1/rpc/record_webhook_deliveries"))).toBe(true);
    expect(records.length).toBeLessThan(8);
  });
});

describe("the intake's admin client is audited", () => {
  it("its use is recorded in audit_log once for this process, however many deliveries it handled", async () => {
    const d = githubPush(world.github.installationId);
    expect((await intake.handleWebhook("github", request(d))).status).toBe(200);
    const uses = await asSuperuser<{ organization_id: string | null; scope: string }>(
      `select organization_id, metadata->>'scope' as scope from public.audit_log
        where action = 'admin_client.used' and metadata->>'reason' = 'webhook-intake'
          and created_at >= $1`,
      [importedAt],
    );
    // this file handled fourteen deliveries; other test files do not run the intake meanwhile
    expect(uses).toEqual([{ organization_id: null, scope: "webhook-intake" }]);
  });
});
