"use server";

import { redirect } from "next/navigation";
import { userAction } from "@/lib/auth/guards";
import { orgRoutes } from "@/lib/auth/routes";
import { acceptInvitationInput } from "@/lib/auth/schemas";
import { acceptInvitation as accept } from "@/lib/organizations/invitations";

/** Joins the invitation's workspace as the signed-in user and opens it. */
export const acceptInvitation = userAction(
  { schema: acceptInvitationInput },
  async ({ input, supabase }) => {
    const org = await accept(supabase, input.token);
    redirect(orgRoutes(org.slug).home);
  },
);
