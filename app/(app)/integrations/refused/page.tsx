import { ShieldAlertIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { ROUTES } from "@/lib/auth/routes";

export const metadata: Metadata = { title: "Connection refused" };

/** Why a connect callback was refused, in words; unknown reasons get the generic sentence. */
const REASONS: Record<string, string> = {
  replayed: "This connection link was already used. Each link works once.",
  expired: "This connection link expired (links last 10 minutes).",
  forged: "This connection link was not issued by Patchline.",
  malformed: "This connection link is damaged or incomplete.",
  missing_state: "This connection link is incomplete.",
  wrong_user: "This connection was started by someone else.",
  wrong_session: "This connection was started in another sign-in session.",
  wrong_organization: "This connection was started for another workspace.",
  wrong_provider: "This connection link belongs to another provider.",
  no_session: "You are not signed in.",
  not_admin: "Only owners and admins of the workspace can connect integrations.",
  failed: "The connection could not be completed.",
};

/**
 * Where a refused OAuth or installation callback lands: nothing was connected or stored, and
 * the attempt was written to the audit log. Start again from Settings → Integrations.
 */
export default async function ConnectionRefusedPage({
  searchParams,
}: {
  searchParams: Promise<{ reason?: string }>;
}) {
  const { reason } = await searchParams;
  const why = (reason && REASONS[reason]) ?? "This connection link cannot be used.";
  return (
    <main className="grid min-h-svh place-items-center bg-muted/40 px-4 py-12">
      <Card className="w-full max-w-md" data-testid="connect-refused" data-reason={reason ?? ""}>
        <CardHeader>
          <span className="mb-2 grid size-10 place-items-center rounded-full bg-destructive/10 text-destructive">
            <ShieldAlertIcon className="size-5" aria-hidden="true" />
          </span>
          <h1 className="text-lg font-semibold leading-tight tracking-tight">Connection refused</h1>
          <CardDescription>{why}</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4 text-sm">
          <p>
            Nothing was connected and nothing was stored. The attempt is recorded in the workspace’s
            audit log. To connect, start again from Settings → Integrations.
          </p>
          <div>
            <Button asChild>
              <Link href={ROUTES.home}>Go to your workspaces</Link>
            </Button>
          </div>
        </CardContent>
      </Card>
    </main>
  );
}
