import { MailIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { AuthHeading } from "@/components/auth/auth-heading";

export const metadata: Metadata = { title: "Check your email" };

export default async function CheckEmailPage({
  searchParams,
}: {
  searchParams: Promise<{ email?: string; reason?: string }>;
}) {
  const { email, reason } = await searchParams;
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
              : ". Open it on this device to activate your account."}
          </>
        }
      />
      <ul className="grid gap-2 text-sm text-muted-foreground">
        <li>• The link works once and expires after an hour.</li>
        <li>• Nothing there? Check spam, or wait a minute and try again.</li>
      </ul>
      <p className="mt-8 text-sm">
        <Link href="/sign-in" className="font-medium text-primary hover:underline">
          Back to sign in
        </Link>
      </p>
    </div>
  );
}
