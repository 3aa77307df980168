import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { control, env, sandbox, startReceiver } from "./helpers";

const rzp = (p: string, init: RequestInit = {}, key = env().RAZORPAY_KEY_SECRET) =>
  fetch(sandbox(`/razorpay${p}`), {
    ...init,
    headers: {
      authorization: `Basic ${Buffer.from(`${env().RAZORPAY_KEY_ID}:${key}`).toString("base64")}`,
      "content-type": "application/json",
    },
  });

describe("Razorpay sandbox", () => {
  const receiver = startReceiver([502, 200]);
  beforeAll(async () => {
    await control("PUT", "/webhook-targets", { razorpay: (await receiver).url });
  });
  afterAll(async () => {
    await control("PUT", "/webhook-targets", { razorpay: null });
    await (await receiver).close();
  });

  it("creates a subscription with key auth and refuses a wrong secret", async () => {
    expect((await rzp("/v1/subscriptions", { method: "POST", body: "{}" }, "wrong")).status).toBe(
      401,
    );
    const bad = await rzp("/v1/subscriptions", {
      method: "POST",
      body: JSON.stringify({ plan_id: "nope" }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe(
      "BAD_REQUEST_ERROR",
    );
  });

  it("a captured subscription payment delivers signed, event-id'd webhooks, retried after a 502 with the same signature", async () => {
    const rx = await receiver;
    const sub = (await (
      await rzp("/v1/subscriptions", {
        method: "POST",
        body: JSON.stringify({
          plan_id: "plan_Team",
          total_count: 12,
          notes: { organization_id: "org-1" },
        }),
      })
    ).json()) as { id: string; status: string };
    expect(sub).toMatchObject({ id: expect.stringMatching(/^sub_/), status: "created" });
    const paid = await control<{ payment: { id: string } }>("POST", "/razorpay/payment-captured", {
      amount: 49900,
      subscription_id: sub.id,
    });
    expect(paid.status).toBe(201);

    // activated (502, then 200), payment.captured, subscription.charged.
    const got = await rx.waitFor(4);
    const [refused, ...rest] = got;
    expect(refused!.answeredWith).toBe(502);
    const retry = rest.find(
      (r) => r.headers["x-razorpay-event-id"] === refused!.headers["x-razorpay-event-id"],
    );
    expect(retry?.answeredWith).toBe(200);
    expect(retry!.raw.equals(refused!.raw)).toBe(true);
    expect(retry!.headers["x-razorpay-signature"]).toBe(refused!.headers["x-razorpay-signature"]);
    for (const r of got) {
      expect(r.headers["x-razorpay-signature"]).toBe(
        createHmac("sha256", env().RAZORPAY_WEBHOOK_SECRET!).update(r.raw).digest("hex"),
      );
      expect(r.headers["x-razorpay-event-id"]).toMatch(/^\w{14}$/);
    }
    const events = got
      .slice(1)
      .map((r) => (JSON.parse(r.raw.toString()) as { event: string }).event)
      .sort();
    expect(events).toEqual(["payment.captured", "subscription.activated", "subscription.charged"]);
    const fetched = (await (await rzp(`/v1/subscriptions/${sub.id}`)).json()) as {
      status: string;
      paid_count: number;
    };
    expect(fetched).toMatchObject({ status: "active", paid_count: 1 });
    const payment = (await (await rzp(`/v1/payments/${paid.json.payment.id}`)).json()) as {
      status: string;
      amount: number;
    };
    expect(payment).toMatchObject({ status: "captured", amount: 49900 });
  });
  it("add-ons: created as documented, refused in another currency or once cancelled, billed on the next charge", async () => {
    const plan = (await (
      await rzp("/v1/plans", {
        method: "POST",
        body: JSON.stringify({
          period: "monthly",
          interval: 1,
          item: { name: "Team", amount: 50000, currency: "INR" },
        }),
      })
    ).json()) as { id: string };
    const sub = (await (
      await rzp("/v1/subscriptions", {
        method: "POST",
        body: JSON.stringify({ plan_id: plan.id, total_count: 12 }),
      })
    ).json()) as { id: string };
    const addon = (body: unknown, id = sub.id) =>
      rzp(`/v1/subscriptions/${id}/addons`, { method: "POST", body: JSON.stringify(body) });

    const usd = await addon({ item: { name: "Extra", amount: 300, currency: "USD" } });
    expect(usd.status).toBe(400);
    expect((await addon({ item: { name: "Extra", currency: "INR" } })).status).toBe(400);
    expect(
      (await addon({ item: { name: "Extra", amount: 300, currency: "INR" } }, "sub_missing"))
        .status,
    ).toBe(400);
    const created = await addon({
      item: { name: "Extra", amount: 3000, currency: "INR", description: "two more" },
      quantity: 2,
    });
    expect(created.status).toBe(200);
    const a = (await created.json()) as Record<string, unknown> & { id: string };
    expect(a).toMatchObject({
      id: expect.stringMatching(/^ao_/),
      entity: "addon",
      quantity: 2,
      subscription_id: sub.id,
      invoice_id: null,
      item: {
        amount: 3000,
        unit_amount: 3000,
        currency: "INR",
        type: "addon",
        description: "two more",
      },
    });
    expect(((await (await rzp(`/v1/addons/${a.id}`)).json()) as { id: string }).id).toBe(a.id);

    // the next charge: plan amount + 2 × 3000, and the add-on now belongs to its invoice
    const paid = await control<{ payment: { amount: number; invoice_id: string } }>(
      "POST",
      "/razorpay/payment-captured",
      { amount: 50000, subscription_id: sub.id },
    );
    expect(paid.json.payment.amount).toBe(56000);
    const billed = (await (await rzp(`/v1/addons/${a.id}`)).json()) as { invoice_id: string };
    expect(billed.invoice_id).toBe(paid.json.payment.invoice_id);
    expect((await rzp(`/v1/addons/${a.id}`, { method: "DELETE" })).status).toBe(400);
    // billed once: the charge after adds nothing
    const again = await control<{ payment: { amount: number } }>(
      "POST",
      "/razorpay/payment-captured",
      {
        amount: 50000,
        subscription_id: sub.id,
      },
    );
    expect(again.json.payment.amount).toBe(50000);

    // a pending add-on can be deleted; none can be added once the subscription is cancelled
    const pending = (await (
      await addon({ item: { name: "Later", amount: 500, currency: "INR" } })
    ).json()) as { id: string };
    expect((await rzp(`/v1/addons/${pending.id}`, { method: "DELETE" })).status).toBe(200);
    expect((await rzp(`/v1/addons/${pending.id}`)).status).toBe(400);
    expect(
      (await rzp(`/v1/subscriptions/${sub.id}/cancel`, { method: "POST", body: "{}" })).status,
    ).toBe(200);
    expect((await addon({ item: { name: "Late", amount: 500, currency: "INR" } })).status).toBe(
      400,
    );
  });
  it("refunds: partial and full refunds of a captured payment, more than is left refused, listed, refund.processed delivered", async () => {
    const captured = await control<{ payment: { id: string } }>(
      "POST",
      "/razorpay/payment-captured",
      { amount: 50000 },
    );
    const pay = captured.json.payment.id;
    const refund = (body: unknown, id = pay) =>
      rzp(`/v1/payments/${id}/refund`, { method: "POST", body: JSON.stringify(body) });

    expect((await refund({ amount: 99 })).status).toBe(400);
    expect((await refund({ amount: 100 }, "pay_missing")).status).toBe(400);
    const partial = await refund({
      amount: 20000,
      speed: "normal",
      notes: { why: "credit" },
      receipt: "r-1",
    });
    expect(partial.status).toBe(200);
    const r = (await partial.json()) as { id: string };
    expect(r).toMatchObject({
      id: expect.stringMatching(/^rfnd_/),
      entity: "refund",
      amount: 20000,
      currency: "INR",
      payment_id: pay,
      notes: { why: "credit" },
      receipt: "r-1",
      status: "processed",
      speed_requested: "normal",
    });
    expect(await (await rzp(`/v1/payments/${pay}`)).json()).toMatchObject({
      status: "captured",
      amount_refunded: 20000,
      refund_status: "partial",
    });
    // more than the 30000 left is refused, and changes nothing
    const over = await refund({ amount: 30001 });
    expect(over.status).toBe(400);
    expect(((await over.json()) as { error: { field: string } }).error.field).toBe("amount");
    // no amount: the rest
    const rest = (await (await refund({})).json()) as { id: string; amount: number };
    expect(rest.amount).toBe(30000);
    expect(await (await rzp(`/v1/payments/${pay}`)).json()).toMatchObject({
      status: "refunded",
      amount_refunded: 50000,
      refund_status: "full",
    });
    expect((await refund({ amount: 100 })).status).toBe(400);

    const list = (await (await rzp(`/v1/payments/${pay}/refunds?count=10`)).json()) as {
      count: number;
      items: Array<{ id: string }>;
    };
    expect(list.items.map((x) => x.id)).toEqual([rest.id, r.id]);
    expect(
      ((await (await rzp(`/v1/payments/${pay}/refunds?count=1&skip=1`)).json()) as typeof list)
        .items[0]?.id,
    ).toBe(r.id);
    expect(
      ((await (await rzp(`/v1/payments/${pay}/refunds/${r.id}`)).json()) as { id: string }).id,
    ).toBe(r.id);
    expect((await rzp(`/v1/refunds/rfnd_missing`)).status).toBe(400);

    // Razorpay tells of each refund: refund.created and refund.processed, with the payment
    const sent = await control<{ deliveries: Array<{ event: string; body?: string }> }>(
      "GET",
      "/deliveries?provider=razorpay&event=refund.processed&limit=50",
    );
    const ours = sent.json.deliveries.filter((d) => d.body?.includes(r.id));
    expect(ours).toHaveLength(1);
    const body = JSON.parse(ours[0]!.body!) as {
      payload: { refund: { entity: { id: string } }; payment: { entity: { id: string } } };
    };
    expect(body.payload.refund.entity.id).toBe(r.id);
    expect(body.payload.payment.entity.id).toBe(pay);

    // a failed payment cannot be refunded
    const plan = (await (
      await rzp("/v1/plans", {
        method: "POST",
        body: JSON.stringify({
          period: "monthly",
          interval: 1,
          item: { name: "Team", amount: 50000, currency: "INR" },
        }),
      })
    ).json()) as { id: string };
    const sub = (await (
      await rzp("/v1/subscriptions", {
        method: "POST",
        body: JSON.stringify({ plan_id: plan.id, total_count: 12 }),
      })
    ).json()) as { id: string };
    const failed = await control<{ payment: { id: string } }>("POST", "/razorpay/payment-failed", {
      subscription_id: sub.id,
    });
    expect((await refund({ amount: 100 }, failed.json.payment.id)).status).toBe(400);
  });

  it("refund controls: the next refund stays pending, then ends processed or failed with Razorpay's webhook, once", async () => {
    const captured = await control<{ payment: { id: string } }>(
      "POST",
      "/razorpay/payment-captured",
      { amount: 50000 },
    );
    const pay = captured.json.payment.id;
    const refund = async (amount: number) =>
      (await (
        await rzp(`/v1/payments/${pay}/refund`, {
          method: "POST",
          body: JSON.stringify({ amount }),
        })
      ).json()) as { id: string; status: string };
    const deliveriesOf = async (event: string, refundId: string) =>
      (
        await control<{ deliveries: Array<{ body?: string }> }>(
          "GET",
          `/deliveries?provider=razorpay&event=${event}&limit=50`,
        )
      ).json.deliveries.filter((d) => d.body?.includes(refundId));

    expect((await control("POST", "/razorpay/refunds-pending", { count: -1 })).status).toBe(400);
    expect((await control("POST", "/razorpay/refunds-pending", { count: 2 })).json).toEqual({
      refunds_pending: 2,
    });
    const a = await refund(10000);
    const b = await refund(20000);
    const c = await refund(5000);
    // two pending (the answer says so), then processed at once again
    expect([a.status, b.status, c.status]).toEqual(["pending", "pending", "processed"]);
    expect(await deliveriesOf("refund.created", a.id)).toHaveLength(1);
    expect(await deliveriesOf("refund.processed", a.id)).toHaveLength(0);
    expect(await (await rzp(`/v1/payments/${pay}`)).json()).toMatchObject({
      amount_refunded: 35000,
    });

    const settle = (refund_id: string, status: string) =>
      control<{ refund: { id: string; status: string }; deliveries: Array<{ event: string }> }>(
        "POST",
        "/razorpay/refund-settled",
        { refund_id, status },
      );
    expect((await settle(a.id, "reversed")).status).toBe(400);
    expect((await settle("rfnd_missing", "processed")).status).toBe(400);
    // processed: refund.processed with the refund and its payment
    const done = await settle(a.id, "processed");
    expect(done.status).toBe(201);
    expect(done.json.refund).toMatchObject({ id: a.id, status: "processed" });
    expect(done.json.deliveries.map((d) => d.event)).toEqual(["refund.processed"]);
    const [processed] = await deliveriesOf("refund.processed", a.id);
    expect(JSON.parse(processed!.body!)).toMatchObject({
      event: "refund.processed",
      contains: ["refund", "payment"],
      payload: {
        refund: { entity: { id: a.id, status: "processed", amount: 10000, payment_id: pay } },
        payment: { entity: { id: pay } },
      },
    });
    // failed: refund.failed, and the amount is refundable on the payment again
    const lost = await settle(b.id, "failed");
    expect(lost.json.deliveries.map((d) => d.event)).toEqual(["refund.failed"]);
    const [failedBody] = await deliveriesOf("refund.failed", b.id);
    expect(JSON.parse(failedBody!.body!)).toMatchObject({
      payload: { refund: { entity: { id: b.id, status: "failed", amount: 20000 } } },
    });
    expect(await (await rzp(`/v1/refunds/${b.id}`)).json()).toMatchObject({ status: "failed" });
    expect(await (await rzp(`/v1/payments/${pay}`)).json()).toMatchObject({
      amount_refunded: 15000,
      refund_status: "partial",
    });
    // settled once: neither can settle again, nor can a processed-at-once refund
    expect((await settle(a.id, "failed")).status).toBe(400);
    expect((await settle(b.id, "processed")).status).toBe(400);
    expect((await settle(c.id, "failed")).status).toBe(400);
  });

  it("payment links: created as documented, one per reference, listed by reference, paid once with payment_link.paid", async () => {
    const reference = `ref-${Date.now()}`;
    const create = (body: unknown) =>
      rzp("/v1/payment_links", { method: "POST", body: JSON.stringify(body) });
    expect((await create({ amount: 99, currency: "INR" })).status).toBe(400);
    const res = await create({
      amount: 14042,
      currency: "INR",
      accept_partial: false,
      reference_id: reference,
      description: "Overage",
      customer: { name: "Asha Rao", email: "billing@acme.test" },
      notify: { email: true, sms: false },
      reminder_enable: true,
      notes: { organization_id: "org-1" },
    });
    expect(res.status).toBe(200);
    const link = (await res.json()) as { id: string; short_url: string };
    expect(link).toMatchObject({
      id: expect.stringMatching(/^plink_/),
      amount: 14042,
      amount_paid: 0,
      status: "created",
      reference_id: reference,
      customer: { email: "billing@acme.test" },
      notes: { organization_id: "org-1" },
      short_url: expect.stringContaining(`/razorpay/pl/`),
    });
    // one link per reference
    expect((await create({ amount: 14042, reference_id: reference })).status).toBe(400);
    const listed = (await (await rzp(`/v1/payment_links?reference_id=${reference}`)).json()) as {
      payment_links: Array<{ id: string }>;
    };
    expect(listed.payment_links.map((l) => l.id)).toEqual([link.id]);
    expect((await rzp("/v1/payment_links/plink_missing")).status).toBe(400);

    // the hosted page, then the payment: payment.captured and payment_link.paid with the link,
    // its order and the payment carrying the link's notes
    const page = await fetch(link.short_url);
    expect(await page.text()).toContain('data-testid="sandbox-link-pay"');
    const paid = await fetch(link.short_url, { method: "POST" });
    expect(paid.status).toBe(200);
    const fetched = (await (await rzp(`/v1/payment_links/${link.id}`)).json()) as {
      status: string;
      amount_paid: number;
      payments: Array<{ payment_id: string }>;
    };
    expect(fetched).toMatchObject({ status: "paid", amount_paid: 14042 });
    const paymentId = fetched.payments[0]!.payment_id;
    const sent = await control<{ deliveries: Array<{ body?: string }> }>(
      "GET",
      "/deliveries?provider=razorpay&event=payment_link.paid&limit=50",
    );
    const ours = sent.json.deliveries.filter((d) => d.body?.includes(link.id));
    expect(ours).toHaveLength(1);
    expect(JSON.parse(ours[0]!.body!)).toMatchObject({
      event: "payment_link.paid",
      contains: ["payment_link", "order", "payment"],
      payload: {
        payment_link: { entity: { id: link.id, status: "paid", reference_id: reference } },
        payment: { entity: { id: paymentId, amount: 14042, notes: { organization_id: "org-1" } } },
      },
    });
    // paid once
    expect((await fetch(link.short_url, { method: "POST" })).status).toBe(400);
    expect((await control("POST", "/razorpay/payment-link-paid", { id: link.id })).status).toBe(
      400,
    );
  });
});
