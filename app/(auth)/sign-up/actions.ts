"use server";

import { isAuthWeakPasswordError } from "@supabase/supabase-js";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { type FormState, fieldErrorsOf, formValues } from "@/app/_lib/form-state";
import { brokenPasswordRules, describeWeakPasswordReasons } from "@/app/_lib/password-rules";
import { safeNext, siteUrl } from "@/app/_lib/site";
import { getSupabase } from "@/app/_lib/supabase";

const signUpSchema = z.object({
  email: z.email("Enter a valid email address.").max(254),
  password: z.string().superRefine((p, ctx) => {
    for (const rule of brokenPasswordRules(p)) ctx.addIssue({ code: "custom", message: rule });
  }),
  next: z.string().optional(),
});

/** Creates an account and sends the confirmation mail; the link comes back to /auth/confirm. */
export async function signUp(_prev: FormState, formData: FormData): Promise<FormState> {
  const values = formValues(formData, ["email", "next"]);
  const parsed = signUpSchema.safeParse({
    email: String(formData.get("email") ?? "").trim(),
    password: formData.get("password") ?? "",
    next: formData.get("next") ?? undefined,
  });
  if (!parsed.success) {
    return {
      status: "error",
      fieldErrors: fieldErrorsOf(parsed.error),
      values,
      message: "Check the highlighted fields.",
    };
  }
  const next = safeNext(parsed.data.next);
  const origin = siteUrl((await headers()).get("origin"));
  const supabase = await getSupabase();
  const { data, error } = await supabase.auth.signUp({
    email: parsed.data.email,
    password: parsed.data.password,
    options: { emailRedirectTo: `${origin}/auth/confirm?next=${encodeURIComponent(next)}` },
  });
  if (error) {
    if (isAuthWeakPasswordError(error)) {
      return {
        status: "error",
        values,
        fieldErrors: { password: describeWeakPasswordReasons(error.reasons) },
        message: "Choose a stronger password.",
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
    return { status: "error", values, message: "We could not create your account. Try again." };
  }
  // With auto-confirm on, the account is signed in at once.
  if (data.session) redirect(next === "/" ? "/onboarding" : next);
  redirect(`/check-email?email=${encodeURIComponent(parsed.data.email)}`);
}
