import { describe, expect, it, vi } from "vitest";
import { matchCel } from "@/devstack/executor/cel";

vi.mock("server-only", () => ({}));

/**
 * Which consumers of `webhook/delivery.received` a delivery starts: the trigger `if`
 * expressions, evaluated with the devstack executor's CEL (the subset Inngest documents). Before
 * these filters every delivery started every consumer, which then returned "ignored": an executor
 * row and an HTTP call into the app each, for nothing.
 */

const [{ ingestSupportTicket }, { recordGithubPush }, { processWebhookDelivery }] =
  await Promise.all([
    import("@/inngest/functions/ingest-support-ticket"),
    import("@/inngest/functions/record-github-push"),
    import("@/inngest/functions/process-webhook-delivery"),
  ]);

type Fn = { opts: { triggers?: Array<{ event?: unknown; if?: string }> } };

/** True when `fn` would start a run for a delivery of `provider`/`eventType`. */
function starts(fn: unknown, provider: string, eventType: string): boolean {
  const triggers = (fn as Fn).opts.triggers ?? [];
  const event = { name: "webhook/delivery.received", data: { provider, eventType } };
  return triggers.some((t) => {
    const name = typeof t.event === "string" ? t.event : (t.event as { name: string }).name;
    return name === event.name && (!t.if || matchCel(t.if, { event }));
  });
}

const deliveries: Array<[string, string]> = [
  ["zendesk", "zen:event-type:ticket.created"],
  ["zendesk", "zen:event-type:ticket.comment_added"],
  ["intercom", "conversation.user.created"],
  ["github", "push"],
  ["github", "installation"],
  ["razorpay", "payment.captured"],
];

describe("webhook delivery consumers", () => {
  it.each(deliveries)("a %s %s delivery starts only the consumers that use it", (p, type) => {
    expect(starts(processWebhookDelivery, p, type)).toBe(true);
    expect(starts(ingestSupportTicket, p, type)).toBe(p === "zendesk" || p === "intercom");
    expect(starts(recordGithubPush, p, type)).toBe(p === "github" && type === "push");
  });
});
