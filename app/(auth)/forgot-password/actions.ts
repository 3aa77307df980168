"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { recordAuthEvent } from "@/lib/auth/audit";
import { publicAction } from "@/lib/auth/guards";
import { ROUTES } from "@/lib/auth/routes";
import { emailSchema } from "@/lib/auth/schemas";
import { siteUrl } from "@/lib/env";
import { AppError } from "@/lib/errors";

/**
 * Sends a password-reset link. Always answers the same way, so the form cannot be used to find
 * out which addresses have accounts.
 */
export const requestPasswordReset = publicAction(
  { schema: z.object({ email: emailSchema }) },
  async ({ input, supabase }) => {
    const { error } = await supabase.auth.resetPasswordForEmail(input.email, {
      redirectTo: `${siteUrl()}${ROUTES.authConfirm}?next=${encodeURIComponent(ROUTES.resetPassword)}`,
    });
    if (error && (error.status === 429 || error.code === "over_email_send_rate_limit")) {
      throw new AppError(
        "rate_limited",
        "Too many reset requests. Wait a few minutes and try again.",
      );
    }
    await recordAuthEvent("auth.password_reset_requested", { email: input.email });
    redirect(`${ROUTES.forgotPasswordSent}?email=${encodeURIComponent(input.email)}`);
  },
);
