import "server-only";
import type { User } from "@supabase/supabase-js";
import { publicEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { sendMail } from "@/lib/mail";
import { renderInvitationMail } from "@/lib/mail/templates/invitation";
import type { ServerSupabaseClient } from "@/lib/supabase/server";
import type { Role } from "./permissions";
import { inviteUrl } from "./routes";
import type { OrganizationSummary } from "./session";
import { createInvitation, revokeInvitation } from "./workspaces";

const inviteLog = log.child({ module: "auth.invitations" });

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
        role: created.role,
        acceptUrl: inviteUrl(publicEnv().NEXT_PUBLIC_SITE_URL, created.token),
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
