import { z } from "zod";
import { zendeskBaseUrl } from "@/lib/integrations/zendesk/client-config";

/**
 * Posts the RCA text to one ticket through its provider's API: a Zendesk **public** comment
 * (`PUT /api/v2/tickets/{id}` with `ticket.comment`), an Intercom admin reply
 * (`POST /conversations/{id}/reply`, `message_type: comment`, as the admin the token belongs to,
 * from `GET /me`). Answers the provider's id of what was posted. A refusal is a `TicketPostError`
 * carrying only the HTTP status (provider bodies can echo the ticket).
 */

export class TicketPostError extends Error {
  constructor(
    message: string,
    /** 4xx other than 408/429: the post was refused and retrying will not change that. */
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = "TicketPostError";
  }
}

export type TicketTarget =
  | { provider: "zendesk"; subdomain: string; externalId: string }
  | { provider: "intercom"; externalId: string };

export interface ProviderBases {
  zendeskBaseUrl: string;
  intercomApiBase: string;
}

async function send(url: string, init: RequestInit, token: string, what: string) {
  const res = await fetch(url, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      accept: "application/json",
      "content-type": "application/json",
    },
    signal: AbortSignal.timeout(20_000),
  });
  if (!res.ok) {
    const permanent =
      res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
    throw new TicketPostError(`${what} answered HTTP ${res.status}`, permanent);
  }
  return res.json() as Promise<unknown>;
}

const zendeskUpdate = z.looseObject({
  audit: z
    .looseObject({ events: z.array(z.looseObject({ id: z.union([z.number(), z.string()]) })) })
    .nullish(),
});
const intercomMe = z.looseObject({ id: z.union([z.string(), z.number()]).transform(String) });
const intercomConversation = z.looseObject({
  conversation_parts: z
    .looseObject({
      conversation_parts: z.array(z.looseObject({ id: z.union([z.string(), z.number()]) })),
    })
    .optional(),
});

/** Intercom wants HTML: each paragraph of our plain text becomes a `<p>`, escaped. */
export function plainTextToHtml(text: string): string {
  const escapeHtml = (s: string) =>
    s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  return text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
    .join("");
}

export async function postToTicket(
  target: TicketTarget,
  token: string,
  body: string,
  bases: ProviderBases,
): Promise<string | null> {
  if (target.provider === "zendesk") {
    const base = zendeskBaseUrl(bases.zendeskBaseUrl, target.subdomain);
    const answer = zendeskUpdate.parse(
      await send(
        `${base}/api/v2/tickets/${encodeURIComponent(target.externalId)}`,
        { method: "PUT", body: JSON.stringify({ ticket: { comment: { body, public: true } } }) },
        token,
        "Zendesk ticket update",
      ),
    );
    const id = answer.audit?.events[0]?.id;
    return id === undefined ? null : String(id);
  }
  const api = bases.intercomApiBase.replace(/\/+$/, "");
  const me = intercomMe.parse(await send(`${api}/me`, { method: "GET" }, token, "Intercom me"));
  const conversation = intercomConversation.parse(
    await send(
      `${api}/conversations/${encodeURIComponent(target.externalId)}/reply`,
      {
        method: "POST",
        body: JSON.stringify({
          message_type: "comment",
          type: "admin",
          admin_id: me.id,
          body: plainTextToHtml(body),
        }),
      },
      token,
      "Intercom reply",
    ),
  );
  const id = conversation.conversation_parts?.conversation_parts.at(-1)?.id;
  return id === undefined ? null : String(id);
}
