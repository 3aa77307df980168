"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { type FormState, fieldErrorsOf, formValues } from "@/app/_lib/form-state";
import { siteUrl } from "@/app/_lib/site";
import { getSupabase } from "@/app/_lib/supabase";

const schema = z.object({ email: z.email("Enter a valid email address.").max(254) });

/**
 * Sends a password-reset link. Always answers the same way, so the form cannot be used to
 * find out which emails have accounts.
 */
export async function requestPasswordReset(
  _prev: FormState,
  formData: FormData,
): Promise<FormState> {
  const values = formValues(formData, ["email"]);
  const parsed = schema.safeParse({ email: String(formData.get("email") ?? "").trim() });
  if (!parsed.success) return { status: "error", fieldErrors: fieldErrorsOf(parsed.error), values };
  const origin = siteUrl((await headers()).get("origin"));
  const supabase = await getSupabase();
  const { error } = await supabase.auth.resetPasswordForEmail(parsed.data.email, {
    redirectTo: `${origin}/auth/confirm?next=/reset-password`,
  });
  if (error && (error.status === 429 || error.code === "over_email_send_rate_limit")) {
    return {
      status: "error",
      values,
      message: "Too many reset requests. Wait a few minutes and try again.",
    };
  }
  redirect(`/check-email?reason=reset&email=${encodeURIComponent(parsed.data.email)}`);
}
