import { MailOpenIcon, TriangleAlertIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { AuthHeading } from "@/components/auth/auth-heading";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { formatDate } from "@/components/format-date";
import { Button } from "@/components/ui/button";
import { isRole, ROLE_DESCRIPTIONS, ROLE_LABELS } from "@/lib/auth/permissions";
import { orgRoutes, ROUTES, signInUrl } from "@/lib/auth/routes";
import { invitationTokenSchema } from "@/lib/auth/schemas";
import { getUser } from "@/lib/auth/session";
import { toAppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { getInvitation, type InvitationPreview } from "@/lib/organizations/invitations";
import { createClient } from "@/lib/supabase/server";
import { AcceptForm } from "./accept-form";

export const metadata: Metadata = { title: "Join a workspace" };

function Problem({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div data-testid="invite-problem">
      <span className="mb-6 grid size-11 place-items-center rounded-full bg-destructive/10 text-destructive">
        <TriangleAlertIcon className="size-5" aria-hidden="true" />
      </span>
      <AuthHeading title={title} description={children} />
      <Button asChild variant="outline">
        <Link href={ROUTES.home}>Go to Patchline</Link>
      </Button>
    </div>
  );
}

/** Where invitation emails link to: sign in (or up) as the invited address, then join. */
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const next = `${ROUTES.invite}/${encodeURIComponent(token)}`;
  if (!invitationTokenSchema.safeParse(token).success) {
    return (
      <Problem title="This invitation link is not valid">
        Check that you opened the whole link from the email, or ask for a new invitation.
      </Problem>
    );
  }
  const user = await getUser();
  if (!user) {
    return (
      <div data-testid="invite-sign-in">
        <span className="mb-6 grid size-11 place-items-center rounded-full bg-accent text-accent-foreground">
          <MailOpenIcon className="size-5" aria-hidden="true" />
        </span>
        <AuthHeading
          title="You are invited to Patchline"
          description="Sign in, or create an account with the email address the invitation was sent to, to see and accept it."
        />
        <div className="grid gap-3">
          <Button asChild>
            <Link
              href={`${ROUTES.signUp}?next=${encodeURIComponent(next)}`}
              data-testid="invite-sign-up"
            >
              Create an account
            </Link>
          </Button>
          <Button asChild variant="outline">
            <Link href={signInUrl(next)} data-testid="invite-sign-in-link">
              I already have an account
            </Link>
          </Button>
        </div>
      </div>
    );
  }
  let invitation: InvitationPreview | null = null;
  try {
    invitation = await getInvitation(await createClient(), token);
  } catch (error) {
    // Only "no such invitation" reads as not found; an outage must not look like a bad link.
    if (toAppError(error).code !== "not_found") {
      log.error({ err: error, module: "invite.page" }, "invitation lookup failed");
      return (
        <Problem title="We could not load this invitation">
          Something went wrong on our side. Your invitation is probably fine: try the link again in
          a moment.
        </Problem>
      );
    }
  }
  if (!invitation) {
    return (
      <Problem title="Invitation not found">
        This link does not match any invitation. Ask the person who invited you for a new one.
      </Problem>
    );
  }
  if (invitation.status === "accepted") {
    return (
      <Problem title="Invitation already used">
        This invitation was already accepted.{" "}
        <Link
          href={orgRoutes(invitation.organization_slug).home}
          className="font-medium text-primary underline"
        >
          Open {invitation.organization_name}
        </Link>{" "}
        if you are a member.
      </Problem>
    );
  }
  if (invitation.status === "revoked" || invitation.status === "expired") {
    return (
      <Problem
        title={invitation.status === "expired" ? "Invitation expired" : "Invitation revoked"}
      >
        Ask an admin of {invitation.organization_name} to invite you again.
      </Problem>
    );
  }
  const email = (user.email ?? "").toLowerCase();
  const role = isRole(invitation.role) ? invitation.role : "viewer";
  if (email !== invitation.email.toLowerCase()) {
    return (
      <div data-testid="invite-wrong-account">
        <AuthHeading
          title="This invitation is for someone else"
          description={
            <>
              It was sent to <strong className="text-foreground">{invitation.email}</strong>, but
              you are signed in as <strong className="text-foreground">{user.email}</strong>. Sign
              out and sign in with the invited address.
            </>
          }
        />
        <SignOutButton variant="outline" />
      </div>
    );
  }
  return (
    <div data-testid="invite-accept">
      <AuthHeading
        title={`Join ${invitation.organization_name}`}
        description="You have been invited to collaborate on Patchline."
      />
      <dl className="mb-6 grid gap-3 rounded-lg border bg-card p-4 text-sm">
        <div className="flex justify-between gap-4">
          <dt className="text-muted-foreground">Workspace</dt>
          <dd className="font-medium">{invitation.organization_name}</dd>
        </div>
        <div className="flex justify-between gap-4">
          <dt className="text-muted-foreground">Your role</dt>
          <dd className="text-right">
            <span className="font-medium" data-testid="invite-role">
              {ROLE_LABELS[role]}
            </span>
            <span className="block text-xs text-muted-foreground">{ROLE_DESCRIPTIONS[role]}</span>
          </dd>
        </div>
        <div className="flex justify-between gap-4">
          <dt className="text-muted-foreground">Expires</dt>
          <dd>{formatDate(invitation.expires_at)}</dd>
        </div>
      </dl>
      <AcceptForm token={token} organizationName={invitation.organization_name} />
    </div>
  );
}
