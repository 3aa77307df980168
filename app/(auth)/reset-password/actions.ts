"use server";

import { isAuthWeakPasswordError } from "@supabase/supabase-js";
import { redirect } from "next/navigation";
import { z } from "zod";
import { recordAuthEvent } from "@/lib/auth/audit";
import { publicAction } from "@/lib/auth/guards";
import { describeWeakPasswordReasons } from "@/lib/auth/password-rules";
import { mfaChallengeUrl, ROUTES } from "@/lib/auth/routes";
import { passwordSchema } from "@/lib/auth/schemas";
import { getUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";

const schema = z
  .object({ password: passwordSchema, confirm: z.string({ error: "Repeat the password" }) })
  .refine((v) => v.password === v.confirm, {
    path: ["confirm"],
    message: "The two passwords do not match",
  });

/**
 * Sets a new password for the user the recovery link signed in, then signs out everywhere.
 * Public rather than `userAction`: an expired link must say so (`reason: "expired"`) beside a
 * link to ask for a new one, not answer "sign in to continue".
 */
export const resetPassword = publicAction({ schema }, async ({ input, supabase }) => {
  const user = await getUser();
  if (!user) {
    throw new AppError("unauthenticated", "Your reset link has expired. Request a new one.", {
      reason: "expired",
    });
  }
  const { error } = await supabase.auth.updateUser({ password: input.password });
  if (error) {
    if (isAuthWeakPasswordError(error)) {
      const password = describeWeakPasswordReasons(error.reasons);
      throw new AppError("validation", password[0], { fieldErrors: { password } });
    }
    if (error.code === "same_password") {
      const password = ["Choose a password you have not used for this account."];
      throw new AppError("validation", password[0], { fieldErrors: { password } });
    }
    if (error.code === "insufficient_aal") redirect(mfaChallengeUrl(ROUTES.resetPassword));
    throw new AppError("unavailable", "We could not change your password. Try again.");
  }
  await recordAuthEvent("auth.password_changed", { userId: user.id });
  // Every session ends, this one included: whoever held the old password is out.
  await supabase.auth.signOut({ scope: "global" });
  redirect(`${ROUTES.signIn}?notice=password-updated`);
});
