import { describe, expect, it, vi } from "vitest";
import { matchCel } from "@/devstack/executor/cel";

vi.mock("server-only", () => ({}));

/** Which Razorpay deliveries start `razorpay-subscription-events` (the executor's CEL). */

const { razorpaySubscriptionEvents } = await import(
  "@/inngest/functions/razorpay-subscription-events"
);
type Fn = { opts: { triggers?: Array<{ if?: string }> } };
const expr = (razorpaySubscriptionEvents as unknown as Fn).opts.triggers?.[0]?.if ?? "";
const starts = (provider: string, eventType: string) =>
  matchCel(expr, { event: { name: "webhook/delivery.received", data: { provider, eventType } } });

describe("razorpay-subscription-events trigger", () => {
  it.each([
    "subscription.activated",
    "subscription.charged",
    "subscription.pending",
    "subscription.halted",
    "subscription.cancelled",
    "payment.failed",
    "refund.processed",
    "refund.failed",
    "payment_link.paid",
  ])("starts on Razorpay %s", (type) => {
    expect(starts("razorpay", type)).toBe(true);
  });

  it("does not start on payment.captured, other providers or look-alike names", () => {
    expect(starts("razorpay", "payment.captured")).toBe(false);
    expect(starts("razorpay", "subscription.updated")).toBe(false);
    // the refund-credit step stored Razorpay's answer: refund.created moves nothing
    expect(starts("razorpay", "refund.created")).toBe(false);
    expect(starts("razorpay", "payment_link.partially_paid")).toBe(false);
    expect(starts("github", "subscription.charged")).toBe(false);
  });
});
