"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { orgAction } from "@/lib/auth/guards";
import { canChangeRole, canRemoveMember, invitableRoles } from "@/lib/auth/permissions";
import { orgRoutes } from "@/lib/auth/routes";
import {
  changeMemberRoleInput,
  inviteMemberInput,
  memberInput,
  revokeInvitationInput,
} from "@/lib/auth/schemas";
import { AppError } from "@/lib/errors";
import {
  revokeInvitation as revoke,
  inviteMember as sendInvitation,
} from "@/lib/organizations/invitations";
import {
  changeMemberRole as changeRole,
  listMembers,
  removeMember as remove,
  transferOwnership as transfer,
} from "@/lib/organizations/members";

/**
 * The members page's server actions. Each goes through `orgAction` (user → workspace from the
 * hidden `org` field → role check → zod input); the RPCs check the role again in the database.
 */

async function roleOf(supabase: Parameters<typeof listMembers>[0], orgId: string, userId: string) {
  const members = await listMembers(supabase, orgId);
  const member = members.find((m) => m.user_id === userId);
  if (!member) throw new AppError("not_found", "That person is not a member of this workspace");
  return member.role as "owner" | "admin" | "member" | "viewer";
}

export const inviteMember = orgAction(
  { permission: "members.invite", schema: inviteMemberInput },
  async ({ org, role, input, supabase, user }) => {
    if (!invitableRoles(role).includes(input.role)) {
      throw new AppError("forbidden", "Your role cannot invite with that role");
    }
    await sendInvitation({ supabase, org, inviter: user, email: input.email, role: input.role });
    revalidatePath(orgRoutes(org.slug).members);
    return {
      status: "success" as const,
      data: undefined,
      message: `Invitation sent to ${input.email}.`,
    };
  },
);

export const changeMemberRole = orgAction(
  { permission: "members.update_role", schema: changeMemberRoleInput },
  async ({ org, role, input, supabase }) => {
    const from = await roleOf(supabase, org.id, input.userId);
    if (!canChangeRole(role, from, input.role)) {
      throw new AppError("forbidden", "Your role cannot make that change");
    }
    await changeRole(supabase, org.id, input.userId, input.role);
    revalidatePath(orgRoutes(org.slug).members);
    return { status: "success" as const, data: undefined, message: "Role updated." };
  },
);

export const removeMember = orgAction(
  { permission: "members.remove", schema: memberInput },
  async ({ org, role, input, supabase }) => {
    const target = await roleOf(supabase, org.id, input.userId);
    if (!canRemoveMember(role, target)) {
      throw new AppError("forbidden", "The owner cannot be removed; transfer ownership first");
    }
    await remove(supabase, org.id, input.userId);
    revalidatePath(orgRoutes(org.slug).members);
    return { status: "success" as const, data: undefined, message: "Member removed." };
  },
);

export const transferOwnership = orgAction(
  { permission: "organization.transfer", schema: memberInput },
  async ({ org, input, supabase }) => {
    await transfer(supabase, org.id, input.userId);
    revalidatePath(orgRoutes(org.slug).home, "layout");
    return {
      status: "success" as const,
      data: undefined,
      message: "Ownership transferred. You are now an admin.",
    };
  },
);

export const revokeInvitation = orgAction(
  { permission: "invitations.revoke", schema: revokeInvitationInput },
  async ({ org, input, supabase }) => {
    await revoke(supabase, input.invitationId);
    revalidatePath(orgRoutes(org.slug).members);
    return { status: "success" as const, data: undefined, message: "Invitation revoked." };
  },
);

export const leaveOrganization = orgAction(
  { permission: "organization.read", schema: z.object({}) },
  async ({ org, user, supabase }) => {
    await remove(supabase, org.id, user.id);
    redirect("/");
  },
);
