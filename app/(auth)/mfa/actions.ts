"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { type FormState, fieldErrorsOf } from "@/app/_lib/form-state";
import { recordAuthEvent } from "@/lib/auth/audit";
import { ROUTES, safeNextPath } from "@/lib/auth/routes";
import { createClient } from "@/lib/supabase/server";

const schema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app"),
  next: z.string().optional(),
});

/** Verifies a TOTP code against the user's verified factor, lifting the session to aal2. */
export async function verifyMfaChallenge(_prev: FormState, formData: FormData): Promise<FormState> {
  const parsed = schema.safeParse({
    code: String(formData.get("code") ?? "").replace(/\s+/g, ""),
    next: formData.get("next") ?? undefined,
  });
  if (!parsed.success) return { status: "error", fieldErrors: fieldErrorsOf(parsed.error) };
  const next = safeNextPath(parsed.data.next);
  const supabase = await createClient();
  const { data: userData } = await supabase.auth.getUser();
  if (!userData.user) redirect(ROUTES.signIn);
  const { data: factors } = await supabase.auth.mfa.listFactors();
  const factor = factors?.totp.find((f) => f.status === "verified");
  if (!factor) redirect(next);
  const { error } = await supabase.auth.mfa.challengeAndVerify({
    factorId: factor.id,
    code: parsed.data.code,
  });
  if (error) {
    await recordAuthEvent("auth.mfa_challenge_failed", { userId: userData.user.id });
    const locked = error.status === 429 || error.code === "over_request_rate_limit";
    return {
      status: "error",
      fieldErrors: {
        code: [
          locked
            ? "Too many attempts. Wait a few minutes before trying again."
            : "That code is not valid. Codes change every 30 seconds; enter the current one.",
        ],
      },
    };
  }
  await recordAuthEvent("auth.mfa_verified", { userId: userData.user.id });
  redirect(next);
}
