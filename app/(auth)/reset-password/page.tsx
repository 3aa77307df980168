import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthHeading } from "@/components/auth/auth-heading";
import { ROUTES } from "@/lib/auth/routes";
import { getUser } from "@/lib/auth/session";
import { ResetPasswordForm } from "./reset-password-form";

export const metadata: Metadata = { title: "Choose a new password" };

/** Reached through the recovery link (/auth/confirm signs the user in first). */
export default async function ResetPasswordPage() {
  const user = await getUser();
  if (!user) redirect(`${ROUTES.signIn}?error=link`);
  return (
    <>
      <AuthHeading
        title="Choose a new password"
        description={
          <>
            For <strong className="font-medium text-foreground">{user.email}</strong>. You will sign
            in again with it, on every device.
          </>
        }
      />
      <ResetPasswordForm />
    </>
  );
}
