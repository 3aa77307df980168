import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import { fixSettingsOf } from "./ensure-draft";

/**
 * Whether a ticket's link to a bug is the one that made the bug's linked-ticket cluster reach the
 * workspace's minimum (`fix_settings.rca_min_cluster_size`), the second way a bug qualifies for a
 * customer RCA (lib/fixes/rca/draft.ts `shouldDraftRca`).
 *
 * Decided by the ticket's place in the cluster (links ordered by `linked_at`, then ticket id),
 * not by the count when the job happens to look: a retried step, a ticket processed twice, or a
 * later ticket read after this one joined all give the same answer, so exactly one ticket per
 * (bug, minimum) ever says "reached". The caller sends `rca/draft.requested` with an id made of
 * the bug and the minimum (`clusterDraftEventId`), which the executor deduplicates as well.
 */

export interface ClusterPosition {
  /** 1-based place of the ticket among the bug's links; 0 when the ticket is not linked to it. */
  position: number;
  size: number;
  minimum: number;
  reached: boolean;
}

/** Pure: the ticket's place among the links, and whether it is the one at the minimum. */
export function clusterPosition(
  links: ReadonlyArray<{ ticket_id: string; linked_at: string }>,
  ticketId: string,
  minimum: number,
): ClusterPosition {
  const ordered = [...links].sort((a, b) => {
    const at = new Date(a.linked_at).getTime() - new Date(b.linked_at).getTime();
    return at !== 0 ? at : a.ticket_id < b.ticket_id ? -1 : a.ticket_id > b.ticket_id ? 1 : 0;
  });
  const position = ordered.findIndex((l) => l.ticket_id === ticketId) + 1;
  return { position, size: ordered.length, minimum, reached: position === minimum };
}

export async function clusterReachedBy(
  admin: AdminSupabaseClient,
  organizationId: string,
  bugId: string,
  ticketId: string,
): Promise<ClusterPosition> {
  const [links, settings] = await Promise.all([
    admin
      .from("bug_tickets")
      .select("ticket_id, linked_at")
      .eq("organization_id", organizationId)
      .eq("bug_id", bugId),
    fixSettingsOf(admin, organizationId),
  ]);
  if (links.error) throw new Error(`read the bug's tickets: ${links.error.message}`);
  return clusterPosition(links.data ?? [], ticketId, settings.minClusterSize);
}

/** One draft request per bug and minimum (a workspace that raises its minimum asks again). */
export function clusterDraftEventId(bugId: string, minimum: number): string {
  return `rca-draft-cluster:${bugId}:${minimum}`;
}
