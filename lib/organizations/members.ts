import "server-only";
import type { Role } from "@/lib/auth/permissions";
import { toAppError } from "@/lib/errors";
import type { FunctionReturns } from "@/lib/supabase/database.types";
import type { ServerSupabaseClient } from "@/lib/supabase/server";
import { dataOrThrow } from "./result";

/** The members of an organization: list, change role, remove (or leave), hand over ownership. */

export type Member = FunctionReturns<"get_organization_members">[number];

/** Members with email and role, owner first. */
export async function listMembers(
  supabase: ServerSupabaseClient,
  organizationId: string,
): Promise<Member[]> {
  return dataOrThrow(
    await supabase.rpc("get_organization_members", { p_organization_id: organizationId }),
  );
}

export async function changeMemberRole(
  supabase: ServerSupabaseClient,
  organizationId: string,
  userId: string,
  role: Exclude<Role, "owner">,
): Promise<void> {
  const { error } = await supabase.rpc("change_member_role", {
    p_organization_id: organizationId,
    p_user_id: userId,
    p_role: role,
  });
  if (error) throw toAppError(error);
}

/** Removes a member, or lets the caller leave when `userId` is their own id. */
export async function removeMember(
  supabase: ServerSupabaseClient,
  organizationId: string,
  userId: string,
): Promise<void> {
  const { error } = await supabase.rpc("remove_member", {
    p_organization_id: organizationId,
    p_user_id: userId,
  });
  if (error) throw toAppError(error);
}

export async function transferOwnership(
  supabase: ServerSupabaseClient,
  organizationId: string,
  newOwnerId: string,
): Promise<void> {
  const { error } = await supabase.rpc("transfer_ownership", {
    p_organization_id: organizationId,
    p_new_owner_id: newOwnerId,
  });
  if (error) throw toAppError(error);
}
