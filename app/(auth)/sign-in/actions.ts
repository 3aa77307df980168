"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { signInErrorMessage } from "@/app/_lib/auth-messages";
import { type FormState, fieldErrorsOf, formValues } from "@/app/_lib/form-state";
import { siteUrl } from "@/app/_lib/site";
import { recordAuthEvent } from "@/lib/auth/audit";
import { ROUTES, safeNextPath } from "@/lib/auth/routes";
import { emailSchema } from "@/lib/auth/schemas";
import { createClient } from "@/lib/supabase/server";

const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password").max(200),
  next: z.string().optional(),
});

/**
 * Password sign-in. Wrong credentials, an unconfirmed address and a locked account each get
 * their own message; users with a verified TOTP factor go on to the challenge.
 */
export async function signIn(_prev: FormState, formData: FormData): Promise<FormState> {
  const values = formValues(formData, ["email", "next"]);
  const parsed = signInSchema.safeParse({
    email: formData.get("email") ?? "",
    password: formData.get("password") ?? "",
    next: formData.get("next") ?? undefined,
  });
  if (!parsed.success) {
    return { status: "error", fieldErrors: fieldErrorsOf(parsed.error), values };
  }
  const supabase = await createClient();
  const { data, error } = await supabase.auth.signInWithPassword({
    email: parsed.data.email,
    password: parsed.data.password,
  });
  if (error) {
    const { kind, message } = signInErrorMessage(error);
    await recordAuthEvent(
      kind === "locked" ? "auth.sign_in_locked" : "auth.sign_in_failed",
      { email: parsed.data.email },
      { reason: error.code ?? "unknown" },
    );
    return { status: "error", message, code: kind, values };
  }
  await recordAuthEvent("auth.sign_in", { userId: data.user.id }, { method: "password" });
  const next = safeNextPath(parsed.data.next);
  const { data: aal } = await supabase.auth.mfa.getAuthenticatorAssuranceLevel();
  if (aal?.nextLevel === "aal2" && aal.currentLevel !== "aal2") {
    redirect(`${ROUTES.mfaChallenge}?next=${encodeURIComponent(next)}`);
  }
  redirect(next);
}

const resendSchema = z.object({ email: emailSchema });

/** Sends the sign-up confirmation mail again (the answer never says whether the account exists). */
export async function resendConfirmation(_prev: FormState, formData: FormData): Promise<FormState> {
  const parsed = resendSchema.safeParse({ email: formData.get("email") ?? "" });
  if (!parsed.success) return { status: "error", fieldErrors: fieldErrorsOf(parsed.error) };
  const supabase = await createClient();
  await supabase.auth.resend({
    type: "signup",
    email: parsed.data.email,
    options: { emailRedirectTo: `${siteUrl()}${ROUTES.authConfirm}` },
  });
  return {
    status: "success",
    message: "If that account is waiting for confirmation, a new link is on its way.",
  };
}

const providerSchema = z.object({
  provider: z.enum(["github", "google"]),
  next: z.string().optional(),
});

/** Starts sign-in with GitHub or Google (PKCE; the verifier waits in an HTTP-only cookie). */
export async function signInWithProvider(formData: FormData): Promise<void> {
  const parsed = providerSchema.safeParse({
    provider: formData.get("provider"),
    next: formData.get("next") ?? undefined,
  });
  if (!parsed.success) redirect(`${ROUTES.signIn}?error=oauth`);
  const next = safeNextPath(parsed.data.next);
  const supabase = await createClient();
  const { data, error } = await supabase.auth.signInWithOAuth({
    provider: parsed.data.provider,
    options: {
      redirectTo: `${siteUrl()}${ROUTES.authCallback}?next=${encodeURIComponent(next)}`,
    },
  });
  if (error || !data.url) redirect(`${ROUTES.signIn}?error=oauth`);
  redirect(data.url);
}
