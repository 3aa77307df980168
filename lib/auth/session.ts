import "server-only";
import type { User } from "@supabase/supabase-js";
import { cache } from "react";
import { AppError, toAppError } from "@/lib/errors";
import { createClient, type ServerSupabaseClient } from "@/lib/supabase/server";
import { type Assurance, assuranceOf } from "./assurance";
import { isRole, type Role } from "./permissions";

/**
 * Who is signed in, for server components, server actions and route handlers. Always verified by
 * the auth server (`getUser()`), never taken from the cookie's unverified copy; a forged or
 * expired cookie yields no user.
 */

export interface OrganizationSummary {
  id: string;
  name: string;
  slug: string;
}

export interface Membership {
  organization: OrganizationSummary;
  role: Role;
}

/** The signed-in user, or null. Cached for the duration of one request. */
export const getUser = cache(async (): Promise<User | null> => {
  const supabase = await createClient();
  const { data, error } = await supabase.auth.getUser();
  if (error || !data.user) return null;
  return data.user;
});

/**
 * The session's assurance level (`current`) and what the user's factors require (`next`), from
 * the verified user and the verified claims of the access token. Use `needsMfaChallenge()` from `./assurance` on it.
 */
export const getAssurance = cache(async (): Promise<Assurance> => {
  const user = await getUser();
  if (!user) return { current: null, next: null };
  const supabase = await createClient();
  // getClaims() verifies the access token (locally against the project's signing keys, or with
  // the auth server for a symmetric key) before its aal claim is believed.
  const { data } = await supabase.auth.getClaims();
  return assuranceOf(user, data?.claims);
});

/** The signed-in user; throws `AppError("unauthenticated")` instead of redirecting. */
export async function requireUserOrThrow(): Promise<User> {
  const user = await getUser();
  if (!user) throw new AppError("unauthenticated");
  return user;
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
