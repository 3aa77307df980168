import "server-only";
import type { User } from "@supabase/supabase-js";
import type { OrganizationSummary } from "@/lib/auth/organization";
import { ROLE_LABELS, type Role } from "@/lib/auth/permissions";
import { inviteUrl } from "@/lib/auth/routes";
import { siteUrl } from "@/lib/env";
import { toAppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { sendMail } from "@/lib/mail";
import { renderInvitationMail } from "@/lib/mail/templates/invitation";
import type { FunctionReturns, Tables } from "@/lib/supabase/database.types";
import type { ServerSupabaseClient } from "@/lib/supabase/server";
import { dataOrThrow } from "./result";

/**
 * Invitations to an organization: invite (and mail the link), list, revoke, preview and accept.
 * The raw token exists only in `createInvitation`'s answer and the mail.
 */

export type InvitationPreview = FunctionReturns<"get_invitation">[number];
export type Invitation = Omit<Tables<"invitations">, "token_hash"> & {
  status: "pending" | "accepted" | "revoked" | "expired";
};

const inviteLog = log.child({ module: "organizations.invitations" });

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
  const rows = dataOrThrow(
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
 * `inviteMember` below, which also sends the mail.
 */
export async function createInvitation(
  supabase: ServerSupabaseClient,
  organizationId: string,
  input: { email: string; role: Role },
): Promise<FunctionReturns<"create_invitation">[number]> {
  return dataOrThrow(
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
  return dataOrThrow(await supabase.rpc("get_invitation", { p_token: token }).single());
}

/** Joins the invitation's organization; returns it (open `orgRoutes(org.slug).home`). */
export async function acceptInvitation(
  supabase: ServerSupabaseClient,
  token: string,
): Promise<Tables<"organizations">> {
  return dataOrThrow(await supabase.rpc("accept_invitation", { p_token: token }));
}

export interface InviteResult {
  invitationId: string;
  expiresAt: string;
}

/**
 * Invites `email` to the workspace with `role` and mails the accept link. The token leaves the
 * server only inside that email. If the mail cannot be sent, the invitation is revoked again
 * (nothing half-done) and the error is thrown.
 *
 * Call from `orgAction({ permission: "members.invite", ... })`; the RPC checks the role again.
 */
export async function inviteMember(params: {
  supabase: ServerSupabaseClient;
  org: OrganizationSummary;
  /** The signed-in user who invites (named in the mail). */
  inviter: User;
  email: string;
  role: Role;
}): Promise<InviteResult> {
  const { supabase, org, inviter } = params;
  const created = await createInvitation(supabase, org.id, {
    email: params.email,
    role: params.role,
  });
  try {
    await sendMail({
      kind: "invitation",
      ...renderInvitationMail({
        to: created.email,
        organizationName: org.name,
        inviterEmail: inviter.email ?? null,
        roleLabel: ROLE_LABELS[created.role],
        acceptUrl: inviteUrl(siteUrl(), created.token),
        expiresAt: new Date(created.expires_at),
      }),
    });
  } catch (error) {
    await revokeInvitation(supabase, created.invitation_id).catch((revokeError) => {
      inviteLog.error({ err: revokeError }, "could not revoke an unsent invitation");
    });
    throw error;
  }
  inviteLog.info(
    { organizationId: org.id, invitationId: created.invitation_id, role: created.role },
    "invitation sent",
  );
  return { invitationId: created.invitation_id, expiresAt: created.expires_at };
}
