import { z } from "zod";
import type { WebhookDeliveryReceivedData } from "@/inngest/events";
import { zendeskBaseUrl } from "@/lib/integrations/zendesk/client-config";
import { fromIntercom, fromZendesk, type NormalizedTicket } from "../tickets";

/**
 * Reads a ticket's current state from the provider's API (the webhook body is a notification,
 * not the thread): Zendesk `GET /api/v2/tickets/{id}.json` and `/comments.json?include=users`,
 * Intercom `GET /conversations/{id}`. The converters in `lib/pipeline/tickets` normalize it and
 * drop internal notes before anything is stored.
 */

export class ProviderFetchError extends Error {
  constructor(
    message: string,
    /** 4xx other than 429: retrying will not help (the ticket was deleted, access revoked). */
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = "ProviderFetchError";
  }
}

/** Which ticket a support delivery is about, or null when it is not about a ticket. */
export function ticketIdOf(data: WebhookDeliveryReceivedData): string | null {
  if (data.provider === "zendesk") {
    if (!data.eventType.startsWith("zen:event-type:ticket.")) return null;
    const fromDetail = data.payload.detail?.id;
    if (typeof fromDetail === "string" || typeof fromDetail === "number") {
      return /^\d{1,20}$/.test(String(fromDetail)) ? String(fromDetail) : null;
    }
    const m = /^zen:ticket:(\d{1,20})$/.exec(data.payload.subject ?? "");
    return m?.[1] ?? null;
  }
  if (data.provider === "intercom") {
    if (!data.eventType.startsWith("conversation.")) return null;
    const id = data.payload.data?.item?.id;
    return typeof id === "string" || typeof id === "number"
      ? /^[A-Za-z0-9_-]{1,64}$/.test(String(id))
        ? String(id)
        : null
      : null;
  }
  return null;
}

async function getJson(url: string, token: string, what: string): Promise<unknown> {
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${token}`, accept: "application/json" },
    signal: AbortSignal.timeout(15_000),
  });
  if (!res.ok) {
    // the status only: provider error bodies can echo request details
    const permanent = res.status >= 400 && res.status < 500 && res.status !== 429;
    throw new ProviderFetchError(`${what} answered HTTP ${res.status}`, permanent);
  }
  return res.json();
}

const zendeskTicketResponse = z.looseObject({ ticket: z.looseObject({}) });
const zendeskCommentsResponse = z.looseObject({
  comments: z.array(z.looseObject({})),
  users: z.array(z.looseObject({})).optional(),
  next_page: z.string().nullish(),
});

/** The Zendesk ticket with every comment (following pages) and the comment authors. */
export async function fetchZendeskTicket(
  baseUrlTemplate: string,
  subdomain: string,
  token: string,
  ticketId: string,
): Promise<NormalizedTicket> {
  const base = zendeskBaseUrl(baseUrlTemplate, subdomain);
  const { ticket } = zendeskTicketResponse.parse(
    await getJson(`${base}/api/v2/tickets/${ticketId}.json`, token, "Zendesk ticket"),
  );
  const comments: unknown[] = [];
  const users: unknown[] = [];
  let url: string | null = `${base}/api/v2/tickets/${ticketId}/comments.json?include=users`;
  for (let page = 0; url && page < 50; page++) {
    const body = zendeskCommentsResponse.parse(await getJson(url, token, "Zendesk comments"));
    comments.push(...body.comments);
    users.push(...(body.users ?? []));
    // only follow pages on the same host (a forged next_page must not carry our token elsewhere)
    url = body.next_page?.startsWith(base) ? body.next_page : null;
  }
  return fromZendesk({ ticket, comments, users } as Parameters<typeof fromZendesk>[0]);
}

/** The Intercom conversation with its parts. */
export async function fetchIntercomConversation(
  apiBase: string,
  token: string,
  conversationId: string,
): Promise<NormalizedTicket> {
  const conversation = await getJson(
    `${apiBase.replace(/\/+$/, "")}/conversations/${conversationId}`,
    token,
    "Intercom conversation",
  );
  return fromIntercom(conversation as Parameters<typeof fromIntercom>[0]);
}
