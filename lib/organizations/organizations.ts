import "server-only";
import { AppError, toAppError } from "@/lib/errors";
import type { Tables } from "@/lib/supabase/database.types";
import type { ServerSupabaseClient } from "@/lib/supabase/server";
import { dataOrThrow } from "./result";

/**
 * Organizations (shown as "workspaces"): create and rename, acting as the signed-in user (pass
 * the `supabase` a guard hands you). The database checks roles again inside every RPC and policy.
 */

export type Organization = Tables<"organizations">;

/** Creates a workspace; the caller becomes its owner. */
export async function createOrganization(
  supabase: ServerSupabaseClient,
  input: { name: string; slug: string },
): Promise<Organization> {
  return dataOrThrow(
    await supabase.rpc("create_organization", { p_name: input.name, p_slug: input.slug }),
  );
}

/** Renames a workspace (owner/admin; RLS refuses others). */
export async function renameOrganization(
  supabase: ServerSupabaseClient,
  organizationId: string,
  name: string,
): Promise<Organization> {
  const result = await supabase
    .from("organizations")
    .update({ name })
    .eq("id", organizationId)
    .select("*")
    .maybeSingle();
  if (result.error) throw toAppError(result.error);
  if (!result.data) throw new AppError("forbidden", "Your role does not allow this");
  return result.data;
}
