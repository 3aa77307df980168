import { describe, expect, it } from "vitest";
import { paymentLinkPaidEffect } from "@/lib/billing/razorpay/payment-link-event";
import type { RazorpayPayload } from "@/lib/webhooks/payloads";

/** `payment_link.paid` as Razorpay's sample payload shapes it (docs/billing.md "An add-on pending at cancellation"). */

const T = 1_796_000_000;
const link = (extra: Record<string, unknown> = {}) => ({
  entity: {
    id: "plink_KBnb7I424Rc1R9",
    amount: 14042,
    amount_paid: 14042,
    currency: "INR",
    reference_id: "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9",
    status: "paid",
    notes: { organization_id: "x" },
    ...extra,
  },
});
const payment = (extra: Record<string, unknown> = {}) => ({
  entity: {
    id: "pay_LinkPaid000001",
    amount: 14042,
    currency: "INR",
    status: "captured",
    ...extra,
  },
});
const order = { entity: { id: "order_1", amount: 14042, status: "paid" } };
const payload = (event: string, parts: RazorpayPayload["payload"]): RazorpayPayload => ({
  entity: "event",
  account_id: "acc_1",
  event,
  contains: Object.keys(parts),
  payload: parts,
  created_at: T,
});

describe("paymentLinkPaidEffect", () => {
  it("the link, its reference, the payment and when", () => {
    expect(
      paymentLinkPaidEffect(
        payload("payment_link.paid", { payment_link: link(), order, payment: payment() }),
      ),
    ).toEqual({
      eventAt: new Date(T * 1000),
      paymentLinkId: "plink_KBnb7I424Rc1R9",
      referenceId: "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9",
      paymentId: "pay_LinkPaid000001",
      amountMinor: 14042,
    });
  });

  it("ignores other events, a partial payment, an unpaid link, a payment not captured or a malformed entity", () => {
    const ok = { payment_link: link(), order, payment: payment() };
    expect(paymentLinkPaidEffect(payload("payment_link.partially_paid", ok))).toBeNull();
    expect(
      paymentLinkPaidEffect(
        payload("payment_link.paid", { ...ok, payment_link: link({ amount_paid: 100 }) }),
      ),
    ).toBeNull();
    expect(
      paymentLinkPaidEffect(
        payload("payment_link.paid", { ...ok, payment_link: link({ status: "created" }) }),
      ),
    ).toBeNull();
    expect(
      paymentLinkPaidEffect(
        payload("payment_link.paid", { ...ok, payment: payment({ status: "failed" }) }),
      ),
    ).toBeNull();
    expect(
      paymentLinkPaidEffect(
        payload("payment_link.paid", { ...ok, payment_link: link({ id: "" }) }),
      ),
    ).toBeNull();
    expect(
      paymentLinkPaidEffect(payload("payment_link.paid", { order, payment: payment() })),
    ).toBeNull();
  });
});
