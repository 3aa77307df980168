"use server";

import { isAuthWeakPasswordError } from "@supabase/supabase-js";
import { redirect } from "next/navigation";
import { z } from "zod";
import { recordAuthEvent } from "@/lib/auth/audit";
import { publicAction } from "@/lib/auth/guards";
import { describeWeakPasswordReasons } from "@/lib/auth/password-rules";
import { ROUTES, safeNextPath } from "@/lib/auth/routes";
import { emailSchema, passwordSchema } from "@/lib/auth/schemas";
import { siteUrl } from "@/lib/env";
import { AppError } from "@/lib/errors";

const signUpSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  next: z.string().optional(),
});

/** Creates an account and sends the confirmation mail; its link comes back to /auth/confirm. */
export const signUp = publicAction({ schema: signUpSchema }, async ({ input, supabase }) => {
  const next = safeNextPath(input.next, ROUTES.onboarding);
  const { data, error } = await supabase.auth.signUp({
    email: input.email,
    password: input.password,
    options: {
      emailRedirectTo: `${siteUrl()}${ROUTES.authConfirm}?next=${encodeURIComponent(next)}`,
    },
  });
  if (error) {
    if (isAuthWeakPasswordError(error)) {
      const password = describeWeakPasswordReasons(error.reasons);
      throw new AppError("validation", password[0], { fieldErrors: { password } });
    }
    if (error.code === "user_already_exists" || error.code === "email_exists") {
      const email = ["An account with this email already exists. Sign in instead."];
      throw new AppError("validation", email[0], { fieldErrors: { email } });
    }
    if (error.code === "signup_disabled") {
      throw new AppError("forbidden", "Sign-ups are closed right now.");
    }
    if (error.status === 429) {
      throw new AppError("rate_limited", "Too many attempts. Wait a minute and try again.");
    }
    throw new AppError("unavailable", "We could not create your account. Try again.");
  }
  if (data.user) await recordAuthEvent("auth.sign_up", { userId: data.user.id });
  // With auto-confirm on, the account is signed in at once.
  if (data.session) redirect(next);
  redirect(`${ROUTES.signUpCheckEmail}?email=${encodeURIComponent(input.email)}`);
});
