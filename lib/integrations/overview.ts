import "server-only";
import { toAppError } from "@/lib/errors";
import type { IntegrationProvider, IntegrationStatus, Json } from "@/lib/supabase/database.types";
import type { ServerSupabaseClient } from "@/lib/supabase/server";

/**
 * What the settings page shows, read as the signed-in owner or admin through RLS: only the
 * non-secret columns exist for them (column grants), so no ciphertext can reach a page.
 */

export interface IntegrationSummary {
  id: string;
  provider: IntegrationProvider;
  status: IntegrationStatus;
  externalAccountId: string;
  account: Record<string, Json>;
  lastError: string | null;
  lastErrorAt: string | null;
  lastEventAt: string | null;
  connectedBy: string | null;
  connectedAt: string | null;
}

export interface RepositorySummary {
  id: string;
  fullName: string;
  defaultBranch: string | null;
  private: boolean;
  selected: boolean;
}

export async function listLiveIntegrations(
  supabase: ServerSupabaseClient,
  organizationId: string,
): Promise<IntegrationSummary[]> {
  const { data, error } = await supabase
    .from("integrations")
    .select(
      "id, provider, status, external_account_id, account, last_error, last_error_at, last_event_at, connected_by, connected_at",
    )
    .eq("organization_id", organizationId)
    .neq("status", "disconnected");
  if (error) throw toAppError(error);
  return (data ?? []).map((r) => ({
    id: r.id,
    provider: r.provider,
    status: r.status,
    externalAccountId: r.external_account_id,
    account: (r.account && typeof r.account === "object" && !Array.isArray(r.account)
      ? r.account
      : {}) as Record<string, Json>,
    lastError: r.last_error,
    lastErrorAt: r.last_error_at,
    lastEventAt: r.last_event_at,
    connectedBy: r.connected_by,
    connectedAt: r.connected_at,
  }));
}

export async function listRepositories(
  supabase: ServerSupabaseClient,
  organizationId: string,
  integrationId: string,
): Promise<RepositorySummary[]> {
  const { data, error } = await supabase
    .from("integration_repositories")
    .select("id, full_name, default_branch, private, selected")
    .eq("organization_id", organizationId)
    .eq("integration_id", integrationId)
    .order("full_name");
  if (error) throw toAppError(error);
  return (data ?? []).map((r) => ({
    id: r.id,
    fullName: r.full_name,
    defaultBranch: r.default_branch,
    private: r.private,
    selected: r.selected,
  }));
}

/**
 * Why the provider's last connection ended, when the provider ended it (an uninstall on GitHub):
 * the reason is stamped with the disconnect, so a person's own disconnect (no new reason) shows
 * nothing. Null when there is nothing to explain.
 */
export async function providerDisconnectReason(
  supabase: ServerSupabaseClient,
  organizationId: string,
  provider: "zendesk" | "intercom" | "github",
): Promise<{ reason: string; at: string } | null> {
  const { data, error } = await supabase
    .from("integrations")
    .select("last_error, last_error_at, disconnected_at")
    .eq("organization_id", organizationId)
    .eq("provider", provider)
    .eq("status", "disconnected")
    .order("disconnected_at", { ascending: false, nullsFirst: false })
    .limit(1)
    .maybeSingle();
  if (error) throw toAppError(error);
  if (!data?.last_error || !data.last_error_at || !data.disconnected_at) return null;
  if (Date.parse(data.last_error_at) < Date.parse(data.disconnected_at)) return null;
  return { reason: data.last_error, at: data.last_error_at };
}
