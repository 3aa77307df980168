import { MailIcon } from "lucide-react";
import Link from "next/link";
import { AuthHeading } from "@/components/auth/auth-heading";
import { ROUTES } from "@/lib/auth/routes";

/**
 * "Check your email" after sign-up or a reset request. The reset variant never says whether
 * the address has an account.
 */
export function CheckEmail({ email, reason }: { email?: string; reason: "sign-up" | "reset" }) {
  const isReset = reason === "reset";
  return (
    <div data-testid="check-email">
      <span className="mb-6 grid size-11 place-items-center rounded-full bg-accent text-accent-foreground">
        <MailIcon className="size-5" aria-hidden="true" />
      </span>
      <AuthHeading
        title="Check your email"
        description={
          <>
            {isReset ? "If an account exists for " : "We sent a confirmation link to "}
            <strong className="font-medium text-foreground">{email ?? "your inbox"}</strong>
            {isReset
              ? ", we sent it a link to choose a new password."
              : ". Open it in this browser to activate your account."}
          </>
        }
      />
      <ul className="grid list-disc gap-2 pl-5 text-sm text-muted-foreground">
        <li>The link works once and expires after an hour.</li>
        <li>Nothing there? Check your spam folder, or wait a minute and try again.</li>
      </ul>
      <p className="mt-8 text-sm">
        <Link href={ROUTES.signIn} className="font-medium text-primary hover:underline">
          Back to sign in
        </Link>
      </p>
    </div>
  );
}
