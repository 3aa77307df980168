import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthHeading } from "@/components/auth/auth-heading";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { ROUTES, safeNextPath } from "@/lib/auth/routes";
import { getUser } from "@/lib/auth/session";
import { OAuthButtons, OrDivider } from "../_components/oauth-buttons";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

const NOTICES: Record<string, { tone: "info" | "destructive"; text: string }> = {
  "password-updated": {
    tone: "info",
    text: "Your password was changed. Sign in with the new one.",
  },
  "signed-out": { tone: "info", text: "You are signed out." },
  confirmed: { tone: "info", text: "Your email is confirmed. Sign in to continue." },
  oauth: {
    tone: "destructive",
    text: "Sign-in with that provider did not complete. Try again or use your email.",
  },
  link: {
    tone: "destructive",
    text: "That link is invalid or has expired. Request a new one and use it within the hour.",
  },
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string; notice?: string; error?: string; email?: string }>;
}) {
  const params = await searchParams;
  const next = safeNextPath(params.next);
  if (await getUser()) redirect(next);
  const notice = NOTICES[params.error ?? params.notice ?? ""];
  return (
    <>
      <AuthHeading
        title="Sign in to Patchline"
        description={
          <>
            New here?{" "}
            <Link
              href={
                next === ROUTES.home
                  ? ROUTES.signUp
                  : `${ROUTES.signUp}?next=${encodeURIComponent(next)}`
              }
              className="font-medium text-primary hover:underline"
            >
              Create an account
            </Link>
          </>
        }
      />
      {notice ? (
        <Alert variant={notice.tone} className="mb-6" data-testid="sign-in-notice">
          <AlertDescription>{notice.text}</AlertDescription>
        </Alert>
      ) : null}
      <OAuthButtons next={next} />
      <OrDivider />
      <SignInForm next={next} email={params.email} />
    </>
  );
}
