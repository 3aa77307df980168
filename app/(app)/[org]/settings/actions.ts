"use server";

import { revalidatePath } from "next/cache";
import { orgAction } from "@/lib/auth/guards";
import { orgRoutes } from "@/lib/auth/routes";
import { renameOrganizationInput } from "@/lib/auth/schemas";
import { renameOrganization as rename } from "@/lib/organizations/organizations";

/** Renames the workspace (owner/admin; RLS refuses everyone else anyway). */
export const renameOrganization = orgAction(
  { permission: "organization.update", schema: renameOrganizationInput },
  async ({ org, input, supabase }) => {
    await rename(supabase, org.id, input.name);
    revalidatePath(orgRoutes(org.slug).home, "layout");
    return { status: "success" as const, data: undefined, message: "Workspace renamed." };
  },
);
