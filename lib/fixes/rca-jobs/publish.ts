import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import { bugDeployVerdict } from "../deploys/record-deployment";
import { composeRcaMessage } from "../rca/compose";
import type { RcaLanguage } from "../rca/messages";
import { planPublication } from "../rca/publication-plan";
import { type RcaSections, rcaSectionsSchema } from "../rca/sections";
import { rcaVersionHash } from "../rca/version-hash";
import { fixSettingsOf } from "./ensure-draft";
import {
  type ProviderBases,
  postToTicket,
  TicketPostError,
  type TicketTarget,
} from "./post-to-ticket";

/**
 * The publishing job's two halves. `planRcaPublishing` decides, from the database, whether the
 * RCA goes out now and to which tickets (deploy verdict shipped, not parked, approved when the
 * workspace requires it, and an edit after publishing only on an explicit "publish update").
 * `publishToTicket` posts one ticket exactly once: it records `(ticket, SHA-256 of the version)`
 * in `rca_publications` BEFORE sending and sends only when that insert claimed the row, so a
 * retry, a redelivered deploy or a second deploy never posts the same version again. A post the
 * provider refused is recorded `failed` and may be claimed again by a later attempt.
 */

export type PublishCause = "deploy" | "approved" | "publish_update";

export type PublishingPlan =
  | { kind: "blocked"; reason: string }
  | {
      kind: "send";
      rcaId: string;
      version: number;
      versionHash: string;
      tickets: { ticketId: string; language: RcaLanguage; isUpdate: boolean }[];
      alreadyPosted: number;
    };

export async function readRca(admin: AdminSupabaseClient, organizationId: string, bugId: string) {
  const { data, error } = await admin
    .from("rcas")
    .select("id, status, version, approved_version, published_version, sections, parked_reason")
    .eq("organization_id", organizationId)
    .eq("bug_id", bugId)
    .maybeSingle();
  if (error) throw new Error(`read RCA: ${error.message}`);
  return data;
}

export async function planRcaPublishing(
  admin: AdminSupabaseClient,
  organizationId: string,
  bugId: string,
  cause: PublishCause,
): Promise<PublishingPlan> {
  const rca = await readRca(admin, organizationId, bugId);
  if (!rca) return { kind: "blocked", reason: "no_rca" };
  const sections = rcaSectionsSchema.safeParse(rca.sections);
  if (!sections.success) return { kind: "blocked", reason: "invalid_sections" };
  if (
    rca.published_version !== null &&
    rca.version !== rca.published_version &&
    cause !== "publish_update"
  ) {
    // the customer has an earlier version: a new one goes out only when someone says so
    return { kind: "blocked", reason: "needs_publish_update" };
  }
  const [settings, deploy, linkRes] = await Promise.all([
    fixSettingsOf(admin, organizationId),
    bugDeployVerdict(admin, organizationId, bugId),
    admin
      .from("bug_tickets")
      .select("ticket_id, tickets!inner(language)")
      .eq("organization_id", organizationId)
      .eq("bug_id", bugId),
  ]);
  if (linkRes.error) throw new Error(`read linked tickets: ${linkRes.error.message}`);
  const tickets = (linkRes.data ?? []).map((l) => ({
    id: l.ticket_id,
    language: (l.tickets as unknown as { language: string | null }).language,
  }));
  const { data: published, error } = await admin
    .from("rca_publications")
    .select("ticket_id, version_hash, status")
    .eq("organization_id", organizationId)
    .eq("rca_id", rca.id);
  if (error) throw new Error(`read publications: ${error.message}`);
  const plan = planPublication({
    rca: {
      id: rca.id,
      status: rca.status as "draft" | "approved" | "published" | "parked",
      version: rca.version,
      approvedVersion: rca.approved_version,
      sections: sections.data,
    },
    approvalRequired: settings.approvalRequired,
    deploy: deploy.verdict,
    tickets,
    // a refused post (failed) is tried again; sending/sent ones are never posted twice
    published: (published ?? [])
      .filter((p) => p.status !== "failed")
      .map((p) => ({ ticketId: p.ticket_id, versionHash: p.version_hash })),
  });
  if (plan.blocked) return { kind: "blocked", reason: plan.blocked };
  return {
    kind: "send",
    rcaId: rca.id,
    version: rca.version,
    versionHash: plan.versionHash,
    tickets: plan.send,
    alreadyPosted: plan.alreadyPosted.length,
  };
}

export interface TicketPublication {
  rcaId: string;
  bugId: string;
  version: number;
  versionHash: string;
  ticketId: string;
  language: RcaLanguage;
  isUpdate: boolean;
}

export type TicketOutcome = "sent" | "already_claimed" | "version_changed" | "failed";

export async function publishToTicket(
  admin: AdminSupabaseClient,
  organizationId: string,
  p: TicketPublication,
  deps: { bases: ProviderBases; tokenFor: (integrationId: string) => Promise<string> },
): Promise<{ outcome: TicketOutcome; error?: string }> {
  const rca = await readRca(admin, organizationId, p.bugId);
  const sections = rcaSectionsSchema.safeParse(rca?.sections);
  // edited since the plan: that version is another publication's business
  if (!rca || !sections.success || rcaVersionHash(rca.id, sections.data) !== p.versionHash) {
    return { outcome: "version_changed" };
  }
  const claimed = await claim(admin, organizationId, p);
  if (!claimed) return { outcome: "already_claimed" };

  const { data: ticket, error } = await admin
    .from("tickets")
    .select("provider, external_id, integration_id, integrations(external_account_id)")
    .eq("organization_id", organizationId)
    .eq("id", p.ticketId)
    .single();
  if (error || !ticket?.integration_id) {
    await settle(admin, organizationId, claimed, { failed: "the ticket's integration is gone" });
    return { outcome: "failed", error: "no integration" };
  }
  const [{ data: bug }, deploy] = await Promise.all([
    admin
      .from("bugs")
      .select("title")
      .eq("organization_id", organizationId)
      .eq("id", p.bugId)
      .single(),
    bugDeployVerdict(admin, organizationId, p.bugId),
  ]);
  const text = composeRcaMessage({
    title: bug?.title ?? "",
    sections: sections.data as RcaSections,
    language: p.language,
    isUpdate: p.isUpdate,
    // the deploy time from the facts: an RCA edited before the deploy has none in its timeline
    deployedAt: deploy.verdict === "shipped" ? deploy.deployedAt : null,
  });
  const integration = ticket.integrations as unknown as { external_account_id: string } | null;
  const target: TicketTarget =
    ticket.provider === "zendesk"
      ? {
          provider: "zendesk",
          subdomain: integration?.external_account_id ?? "",
          externalId: ticket.external_id,
        }
      : { provider: "intercom", externalId: ticket.external_id };
  try {
    const token = await deps.tokenFor(ticket.integration_id);
    const externalId = await postToTicket(target, token, text, deps.bases);
    await settle(admin, organizationId, claimed, { sent: externalId });
    return { outcome: "sent" };
  } catch (err) {
    if (err instanceof TicketPostError) {
      // refused: nothing was posted, so a later attempt may claim this version again
      await settle(admin, organizationId, claimed, { failed: err.message });
      if (!err.permanent) throw err;
      return { outcome: "failed", error: err.message };
    }
    // no answer (timeout, connection lost): it may have been posted; the row stays `sending`,
    // which never posts again (at most once beats a second "fixed" message)
    throw err;
  }
}

/** Claims (ticket, version hash): a new row, or a `failed` one taken back for a retry. */
async function claim(
  admin: AdminSupabaseClient,
  organizationId: string,
  p: TicketPublication,
): Promise<string | null> {
  const { data, error } = await admin
    .from("rca_publications")
    .upsert(
      {
        organization_id: organizationId,
        rca_id: p.rcaId,
        ticket_id: p.ticketId,
        version: p.version,
        version_hash: p.versionHash,
        language: p.language,
        status: "sending",
      },
      { onConflict: "ticket_id,version_hash", ignoreDuplicates: true },
    )
    .select("id");
  if (error) throw new Error(`claim publication: ${error.message}`);
  if (data?.[0]?.id) return data[0].id;
  const { data: retried, error: retryError } = await admin
    .from("rca_publications")
    .update({ status: "sending", last_error: null })
    .eq("organization_id", organizationId)
    .eq("ticket_id", p.ticketId)
    .eq("version_hash", p.versionHash)
    .eq("status", "failed")
    .select("id");
  if (retryError) throw new Error(`reclaim publication: ${retryError.message}`);
  return retried?.[0]?.id ?? null;
}

async function settle(
  admin: AdminSupabaseClient,
  organizationId: string,
  id: string,
  outcome: { sent: string | null } | { failed: string },
): Promise<void> {
  const update =
    "sent" in outcome
      ? { status: "sent" as const, sent_at: new Date().toISOString(), external_id: outcome.sent }
      : { status: "failed" as const, last_error: outcome.failed.slice(0, 1000) };
  const { error } = await admin
    .from("rca_publications")
    .update(update)
    .eq("organization_id", organizationId)
    .eq("id", id);
  if (error) throw new Error(`record publication outcome: ${error.message}`);
}

/** Marks the RCA published at the version that went out (once every ticket has it). */
export async function markPublished(
  admin: AdminSupabaseClient,
  organizationId: string,
  rcaId: string,
  version: number,
): Promise<boolean> {
  const { data, error } = await admin
    .from("rcas")
    .update({ status: "published" })
    .eq("organization_id", organizationId)
    .eq("id", rcaId)
    .eq("version", version)
    .neq("status", "published")
    .select("id");
  if (error) throw new Error(`mark RCA published: ${error.message}`);
  return (data?.length ?? 0) > 0;
}
