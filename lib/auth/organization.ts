import "server-only";
import type { User } from "@supabase/supabase-js";
import { AppError, toAppError } from "@/lib/errors";
import type { ServerSupabaseClient } from "@/lib/supabase/server";
import { type Action, can, isRole, type Role } from "./permissions";

/** The organization a guard resolved: what handlers, pages and mail need to name it. */
export interface OrganizationSummary {
  id: string;
  name: string;
  slug: string;
}

export interface OrganizationContext {
  user: User;
  org: OrganizationSummary;
  role: Role;
}

/**
 * Resolves a workspace slug for a user and checks their membership and (optionally) that their
 * role allows `action`. Reads as the user through RLS, so a workspace they do not belong to is
 * simply not there: `not_found`, the same answer as a slug that does not exist. A member whose
 * role does not allow the action gets `forbidden`.
 */
export async function resolveOrganization(
  supabase: ServerSupabaseClient,
  user: User,
  slug: string,
  action?: Action,
): Promise<OrganizationContext> {
  if (typeof slug !== "string" || !/^[a-z0-9-]{1,64}$/.test(slug)) {
    throw new AppError("not_found", "Workspace not found");
  }
  const { data: org, error } = await supabase
    .from("organizations")
    .select("id, name, slug")
    .eq("slug", slug)
    .maybeSingle();
  if (error) throw toAppError(error);
  if (!org) throw new AppError("not_found", "Workspace not found");

  const { data: membership, error: membershipError } = await supabase
    .from("memberships")
    .select("role")
    .eq("organization_id", org.id)
    .eq("user_id", user.id)
    .maybeSingle();
  if (membershipError) throw toAppError(membershipError);
  if (!membership || !isRole(membership.role)) {
    throw new AppError("not_found", "Workspace not found");
  }
  if (action && !can(membership.role, action)) {
    throw new AppError("forbidden", "Your role does not allow this");
  }
  return { user, org, role: membership.role };
}
