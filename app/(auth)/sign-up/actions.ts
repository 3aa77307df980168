"use server";

import { isAuthWeakPasswordError } from "@supabase/supabase-js";
import { redirect } from "next/navigation";
import { z } from "zod";
import { type FormState, fieldErrorsOf, formValues } from "@/app/_lib/form-state";
import { describeWeakPasswordReasons } from "@/app/_lib/password-rules";
import { siteUrl } from "@/app/_lib/site";
import { recordAuthEvent } from "@/lib/auth/audit";
import { ROUTES, safeNextPath } from "@/lib/auth/routes";
import { emailSchema, passwordSchema } from "@/lib/auth/schemas";
import { createClient } from "@/lib/supabase/server";

const signUpSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  next: z.string().optional(),
});

/** Creates an account and sends the confirmation mail; its link comes back to /auth/confirm. */
export async function signUp(_prev: FormState, formData: FormData): Promise<FormState> {
  const values = formValues(formData, ["email", "next"]);
  const parsed = signUpSchema.safeParse({
    email: formData.get("email") ?? "",
    password: formData.get("password") ?? "",
    next: formData.get("next") ?? undefined,
  });
  if (!parsed.success) {
    return { status: "error", fieldErrors: fieldErrorsOf(parsed.error), values };
  }
  const next = safeNextPath(parsed.data.next, ROUTES.onboarding);
  const supabase = await createClient();
  const { data, error } = await supabase.auth.signUp({
    email: parsed.data.email,
    password: parsed.data.password,
    options: {
      emailRedirectTo: `${siteUrl()}${ROUTES.authConfirm}?next=${encodeURIComponent(next)}`,
    },
  });
  if (error) {
    if (isAuthWeakPasswordError(error)) {
      return {
        status: "error",
        values,
        fieldErrors: { password: describeWeakPasswordReasons(error.reasons) },
      };
    }
    if (error.code === "user_already_exists" || error.code === "email_exists") {
      return {
        status: "error",
        values,
        fieldErrors: { email: ["An account with this email already exists. Sign in instead."] },
      };
    }
    if (error.code === "signup_disabled") {
      return { status: "error", values, message: "Sign-ups are closed right now." };
    }
    if (error.status === 429) {
      return {
        status: "error",
        values,
        message: "Too many attempts. Wait a minute and try again.",
      };
    }
    return { status: "error", values, message: "We could not create your account. Try again." };
  }
  if (data.user) await recordAuthEvent("auth.sign_up", { userId: data.user.id });
  // With auto-confirm on, the account is signed in at once.
  if (data.session) redirect(next);
  redirect(`${ROUTES.signUp}/check-email?email=${encodeURIComponent(parsed.data.email)}`);
}
