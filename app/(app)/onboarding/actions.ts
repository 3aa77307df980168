"use server";

import { redirect } from "next/navigation";
import { slugSuggestions } from "@/app/_lib/slug";
import { userAction } from "@/lib/auth/guards";
import { createOrganizationInput } from "@/lib/auth/schemas";
import { createOrganization } from "@/lib/auth/workspaces";
import { AppError } from "@/lib/errors";

/**
 * Creates a workspace with the signed-in user as its owner, then opens it. A taken or invalid
 * URL comes back with up to three suggestions (in `fieldErrors.suggestions`).
 */
export const createWorkspace = userAction(
  { schema: createOrganizationInput },
  async ({ input, supabase }) => {
    try {
      const org = await createOrganization(supabase, input);
      redirect(`/${org.slug}`);
    } catch (error) {
      if (error instanceof AppError && error.code === "conflict") {
        throw new AppError("conflict", "That URL is already taken", {
          fieldErrors: {
            slug: ["That URL is already taken; pick another"],
            suggestions: slugSuggestions(input.slug, new Set([input.slug])),
          },
        });
      }
      throw error;
    }
  },
);
