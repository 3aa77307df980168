import type { DeployVerdict } from "../deploy-ancestry";
import { type RcaLanguage, rcaLanguageFor } from "./messages";
import type { RcaSections } from "./sections";
import { rcaVersionHash } from "./version-hash";

/**
 * Who receives an RCA now, decided before anything is sent: nobody until deploy detection says the
 * fix is shipped, nobody while an approval the workspace requires is missing or stale, nobody while
 * it is parked; then every linked ticket that has not already received this exact version. The
 * database's unique (ticket, hash) is the final word when two workers race; this plan keeps the
 * ordinary path from even trying.
 */

export interface PlanInput {
  rca: {
    id: string;
    status: "draft" | "approved" | "published" | "parked";
    version: number;
    approvedVersion: number | null;
    sections: RcaSections;
  };
  approvalRequired: boolean;
  /** The fix's deploy verdict (every PR of the bug's stack must be shipped). */
  deploy: DeployVerdict;
  tickets: readonly { id: string; language: string | null }[];
  /** What `rca_publications` already holds for these tickets. */
  published: readonly { ticketId: string; versionHash: string }[];
}

export type PlanBlock = "not_shipped" | "parked" | "needs_approval";

export interface PublicationPlan {
  versionHash: string;
  blocked: PlanBlock | null;
  /** Tickets to post to, in their language; `isUpdate` when they had an earlier version. */
  send: { ticketId: string; language: RcaLanguage; isUpdate: boolean }[];
  /** Tickets that already have this exact version. */
  alreadyPosted: string[];
}

export function planPublication(input: PlanInput): PublicationPlan {
  const versionHash = rcaVersionHash(input.rca.id, input.rca.sections);
  const blocked = blockOf(input);
  const send: PublicationPlan["send"] = [];
  const alreadyPosted: string[] = [];
  if (!blocked) {
    const seen = new Set<string>();
    for (const ticket of input.tickets) {
      if (seen.has(ticket.id)) continue;
      seen.add(ticket.id);
      const earlier = input.published.filter((p) => p.ticketId === ticket.id);
      if (earlier.some((p) => p.versionHash === versionHash)) {
        alreadyPosted.push(ticket.id);
        continue;
      }
      send.push({
        ticketId: ticket.id,
        language: rcaLanguageFor(ticket.language),
        isUpdate: earlier.length > 0,
      });
    }
  }
  return { versionHash, blocked, send, alreadyPosted };
}

function blockOf(input: PlanInput): PlanBlock | null {
  if (input.rca.status === "parked") return "parked";
  if (input.deploy !== "shipped") return "not_shipped";
  if (!input.approvalRequired) return null;
  const approvedCurrent =
    (input.rca.status === "approved" || input.rca.status === "published") &&
    input.rca.approvedVersion === input.rca.version;
  return approvedCurrent ? null : "needs_approval";
}
