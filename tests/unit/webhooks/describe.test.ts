import { describe, expect, it } from "vitest";
import { webhookDeliveryReceivedData } from "@/inngest/events";
import { readRawBody } from "@/lib/webhooks/body";
import {
  describeGithub,
  describeIntercom,
  describeRazorpay,
  describeZendesk,
} from "@/lib/webhooks/describe";

/** What the ledger records of a verified delivery: dedupe key, type, tenant key, kept payload. */

const headers = (h: Record<string, string>) => new Headers(h);
const SHA = "a".repeat(40);

describe("describe deliveries", () => {
  it("GitHub: the delivery header is the key, the installation the tenant, commits are dropped", () => {
    const out = describeGithub(
      {
        ref: "refs/heads/main",
        before: SHA,
        after: SHA,
        installation: { id: 42 },
        repository: { id: 7, full_name: "acme/shop", default_branch: "main" },
        commits: [{ message: "ticket text must not travel" }],
        sender: { login: "someone" },
      },
      headers({ "x-github-delivery": "d-1", "x-github-event": "push" }),
    );
    expect(out.ok && out.delivery).toMatchObject({
      providerEventId: "d-1",
      eventType: "push",
      tenant: { kind: "account", externalAccountId: "42" },
      ignoredReason: null,
    });
    expect(out.ok && JSON.stringify(out.delivery.payload)).not.toContain("ticket text");
  });

  it("GitHub: action joins the type; ping and unknown events are ignored; headers are required", () => {
    const h = (event: string) => headers({ "x-github-delivery": "d", "x-github-event": event });
    const pr = describeGithub({ action: "opened", installation: { id: 1 } }, h("pull_request"));
    expect(pr.ok && pr.delivery.eventType).toBe("pull_request.opened");
    const ping = describeGithub({ zen: "hi", hook_id: 1 }, h("ping"));
    expect(ping.ok && ping.delivery).toMatchObject({
      ignoredReason: "ping",
      tenant: { kind: "none" },
    });
    const star = describeGithub({ action: "created", installation: { id: 1 } }, h("star"));
    expect(star.ok && star.delivery.ignoredReason).toBe("unsupported_event");
    expect(describeGithub({}, headers({ "x-github-event": "push" })).ok).toBe(false);
    expect(describeGithub({}, headers({ "x-github-delivery": "d" })).ok).toBe(false);
  });

  it("Zendesk: body id is the key; only ticket events are processed", () => {
    const body = { id: "z-1", type: "zen:event-type:ticket.created", detail: { id: "35" } };
    const out = describeZendesk(body);
    expect(out.ok && out.delivery).toMatchObject({
      providerEventId: "z-1",
      tenant: { kind: "resolved" },
      ignoredReason: null,
    });
    const user = describeZendesk({ id: "z-2", type: "zen:event-type:user.created" });
    expect(user.ok && user.delivery.ignoredReason).toBe("unsupported_event");
    expect(describeZendesk({ type: "zen:event-type:ticket.created" }).ok).toBe(false);
  });

  it("Intercom: body id is the key, app_id the tenant; ping is ignored", () => {
    const base = { type: "notification_event", app_id: "app1", id: "notif_1" };
    const conv = describeIntercom({ ...base, topic: "conversation.user.replied" });
    expect(conv.ok && conv.delivery).toMatchObject({
      providerEventId: "notif_1",
      tenant: { kind: "account", externalAccountId: "app1" },
      ignoredReason: null,
    });
    const ping = describeIntercom({ ...base, topic: "ping" });
    expect(ping.ok && ping.delivery.ignoredReason).toBe("ping");
    expect(describeIntercom({ ...base, type: "other", topic: "ping" }).ok).toBe(false);
  });

  it("Razorpay: the event id header is the key, notes.organization_id the tenant", () => {
    const org = "3f1c9a2e-8b7d-4c6e-9f0a-1b2c3d4e5f60";
    const body = (notes: unknown) => ({
      entity: "event",
      account_id: "acc_1",
      event: "subscription.charged",
      contains: ["subscription", "payment"],
      payload: {
        subscription: { entity: { id: "sub_1", notes } },
        payment: { entity: { id: "pay_1", notes: [] } },
      },
      created_at: 1,
    });
    const h = headers({ "x-razorpay-event-id": "evt_1" });
    const known = describeRazorpay(body({ organization_id: org }), h);
    expect(known.ok && known.delivery).toMatchObject({
      providerEventId: "evt_1",
      tenant: { kind: "organization", organizationId: org },
    });
    for (const notes of [[], {}, { organization_id: "not-a-uuid" }]) {
      const out = describeRazorpay(body(notes), h);
      expect(out.ok && out.delivery.tenant).toEqual({ kind: "none" });
    }
    expect(describeRazorpay(body({}), headers({})).ok).toBe(false);
  });

  it("a described payload is a valid event payload (the schemas agree)", () => {
    const out = describeIntercom({
      type: "notification_event",
      app_id: "a",
      id: "notif_2",
      topic: "conversation.admin.replied",
      data: { item: { id: "1" } },
    });
    if (!out.ok || out.delivery.provider !== "intercom") throw new Error("not described");
    const parsed = webhookDeliveryReceivedData.safeParse({
      provider: "intercom",
      organizationId: "3f1c9a2e-8b7d-4c6e-9f0a-1b2c3d4e5f60",
      deliveryId: "4f1c9a2e-8b7d-4c6e-9f0a-1b2c3d4e5f60",
      integrationId: null,
      providerEventId: out.delivery.providerEventId,
      eventType: out.delivery.eventType,
      payload: out.delivery.payload,
    });
    expect(parsed.success).toBe(true);
  });
});

describe("readRawBody", () => {
  const req = (body: BodyInit, h: Record<string, string> = {}) =>
    new Request("http://x/", { method: "POST", body, headers: h, duplex: "half" } as RequestInit);

  it("returns the exact bytes under the limit", async () => {
    const bytes = Buffer.from([0, 255, 10, 13, 32]);
    const out = await readRawBody(req(bytes), 5);
    expect(out.ok && out.body.equals(bytes)).toBe(true);
  });

  it("refuses a declared length over the limit, and a stream that grows past it", async () => {
    expect(await readRawBody(req("123456", { "content-length": "6" }), 5)).toEqual({
      ok: false,
      reason: "too_large",
    });
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new Uint8Array(4));
        c.enqueue(new Uint8Array(4));
        c.close();
      },
    });
    expect(await readRawBody(req(stream), 5)).toEqual({ ok: false, reason: "too_large" });
  });
});
