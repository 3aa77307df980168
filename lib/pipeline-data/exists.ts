import "server-only";
import { toAppError } from "@/lib/errors";
import type { ServerSupabaseClient } from "@/lib/supabase/server";

/**
 * Whether the member can see one bug or ticket (RLS decides). The `[org]` layout asks before the
 * loading boundary streams, so a missing id and another workspace's id both answer a real 404.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function visible(
  supabase: ServerSupabaseClient,
  table: "bugs" | "tickets",
  organizationId: string,
  id: string,
): Promise<boolean> {
  if (!UUID.test(id)) return false;
  const { data, error } = await supabase
    .from(table)
    .select("id")
    .eq("organization_id", organizationId)
    .eq("id", id)
    .maybeSingle();
  if (error) throw toAppError(error);
  return Boolean(data);
}

export const bugExists = (s: ServerSupabaseClient, organizationId: string, id: string) =>
  visible(s, "bugs", organizationId, id);

export const ticketExists = (s: ServerSupabaseClient, organizationId: string, id: string) =>
  visible(s, "tickets", organizationId, id);
