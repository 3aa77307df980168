"use server";

import { revalidatePath } from "next/cache";
import QRCode from "qrcode";
import { z } from "zod";
import { recordAuthEvent } from "@/lib/auth/audit";
import { userAction } from "@/lib/auth/guards";
import { ROUTES } from "@/lib/auth/routes";
import { AppError } from "@/lib/errors";

export interface Enrollment {
  factorId: string;
  qrDataUrl: string;
  secret: string;
}

const codeSchema = z
  .string()
  .trim()
  .transform((s) => s.replace(/\s+/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app."));

/**
 * Starts TOTP enrollment: a new unverified factor, its QR code (rendered here, as a PNG data
 * URL) and the secret for manual entry. Half-finished earlier attempts are removed first.
 */
export const startTotpEnrollment = userAction(
  { schema: z.object({}) },
  async ({ supabase }): Promise<Enrollment> => {
    const { data: factors } = await supabase.auth.mfa.listFactors();
    for (const f of factors?.all ?? []) {
      if (f.factor_type === "totp" && f.status === "unverified") {
        await supabase.auth.mfa.unenroll({ factorId: f.id });
      }
    }
    const { data, error } = await supabase.auth.mfa.enroll({
      factorType: "totp",
      friendlyName: `Authenticator ${new Date().toISOString().slice(0, 10)}`,
      issuer: "Patchline",
    });
    if (error || !data) {
      throw new AppError(
        error?.code === "too_many_enrolled_mfa_factors" ? "conflict" : "unavailable",
        error?.code === "too_many_enrolled_mfa_factors"
          ? "You have the maximum number of authenticators. Remove one first."
          : "Could not start two-factor setup. Try again.",
      );
    }
    const qrDataUrl = await QRCode.toDataURL(data.totp.uri, { margin: 1, width: 200 });
    return { factorId: data.id, qrDataUrl, secret: data.totp.secret };
  },
);

/** Finishes enrollment with a first code; the session becomes aal2. */
export const verifyTotpEnrollment = userAction(
  { schema: z.object({ factorId: z.uuid(), code: codeSchema }) },
  async ({ supabase, input, user }) => {
    const { error } = await supabase.auth.mfa.challengeAndVerify({
      factorId: input.factorId,
      code: input.code,
    });
    if (error) {
      throw new AppError("validation", "That code is not valid. Enter the current code.", {
        fieldErrors: { code: ["That code is not valid. Enter the current code from the app."] },
      });
    }
    await recordAuthEvent("auth.mfa_enrolled", { userId: user.id });
    revalidatePath(ROUTES.accountSecurity);
    return {
      status: "success" as const,
      data: undefined,
      message: "Two-factor authentication is on.",
    };
  },
);

/** Removes an authenticator (needs an aal2 session when the factor is verified). */
export const removeTotpFactor = userAction(
  { schema: z.object({ factorId: z.uuid() }) },
  async ({ supabase, input, user }) => {
    const { error } = await supabase.auth.mfa.unenroll({ factorId: input.factorId });
    if (error) {
      throw new AppError(
        error.code === "insufficient_aal" ? "forbidden" : "unavailable",
        error.code === "insufficient_aal"
          ? "Verify a code from this authenticator first (sign out and in again)."
          : "Could not remove the authenticator. Try again.",
      );
    }
    await recordAuthEvent("auth.mfa_removed", { userId: user.id });
    revalidatePath(ROUTES.accountSecurity);
    return { status: "success" as const, data: undefined, message: "Authenticator removed." };
  },
);
