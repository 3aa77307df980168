import { describe, expect, it } from "vitest";
import { refundNote, refundStatusStep } from "@/lib/billing/credit-refund";
import { refundEventEffect } from "@/lib/billing/razorpay/refund-event";
import type { RazorpayPayload } from "@/lib/webhooks/payloads";

/** Razorpay's refund deliveries (docs/billing.md "Refund status"), shaped as its sample payloads. */

const T = 1_796_000_000;
const refund = (extra: Record<string, unknown> = {}) => ({
  entity: {
    id: "rfnd_FS8TWyPrCsa0OB",
    entity: "refund",
    amount: 28084,
    currency: "INR",
    payment_id: "pay_FPoJKWQQ8lK13n",
    notes: { patchline_invoice: "patchline-invoice:x" },
    receipt: null,
    acquirer_data: { arn: null },
    created_at: T - 60,
    batch_id: null,
    status: "processed",
    speed_processed: "normal",
    speed_requested: "normal",
    ...extra,
  },
});
const payment = { entity: { id: "pay_FPoJKWQQ8lK13n", amount: 589882, currency: "INR" } };
function payload(event: string, parts: RazorpayPayload["payload"]): RazorpayPayload {
  return {
    entity: "event",
    account_id: "acc_1",
    event,
    contains: Object.keys(parts),
    payload: parts,
    created_at: T,
  };
}

describe("refundEventEffect", () => {
  it("refund.processed: the refund, its payment, amount and when", () => {
    expect(refundEventEffect(payload("refund.processed", { refund: refund(), payment }))).toEqual({
      event: "refund.processed",
      eventAt: new Date(T * 1000),
      refundId: "rfnd_FS8TWyPrCsa0OB",
      paymentId: "pay_FPoJKWQQ8lK13n",
      amountMinor: 28084,
      status: "processed",
    });
  });

  it("refund.failed: failed; empty notes sent as [] are read", () => {
    expect(
      refundEventEffect(
        payload("refund.failed", { refund: refund({ status: "failed", notes: [] }), payment }),
      ),
    ).toMatchObject({ event: "refund.failed", status: "failed", refundId: "rfnd_FS8TWyPrCsa0OB" });
  });

  it("ignores refund.created, other events, an entity that disagrees with the event or is malformed", () => {
    expect(refundEventEffect(payload("refund.created", { refund: refund(), payment }))).toBeNull();
    expect(refundEventEffect(payload("payment.captured", { payment }))).toBeNull();
    expect(
      refundEventEffect(payload("refund.failed", { refund: refund({ status: "processed" }) })),
    ).toBeNull();
    expect(
      refundEventEffect(payload("refund.processed", { refund: refund({ status: "pending" }) })),
    ).toBeNull();
    expect(
      refundEventEffect(payload("refund.processed", { refund: refund({ amount: -1 }) })),
    ).toBeNull();
    expect(
      refundEventEffect(payload("refund.processed", { refund: refund({ id: "" }) })),
    ).toBeNull();
    expect(refundEventEffect(payload("refund.processed", { payment }))).toBeNull();
  });
});

describe("refundStatusStep", () => {
  it("only a pending refund moves: processed is recorded, a failed first attempt is retried, a failed retry is final", () => {
    expect(refundStatusStep({ status: "pending", attempt: 1 }, "processed")).toBe("processed");
    expect(refundStatusStep({ status: "pending", attempt: 2 }, "processed")).toBe("processed");
    expect(refundStatusStep({ status: "pending", attempt: 1 }, "failed")).toBe("retry");
    expect(refundStatusStep({ status: "pending", attempt: 2 }, "failed")).toBe("final");
  });

  it("a processed or failed refund is final: a replayed or late event changes nothing", () => {
    for (const status of ["processed", "failed"] as const) {
      for (const attempt of [1, 2] as const) {
        for (const incoming of ["processed", "failed"] as const) {
          expect(refundStatusStep({ status, attempt }, incoming)).toBe("unchanged");
        }
      }
    }
  });
});

describe("refundNote", () => {
  it("says what happened and, for a failure, what Patchline does", () => {
    expect(refundNote("₹280.84", "processed", 1)).toBe(
      "₹280.84 refunded to the card/payment (credits above the overage)",
    );
    expect(refundNote("₹280.84", "pending", 1)).toBe(
      "₹280.84 refund pending with the bank (credits above the overage)",
    );
    expect(refundNote("₹280.84", "failed", 1)).toBe(
      "Refund of ₹280.84 failed: Patchline is trying it once more",
    );
    expect(refundNote("₹280.84", "failed", 2)).toBe(
      "Refund of ₹280.84 failed twice: we will pay it back to the billing contact by bank transfer",
    );
  });
});
