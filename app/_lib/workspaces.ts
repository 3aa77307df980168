import "server-only";
import { cache } from "react";
import type { Role } from "@/lib/auth/permissions";
import { getMemberships } from "@/lib/auth/session";

export interface Workspace {
  id: string;
  name: string;
  slug: string;
  role: Role;
}

/** Every workspace the signed-in user belongs to, with their role, by name (per request). */
export const listMyWorkspaces = cache(async (): Promise<Workspace[]> => {
  const memberships = await getMemberships();
  return memberships.map((m) => ({ ...m.organization, role: m.role }));
});
