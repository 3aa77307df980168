"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { assuranceOfLevels, needsMfaChallenge } from "@/lib/auth/assurance";
import { recordAuthEvent } from "@/lib/auth/audit";
import { publicAction } from "@/lib/auth/guards";
import { mfaChallengeUrl, ROUTES, safeNextPath } from "@/lib/auth/routes";
import { emailSchema } from "@/lib/auth/schemas";
import { signInErrorMessage } from "@/lib/auth/sign-in-errors";
import { siteUrl } from "@/lib/env";
import { AppError } from "@/lib/errors";

const signInSchema = z.object({
  email: emailSchema,
  password: z.string({ error: "Enter your password" }).min(1, "Enter your password").max(200),
  next: z.string().optional(),
});

/** The AppError code for each way the auth server refuses a sign-in (the form reads `reason`). */
const SIGN_IN_ERROR_CODE = {
  invalid: "unauthenticated",
  unconfirmed: "forbidden",
  locked: "rate_limited",
  other: "unavailable",
} as const;

/**
 * Password sign-in. Wrong credentials, an unconfirmed address and a locked account each get
 * their own message (`reason` tells the form which); users with a verified TOTP factor go on to
 * the challenge.
 */
export const signIn = publicAction({ schema: signInSchema }, async ({ input, supabase }) => {
  const { data, error } = await supabase.auth.signInWithPassword({
    email: input.email,
    password: input.password,
  });
  if (error) {
    const { kind, message } = signInErrorMessage(error);
    await recordAuthEvent(
      kind === "locked" ? "auth.sign_in_locked" : "auth.sign_in_failed",
      { email: input.email },
      { reason: error.code ?? "unknown" },
    );
    throw new AppError(SIGN_IN_ERROR_CODE[kind], message, { reason: kind });
  }
  await recordAuthEvent("auth.sign_in", { userId: data.user.id }, { method: "password" });
  const next = safeNextPath(input.next);
  const { data: levels } = await supabase.auth.mfa.getAuthenticatorAssuranceLevel();
  if (needsMfaChallenge(assuranceOfLevels(levels))) redirect(mfaChallengeUrl(next));
  redirect(next);
});

/** Sends the sign-up confirmation mail again (the answer never says whether the account exists). */
export const resendConfirmation = publicAction(
  { schema: z.object({ email: emailSchema }) },
  async ({ input, supabase }) => {
    await supabase.auth.resend({
      type: "signup",
      email: input.email,
      options: { emailRedirectTo: `${siteUrl()}${ROUTES.authConfirm}` },
    });
    return {
      status: "success" as const,
      data: undefined,
      message: "If that account is waiting for confirmation, a new link is on its way.",
    };
  },
);

const providerSchema = z.object({
  provider: z.enum(["github", "google"]),
  next: z.string().optional(),
});

/**
 * Starts sign-in with GitHub or Google (PKCE; the verifier waits in an HTTP-only cookie). Posted
 * by a plain form (bound to `idleState`), so every failure redirects back to sign-in instead of
 * returning a state nobody renders.
 */
export const signInWithProvider = publicAction(
  { schema: z.unknown() },
  async ({ input, supabase }) => {
    const parsed = providerSchema.safeParse(input);
    if (!parsed.success) redirect(`${ROUTES.signIn}?error=oauth`);
    const next = safeNextPath(parsed.data.next);
    const { data, error } = await supabase.auth.signInWithOAuth({
      provider: parsed.data.provider,
      options: {
        redirectTo: `${siteUrl()}${ROUTES.authCallback}?next=${encodeURIComponent(next)}`,
      },
    });
    if (error || !data.url) redirect(`${ROUTES.signIn}?error=oauth`);
    redirect(data.url);
  },
);
