import "server-only";
import { cache } from "react";
import type { OrganizationSummary } from "@/lib/auth/organization";
import { isRole, type Role } from "@/lib/auth/permissions";
import { getUser } from "@/lib/auth/session";
import { toAppError } from "@/lib/errors";
import { createClient, type ServerSupabaseClient } from "@/lib/supabase/server";

export interface Membership {
  organization: OrganizationSummary;
  role: Role;
}

/** An organization the signed-in user belongs to, with their role in it. */
export interface MyOrganization extends OrganizationSummary {
  role: Role;
}

/**
 * The workspaces the signed-in user belongs to, with their role, ordered by name. Reads through
 * RLS as the user, so it can only ever list their own memberships.
 */
export async function getMemberships(supabase?: ServerSupabaseClient): Promise<Membership[]> {
  const user = await getUser();
  if (!user) return [];
  const client = supabase ?? (await createClient());
  const { data: rows, error } = await client
    .from("memberships")
    .select("organization_id, role")
    .eq("user_id", user.id);
  if (error) throw toAppError(error);
  if (!rows || rows.length === 0) return [];
  const { data: orgs, error: orgError } = await client
    .from("organizations")
    .select("id, name, slug")
    .in(
      "id",
      rows.map((row) => row.organization_id),
    );
  if (orgError) throw toAppError(orgError);
  const byId = new Map((orgs ?? []).map((org) => [org.id, org]));
  const out: Membership[] = [];
  for (const row of rows) {
    const organization = byId.get(row.organization_id);
    if (organization && isRole(row.role)) out.push({ organization, role: row.role });
  }
  return out.sort((a, b) => a.organization.name.localeCompare(b.organization.name));
}

/** Every organization the signed-in user belongs to, with their role, by name (per request). */
export const listMyOrganizations = cache(async (): Promise<MyOrganization[]> => {
  const memberships = await getMemberships();
  return memberships.map((m) => ({ ...m.organization, role: m.role }));
});
