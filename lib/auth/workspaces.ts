import "server-only";
import { AppError, toAppError } from "@/lib/errors";
import type { FunctionReturns, Tables } from "@/lib/supabase/database.types";
import type { ServerSupabaseClient } from "@/lib/supabase/server";
import type { Role } from "./permissions";

/**
 * Typed calls to the workspace RPCs and reads, acting as the signed-in user (pass the `supabase`
 * a guard hands you). The database checks roles again inside every RPC; errors come back as
 * `AppError` with the RPC's own human message (PT403/PT404/PT409/PT410/PT422).
 */

export type Organization = Tables<"organizations">;
export type Member = FunctionReturns<"get_organization_members">[number];
export type AuditEntry = FunctionReturns<"list_audit_log">[number];
export type InvitationPreview = FunctionReturns<"get_invitation">[number];
export type Invitation = Omit<Tables<"invitations">, "token_hash"> & {
  status: "pending" | "accepted" | "revoked" | "expired";
};

function check<T>(result: { data: T | null; error: unknown }): T {
  if (result.error) throw toAppError(result.error);
  if (result.data === null) throw new AppError("not_found");
  return result.data;
}

/** Creates a workspace; the caller becomes its owner. */
export async function createOrganization(
  supabase: ServerSupabaseClient,
  input: { name: string; slug: string },
): Promise<Organization> {
  return check(
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

/** Members with email and role, owner first. */
export async function listMembers(
  supabase: ServerSupabaseClient,
  organizationId: string,
): Promise<Member[]> {
  return check(
    await supabase.rpc("get_organization_members", { p_organization_id: organizationId }),
  );
}

function invitationStatus(row: Tables<"invitations">): Invitation["status"] {
  if (row.accepted_at) return "accepted";
  if (row.revoked_at) return "revoked";
  if (new Date(row.expires_at).getTime() <= Date.now()) return "expired";
  return "pending";
}

/** Invitations of a workspace, newest first (owner/admin; empty for other roles through RLS). */
export async function listInvitations(
  supabase: ServerSupabaseClient,
  organizationId: string,
): Promise<Invitation[]> {
  const rows = check(
    await supabase
      .from("invitations")
      .select("*")
      .eq("organization_id", organizationId)
      .order("created_at", { ascending: false }),
  );
  return rows.map(({ token_hash: _hash, ...row }) => ({
    ...row,
    status: invitationStatus({ token_hash: _hash, ...row }),
  }));
}

/**
 * Creates an invitation and returns the raw token (only here, only once). Prefer
 * `inviteMember` from `lib/auth/invitations.ts`, which also sends the mail.
 */
export async function createInvitation(
  supabase: ServerSupabaseClient,
  organizationId: string,
  input: { email: string; role: Role },
): Promise<FunctionReturns<"create_invitation">[number]> {
  return check(
    await supabase
      .rpc("create_invitation", {
        p_organization_id: organizationId,
        p_email: input.email,
        p_role: input.role,
      })
      .single(),
  );
}

export async function revokeInvitation(
  supabase: ServerSupabaseClient,
  invitationId: string,
): Promise<void> {
  const { error } = await supabase.rpc("revoke_invitation", { p_invitation_id: invitationId });
  if (error) throw toAppError(error);
}

/** What an invite link is for (needs a signed-in user; the token is the secret). */
export async function getInvitation(
  supabase: ServerSupabaseClient,
  token: string,
): Promise<InvitationPreview> {
  return check(await supabase.rpc("get_invitation", { p_token: token }).single());
}

/** Joins the invitation's workspace; returns it (redirect to `/${org.slug}`). */
export async function acceptInvitation(
  supabase: ServerSupabaseClient,
  token: string,
): Promise<Organization> {
  return check(await supabase.rpc("accept_invitation", { p_token: token }));
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

/** A page of the audit log, newest first (owner/admin). Pass the last id to get older entries. */
export async function listAuditLog(
  supabase: ServerSupabaseClient,
  organizationId: string,
  options: { limit?: number; beforeId?: number } = {},
): Promise<AuditEntry[]> {
  return check(
    await supabase.rpc("list_audit_log", {
      p_organization_id: organizationId,
      p_limit: options.limit ?? 50,
      ...(options.beforeId ? { p_before_id: options.beforeId } : {}),
    }),
  );
}
