"use server";

import { isAuthWeakPasswordError } from "@supabase/supabase-js";
import { redirect } from "next/navigation";
import { z } from "zod";
import { type FormState, fieldErrorsOf } from "@/app/_lib/form-state";
import { describeWeakPasswordReasons } from "@/app/_lib/password-rules";
import { recordAuthEvent } from "@/lib/auth/audit";
import { ROUTES } from "@/lib/auth/routes";
import { passwordSchema } from "@/lib/auth/schemas";
import { createClient } from "@/lib/supabase/server";

const schema = z
  .object({ password: passwordSchema, confirm: z.string() })
  .refine((v) => v.password === v.confirm, {
    path: ["confirm"],
    message: "The two passwords do not match",
  });

/** Sets a new password for the user the recovery link signed in, then signs out everywhere. */
export async function resetPassword(_prev: FormState, formData: FormData): Promise<FormState> {
  const parsed = schema.safeParse({
    password: formData.get("password") ?? "",
    confirm: formData.get("confirm") ?? "",
  });
  if (!parsed.success) return { status: "error", fieldErrors: fieldErrorsOf(parsed.error) };
  const supabase = await createClient();
  const { data: userData } = await supabase.auth.getUser();
  if (!userData.user) {
    return {
      status: "error",
      message: "Your reset link has expired. Request a new one.",
      code: "expired",
    };
  }
  const { error } = await supabase.auth.updateUser({ password: parsed.data.password });
  if (error) {
    if (isAuthWeakPasswordError(error)) {
      return {
        status: "error",
        fieldErrors: { password: describeWeakPasswordReasons(error.reasons) },
      };
    }
    if (error.code === "same_password") {
      return {
        status: "error",
        fieldErrors: { password: ["Choose a password you have not used for this account."] },
      };
    }
    if (error.code === "insufficient_aal") {
      redirect(`${ROUTES.mfaChallenge}?next=${encodeURIComponent(ROUTES.resetPassword)}`);
    }
    return { status: "error", message: "We could not change your password. Try again." };
  }
  await recordAuthEvent("auth.password_changed", { userId: userData.user.id });
  // Every session ends, this one included: whoever held the old password is out.
  await supabase.auth.signOut({ scope: "global" });
  redirect(`${ROUTES.signIn}?notice=password-updated`);
}
