import { ShieldCheckIcon } from "lucide-react";
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthHeading } from "@/components/auth/auth-heading";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { safeNextPath, signInUrl } from "@/lib/auth/routes";
import { getAssurance, getUser } from "@/lib/auth/session";
import { MfaForm } from "./mfa-form";

export const metadata: Metadata = { title: "Two-factor authentication" };

export default async function MfaPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string }>;
}) {
  const next = safeNextPath((await searchParams).next);
  const user = await getUser();
  if (!user) redirect(signInUrl(next));
  const aal = await getAssurance();
  if (aal.current === "aal2" || aal.next !== "aal2") redirect(next);
  return (
    <>
      <span className="mb-6 grid size-11 place-items-center rounded-full bg-accent text-accent-foreground">
        <ShieldCheckIcon className="size-5" aria-hidden="true" />
      </span>
      <AuthHeading
        title="Two-factor authentication"
        description="Open your authenticator app and enter the 6-digit code for Patchline."
      />
      <MfaForm next={next} />
      <div className="mt-6 flex items-center justify-between gap-3 text-sm text-muted-foreground">
        <span className="truncate">Signed in as {user.email}</span>
        <SignOutButton variant="link" className="h-auto px-0" />
      </div>
    </>
  );
}
