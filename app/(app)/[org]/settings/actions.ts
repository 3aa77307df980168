"use server";

import { revalidatePath } from "next/cache";
import { orgAction } from "@/lib/auth/guards";
import { renameOrganizationInput } from "@/lib/auth/schemas";
import { renameOrganization } from "@/lib/auth/workspaces";

/** Renames the workspace (owner/admin; RLS refuses everyone else anyway). */
export const renameWorkspace = orgAction(
  { permission: "organization.update", schema: renameOrganizationInput },
  async ({ org, input, supabase }) => {
    await renameOrganization(supabase, org.id, input.name);
    revalidatePath(`/${org.slug}`, "layout");
    return { status: "success" as const, data: undefined, message: "Workspace renamed." };
  },
);
