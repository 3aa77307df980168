import "server-only";
import { notFound } from "next/navigation";
import { cache } from "react";
import { isRole, type Role } from "./access";
import { requireUser } from "./session";
import { getSupabase } from "./supabase";

export interface Workspace {
  id: string;
  name: string;
  slug: string;
  role: Role;
}

/** Every workspace the signed-in user belongs to, with their role in each, by name. */
export const listMyWorkspaces = cache(async (): Promise<Workspace[]> => {
  const user = await requireUser();
  const supabase = await getSupabase();
  const { data, error } = await supabase
    .from("memberships")
    .select("role, organization:organizations!inner(id, name, slug)")
    .eq("user_id", user.id);
  if (error) throw new Error(`Could not load workspaces (${error.code ?? "unknown"})`);
  const out: Workspace[] = [];
  for (const row of data ?? []) {
    const org = Array.isArray(row.organization) ? row.organization[0] : row.organization;
    if (!org || !isRole(row.role)) continue;
    out.push({ id: org.id, name: org.name, slug: org.slug, role: row.role });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
});

/**
 * The workspace behind `/[org]`, for a member. Not a member and not there answer the same:
 * a 404, so slugs of other tenants cannot be probed.
 */
export const requireWorkspace = cache(async (slug: string): Promise<Workspace> => {
  await requireUser(`/${slug}`);
  const all = await listMyWorkspaces();
  const ws = all.find((w) => w.slug === slug);
  if (!ws) notFound();
  return ws;
});
