"use server";

import { isAuthWeakPasswordError } from "@supabase/supabase-js";
import { redirect } from "next/navigation";
import { z } from "zod";
import { type FormState, fieldErrorsOf } from "@/app/_lib/form-state";
import { brokenPasswordRules, describeWeakPasswordReasons } from "@/app/_lib/password-rules";
import { getSupabase } from "@/app/_lib/supabase";

const schema = z
  .object({
    password: z.string().superRefine((p, ctx) => {
      for (const rule of brokenPasswordRules(p)) ctx.addIssue({ code: "custom", message: rule });
    }),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, {
    path: ["confirm"],
    message: "The two passwords do not match.",
  });

/** Sets a new password for the user signed in by the recovery link, then signs them out everywhere. */
export async function resetPassword(_prev: FormState, formData: FormData): Promise<FormState> {
  const parsed = schema.safeParse({
    password: formData.get("password") ?? "",
    confirm: formData.get("confirm") ?? "",
  });
  if (!parsed.success) return { status: "error", fieldErrors: fieldErrorsOf(parsed.error) };
  const supabase = await getSupabase();
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
      redirect("/mfa?next=/reset-password");
    }
    return { status: "error", message: "We could not change your password. Try again." };
  }
  // Every session, this one included, ends: whoever held the old password is out.
  await supabase.auth.signOut({ scope: "global" });
  redirect("/sign-in?notice=password-updated");
}
