"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { recordAuthEvent } from "@/lib/auth/audit";
import { publicAction } from "@/lib/auth/guards";
import { ROUTES, safeNextPath } from "@/lib/auth/routes";
import { getUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";

const schema = z.object({
  code: z
    .string({ error: "Enter the 6-digit code from your authenticator app" })
    .transform((s) => s.replace(/\s+/g, ""))
    .pipe(z.string().regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app")),
  next: z.string().optional(),
});

/**
 * Verifies a TOTP code against the user's verified factor, lifting the session to aal2. Public
 * rather than `userAction`: a session that lost its user goes back to sign-in, not to an error.
 */
export const verifyMfaChallenge = publicAction({ schema }, async ({ input, supabase }) => {
  const next = safeNextPath(input.next);
  const user = await getUser();
  if (!user) redirect(ROUTES.signIn);
  const { data: factors } = await supabase.auth.mfa.listFactors();
  const factor = factors?.totp.find((f) => f.status === "verified");
  if (!factor) redirect(next);
  const { error } = await supabase.auth.mfa.challengeAndVerify({
    factorId: factor.id,
    code: input.code,
  });
  if (error) {
    await recordAuthEvent("auth.mfa_challenge_failed", { userId: user.id });
    const locked = error.status === 429 || error.code === "over_request_rate_limit";
    const code = [
      locked
        ? "Too many attempts. Wait a few minutes before trying again."
        : "That code is not valid. Codes change every 30 seconds; enter the current one.",
    ];
    throw new AppError(locked ? "rate_limited" : "validation", code[0], { fieldErrors: { code } });
  }
  await recordAuthEvent("auth.mfa_verified", { userId: user.id });
  redirect(next);
});
