import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthHeading } from "@/components/auth/auth-heading";
import { ROUTES, safeNextPath, signInUrl } from "@/lib/auth/routes";
import { getUser } from "@/lib/auth/session";
import { OAuthButtons, OrDivider } from "../_components/oauth-buttons";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create your account" };

export default async function SignUpPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string; email?: string }>;
}) {
  const params = await searchParams;
  const next = safeNextPath(params.next);
  if (await getUser()) redirect(next);
  return (
    <>
      <AuthHeading
        title="Create your account"
        description={
          <>
            Already have one?{" "}
            <Link
              href={signInUrl(next === ROUTES.home ? undefined : next)}
              className="font-medium text-primary hover:underline"
            >
              Sign in
            </Link>
          </>
        }
      />
      <OAuthButtons next={next} />
      <OrDivider label="or sign up with email" />
      <SignUpForm next={next === "/" ? undefined : next} email={params.email} />
      <p className="mt-6 text-center text-xs text-muted-foreground">
        We will email you a link to confirm your address.
      </p>
    </>
  );
}
