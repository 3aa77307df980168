import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { loadDemoTickets } from "./tickets";

/**
 * The batch of demo tickets `npm run sandbox -- zendesk demo-batch` writes into the Zendesk
 * sandbox: every bug of `tickets.json` as its customer wrote it, plus, from the labelled
 * `eval-tickets.json`, what a real support inbox also holds: a bug written in Spanish (the same
 * defect as an English one, so the two join one bug) and tickets that are not bugs (a billing
 * question, a how-to, a feature request, spam tagged by an agent, a thank-you). Each becomes a
 * Mapped Bug, a review item or a skipped ticket with its reason.
 */

export interface DemoBatchTicket {
  /** The ticket's id in tickets.json / eval-tickets.json. */
  key: string;
  kind: "bug" | "noise";
  language: string;
  subject: string;
  body: string;
  requester: { name: string; email: string };
  tags: string[];
}

/** Tickets of eval-tickets.json that complete the batch (ids there). */
export const DEMO_BATCH_EXTRAS = [
  "search-accents-es",
  "billing-refund-request",
  "howto-gift-wrap",
  "feature-wishlist",
  "spam-tagged-crypto",
  "thanks-fr",
] as const;

const evalTicketSchema = z.object({
  id: z.string(),
  language: z.string(),
  gold: z.object({ classification: z.string() }),
  zendesk: z.object({
    ticket: z.object({
      subject: z.string().min(1),
      tags: z.array(z.string()).default([]),
      requester_id: z.number(),
    }),
    comments: z.array(z.object({ author_id: z.number(), plain_body: z.string().min(1) })).min(1),
    users: z.array(z.object({ id: z.number(), name: z.string().min(1) })),
  }),
});

const EVAL_PATH = path.join(path.dirname(fileURLToPath(import.meta.url)), "eval-tickets.json");

/** `María López` → `maria.lopez@customer.example`: the eval set keeps no email addresses. */
function emailOf(name: string): string {
  const local = name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ".")
    .replace(/^\.|\.$/g, "");
  return `${local || "customer"}@customer.example`;
}

/** The demo batch, bugs first, in a fixed order. */
export function demoBatch(): DemoBatchTicket[] {
  const bugs: DemoBatchTicket[] = loadDemoTickets().tickets.map((t) => ({
    key: t.id,
    kind: "bug",
    language: "en",
    subject: t.subject,
    body: t.body,
    requester: { name: t.requester.name, email: t.requester.email },
    tags: [],
  }));
  const raw = JSON.parse(readFileSync(EVAL_PATH, "utf8")) as { tickets: unknown[] };
  const evalTickets = z.array(z.looseObject({ id: z.string() })).parse(raw.tickets);
  const extras = DEMO_BATCH_EXTRAS.map((id): DemoBatchTicket => {
    const found = evalTickets.find((t) => t.id === id);
    if (!found) throw new Error(`demo batch: ${id} is not in eval-tickets.json`);
    const t = evalTicketSchema.parse(found);
    const opening = t.zendesk.comments[0];
    const requester = t.zendesk.users.find((u) => u.id === t.zendesk.ticket.requester_id);
    if (!opening || !requester) throw new Error(`demo batch: ${id} has no requester's comment`);
    return {
      key: t.id,
      kind: t.gold.classification === "bug" ? "bug" : "noise",
      language: t.language,
      subject: t.zendesk.ticket.subject,
      body: opening.plain_body,
      requester: { name: requester.name, email: emailOf(requester.name) },
      tags: t.zendesk.ticket.tags,
    };
  });
  return [...bugs, ...extras];
}
