"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { signInErrorMessage } from "@/app/_lib/auth-messages";
import { type FormState, fieldErrorsOf, formValues } from "@/app/_lib/form-state";
import { safeNext, siteUrl } from "@/app/_lib/site";
import { getSupabase } from "@/app/_lib/supabase";

const signInSchema = z.object({
  email: z.email("Enter a valid email address.").max(254),
  password: z.string().min(1, "Enter your password.").max(200),
  next: z.string().optional(),
});

/** Password sign-in; sends users with a verified TOTP factor on to the MFA challenge. */
export async function signIn(_prev: FormState, formData: FormData): Promise<FormState> {
  const values = formValues(formData, ["email", "next"]);
  const parsed = signInSchema.safeParse({
    email: String(formData.get("email") ?? "").trim(),
    password: formData.get("password") ?? "",
    next: formData.get("next") ?? undefined,
  });
  if (!parsed.success) {
    return { status: "error", fieldErrors: fieldErrorsOf(parsed.error), values };
  }
  const supabase = await getSupabase();
  const { error } = await supabase.auth.signInWithPassword({
    email: parsed.data.email,
    password: parsed.data.password,
  });
  if (error) {
    const { kind, message } = signInErrorMessage(error);
    return { status: "error", message, code: kind, values };
  }
  const next = safeNext(parsed.data.next);
  const { data: aal } = await supabase.auth.mfa.getAuthenticatorAssuranceLevel();
  if (aal?.nextLevel === "aal2" && aal.currentLevel !== "aal2") {
    redirect(`/mfa?next=${encodeURIComponent(next)}`);
  }
  redirect(next);
}

const resendSchema = z.object({ email: z.email("Enter a valid email address.") });

/** Sends the sign-up confirmation mail again (the answer never says whether the account exists). */
export async function resendConfirmation(_prev: FormState, formData: FormData): Promise<FormState> {
  const parsed = resendSchema.safeParse({ email: String(formData.get("email") ?? "").trim() });
  if (!parsed.success) return { status: "error", fieldErrors: fieldErrorsOf(parsed.error) };
  const supabase = await getSupabase();
  const origin = siteUrl((await headers()).get("origin"));
  await supabase.auth.resend({
    type: "signup",
    email: parsed.data.email,
    options: { emailRedirectTo: `${origin}/auth/confirm?next=/` },
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

/** Starts sign-in with GitHub or Google (PKCE; the verifier is kept in a cookie). */
export async function signInWithProvider(formData: FormData): Promise<void> {
  const parsed = providerSchema.safeParse({
    provider: formData.get("provider"),
    next: formData.get("next") ?? undefined,
  });
  if (!parsed.success) redirect("/sign-in?error=oauth");
  const origin = siteUrl((await headers()).get("origin"));
  const next = safeNext(parsed.data.next);
  const supabase = await getSupabase();
  const { data, error } = await supabase.auth.signInWithOAuth({
    provider: parsed.data.provider,
    options: { redirectTo: `${origin}/auth/callback?next=${encodeURIComponent(next)}` },
  });
  if (error || !data.url) redirect("/sign-in?error=oauth");
  redirect(data.url);
}
