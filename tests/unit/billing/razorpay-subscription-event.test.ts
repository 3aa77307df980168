import { describe, expect, it } from "vitest";
import {
  addMonth,
  isNewer,
  subscriptionEventEffect,
} from "@/lib/billing/razorpay/subscription-event";
import type { RazorpayPayload } from "@/lib/webhooks/payloads";

const T = 1_796_000_000; // unix seconds
const sub = (extra: Record<string, unknown> = {}) => ({
  entity: { id: "sub_AAAAAAAAAAAAAA", plan_id: "plan_X", status: "active", ...extra },
});
const pay = (extra: Record<string, unknown> = {}) => ({
  entity: {
    id: "pay_BBBBBBBBBBBBBB",
    amount: 589882,
    currency: "INR",
    invoice_id: "inv_C",
    ...extra,
  },
});
function payload(event: string, parts: RazorpayPayload["payload"], createdAt = T): RazorpayPayload {
  return {
    entity: "event",
    account_id: "acc_1",
    event,
    contains: Object.keys(parts),
    payload: parts,
    created_at: createdAt,
  };
}

describe("subscriptionEventEffect", () => {
  it("activated: active, with Razorpay's cycle", () => {
    const e = subscriptionEventEffect(
      payload("subscription.activated", {
        subscription: sub({ current_start: T, current_end: T + 86_400 * 30 }),
      }),
    );
    expect(e).toMatchObject({
      status: "active",
      subscriptionId: "sub_AAAAAAAAAAAAAA",
      charge: null,
    });
    expect(e?.period).toEqual({
      start: new Date(T * 1000),
      end: new Date((T + 86_400 * 30) * 1000),
    });
  });

  it("charged: active, clears the action, carries the charge; a missing cycle end is a month", () => {
    const e = subscriptionEventEffect(
      payload("subscription.charged", { subscription: sub({ current_start: T }), payment: pay() }),
    );
    expect(e?.status).toBe("active");
    expect(e?.action).toEqual({ clear: true });
    expect(e?.charge).toEqual({
      paymentId: "pay_BBBBBBBBBBBBBB",
      razorpayInvoiceId: "inv_C",
      amountMinor: 589882,
      currency: "INR",
    });
    expect(e?.period?.end).toEqual(addMonth(new Date(T * 1000)));
  });

  it("pending and payment.failed ask for a new card; halted says halted; cancelled clears", () => {
    expect(
      subscriptionEventEffect(payload("subscription.pending", { subscription: sub() })),
    ).toMatchObject({
      status: "pending",
      action: { set: "payment_failed" },
    });
    expect(subscriptionEventEffect(payload("payment.failed", { payment: pay() }))).toMatchObject({
      status: null,
      action: { set: "payment_failed" },
    });
    expect(
      subscriptionEventEffect(payload("subscription.halted", { subscription: sub() })),
    ).toMatchObject({
      status: "halted",
      action: { set: "halted" },
    });
    expect(
      subscriptionEventEffect(payload("subscription.cancelled", { subscription: sub() })),
    ).toMatchObject({
      status: "cancelled",
      action: { clear: true },
    });
  });

  it("ignores events billing does not handle and entities of the wrong shape", () => {
    expect(subscriptionEventEffect(payload("payment.captured", { payment: pay() }))).toBeNull();
    expect(
      subscriptionEventEffect(payload("subscription.charged", { subscription: sub() })),
    ).toBeNull();
    expect(
      subscriptionEventEffect(
        payload("subscription.activated", { subscription: { entity: { id: 7 } } }),
      ),
    ).toBeNull();
  });
});

describe("isNewer", () => {
  it("applies the first event, a newer one and one of the same second; refuses an older one", () => {
    const at = new Date(T * 1000);
    expect(isNewer(at, null)).toBe(true);
    expect(isNewer(new Date((T + 1) * 1000), at)).toBe(true);
    expect(isNewer(at, at)).toBe(true);
    expect(isNewer(new Date((T - 1) * 1000), at)).toBe(false);
  });
});

describe("addMonth", () => {
  it("moves the calendar month in UTC", () => {
    expect(addMonth(new Date("2026-12-06T10:00:00Z")).toISOString()).toBe(
      "2027-01-06T10:00:00.000Z",
    );
  });
});
