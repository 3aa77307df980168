import { describe, expect, it } from "vitest";
import type { WebhookDeliveryReceivedData } from "@/inngest/events";
import { ticketIdOf } from "@/lib/pipeline/jobs/provider-tickets";
import { threadFingerprint } from "@/lib/pipeline/jobs/ticket-store";
import type { NormalizedTicket } from "@/lib/pipeline/tickets";

const common = {
  organizationId: "00000000-0000-4000-8000-000000000001",
  deliveryId: "00000000-0000-4000-8000-000000000002",
  integrationId: "00000000-0000-4000-8000-000000000003",
  providerEventId: "e1",
};

describe("ticketIdOf", () => {
  it("reads the Zendesk ticket id from the detail, or from the event subject", () => {
    const zd = (
      detail: Record<string, unknown> | undefined,
      subject?: string,
      type = "zen:event-type:ticket.created",
    ) =>
      ({
        ...common,
        provider: "zendesk",
        eventType: type,
        payload: { id: "e1", type, detail, subject },
      }) as WebhookDeliveryReceivedData;
    expect(ticketIdOf(zd({ id: "35" }))).toBe("35");
    expect(ticketIdOf(zd({ id: 36 }))).toBe("36");
    expect(ticketIdOf(zd(undefined, "zen:ticket:37"))).toBe("37");
    // never a path or a query smuggled into the provider URL
    expect(ticketIdOf(zd({ id: "35/../../users/me" }))).toBeNull();
    expect(ticketIdOf(zd({ id: "35" }, undefined, "zen:event-type:user.created"))).toBeNull();
  });

  it("reads the Intercom conversation id; ignores GitHub and Razorpay", () => {
    const ic = {
      ...common,
      provider: "intercom",
      eventType: "conversation.user.created",
      payload: {
        type: "notification_event",
        id: "n1",
        topic: "conversation.user.created",
        app_id: "a",
        data: { item: { id: "123" } },
      },
    } as WebhookDeliveryReceivedData;
    expect(ticketIdOf(ic)).toBe("123");
    const gh = {
      ...common,
      provider: "github",
      eventType: "push",
      payload: {},
    } as WebhookDeliveryReceivedData;
    expect(ticketIdOf(gh)).toBeNull();
  });
});

describe("threadFingerprint", () => {
  const base: NormalizedTicket = {
    provider: "zendesk",
    externalId: "1",
    subject: "S",
    tags: [],
    requester: { externalId: null, name: null },
    channel: null,
    language: null,
    assignedTeam: null,
    createdAt: "2026-12-01T10:00:00.000Z",
    messages: [
      {
        id: "m1",
        authorRole: "customer",
        public: true,
        origin: "person",
        createdAt: "2026-12-01T10:00:00.000Z",
        body: "hello",
        attachments: [],
      },
    ],
    droppedInternalNotes: 0,
    truncation: null,
  };
  it("is stable for the same thread and changes with a new comment", () => {
    expect(threadFingerprint(base)).toBe(threadFingerprint(structuredClone(base)));
    const replied = structuredClone(base);
    replied.messages.push({ ...base.messages[0]!, id: "m2", body: "more" });
    expect(threadFingerprint(replied)).not.toBe(threadFingerprint(base));
  });
});
