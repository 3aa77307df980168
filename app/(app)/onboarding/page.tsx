import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { Logo } from "@/components/brand/logo";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ROUTES } from "@/lib/auth/routes";
import { requireUser } from "@/lib/auth/session";
import { listMyOrganizations } from "@/lib/organizations/memberships";
import { CreateOrganizationForm } from "./create-organization-form";

export const metadata: Metadata = { title: "Create a workspace" };

/** First sign-in without a membership lands here; members of others can add one more. */
export default async function OnboardingPage() {
  const user = await requireUser(ROUTES.onboarding);
  const organizations = await listMyOrganizations();
  const host = (await headers()).get("host") ?? "patchline.app";
  const first = organizations.length === 0;
  return (
    <div className="flex min-h-dvh flex-col bg-muted/40">
      <header className="flex items-center justify-between px-6 py-4">
        <Logo />
        <div className="flex items-center gap-3 text-sm text-muted-foreground">
          <span className="hidden sm:inline">{user.email}</span>
          <SignOutButton size="sm" />
        </div>
      </header>
      <main className="flex flex-1 items-start justify-center px-6 pt-10 pb-20 sm:pt-20">
        <Card className="w-full max-w-lg">
          <CardHeader className="pb-2">
            <p className="text-xs font-semibold tracking-wide text-primary uppercase">
              {first ? "Welcome to Patchline" : "New workspace"}
            </p>
            <CardTitle>
              <span className="text-xl">Create your workspace</span>
            </CardTitle>
            <CardDescription>
              A workspace holds your team, your support connections and your repositories. You can
              invite teammates next.
            </CardDescription>
          </CardHeader>
          <CardContent className="pt-4">
            <CreateOrganizationForm host={host} />
            {!first ? (
              <p className="mt-6 text-center text-sm text-muted-foreground">
                or{" "}
                <Link href={ROUTES.home} className="font-medium text-primary hover:underline">
                  go back to your workspaces
                </Link>
              </p>
            ) : (
              <p className="mt-6 text-center text-xs text-muted-foreground">
                Were you invited? Open the link in your invitation email to join that workspace.
              </p>
            )}
          </CardContent>
        </Card>
      </main>
    </div>
  );
}
