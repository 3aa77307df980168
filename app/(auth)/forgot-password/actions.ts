"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { type FormState, fieldErrorsOf, formValues } from "@/app/_lib/form-state";
import { siteUrl } from "@/app/_lib/site";
import { recordAuthEvent } from "@/lib/auth/audit";
import { ROUTES } from "@/lib/auth/routes";
import { emailSchema } from "@/lib/auth/schemas";
import { createClient } from "@/lib/supabase/server";

const schema = z.object({ email: emailSchema });

/**
 * Sends a password-reset link. Always answers the same way, so the form cannot be used to find
 * out which addresses have accounts.
 */
export async function requestPasswordReset(
  _prev: FormState,
  formData: FormData,
): Promise<FormState> {
  const values = formValues(formData, ["email"]);
  const parsed = schema.safeParse({ email: formData.get("email") ?? "" });
  if (!parsed.success) return { status: "error", fieldErrors: fieldErrorsOf(parsed.error), values };
  const supabase = await createClient();
  const { error } = await supabase.auth.resetPasswordForEmail(parsed.data.email, {
    redirectTo: `${siteUrl()}${ROUTES.authConfirm}?next=${encodeURIComponent(ROUTES.resetPassword)}`,
  });
  if (error && (error.status === 429 || error.code === "over_email_send_rate_limit")) {
    return {
      status: "error",
      values,
      message: "Too many reset requests. Wait a few minutes and try again.",
    };
  }
  await recordAuthEvent("auth.password_reset_requested", { email: parsed.data.email });
  redirect(`${ROUTES.forgotPassword}/sent?email=${encodeURIComponent(parsed.data.email)}`);
}
