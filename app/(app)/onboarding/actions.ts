"use server";

import { redirect } from "next/navigation";
import { userAction } from "@/lib/auth/guards";
import { orgRoutes } from "@/lib/auth/routes";
import { createOrganizationInput } from "@/lib/auth/schemas";
import { AppError } from "@/lib/errors";
import { createOrganization as create } from "@/lib/organizations/organizations";
import { slugSuggestions } from "@/lib/organizations/slug-suggestions";

/**
 * Creates a workspace with the signed-in user as its owner, then opens it. A taken or invalid
 * URL comes back with up to three suggestions (in `fieldErrors.suggestions`).
 */
export const createOrganization = userAction(
  { schema: createOrganizationInput },
  async ({ input, supabase }) => {
    try {
      const org = await create(supabase, input);
      redirect(orgRoutes(org.slug).home);
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
