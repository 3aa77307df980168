import {
  ArrowRightIcon,
  GitPullRequestIcon,
  HeadphonesIcon,
  InboxIcon,
  type LucideIcon,
  UsersIcon,
} from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { orgRoutes } from "@/lib/auth/routes";
import { requireOrgPage } from "./org-pages";

export const metadata: Metadata = { title: "Overview" };

function Step({
  n,
  icon: Icon,
  title,
  children,
  action,
  testId,
}: {
  n: number;
  icon: LucideIcon;
  title: string;
  children: React.ReactNode;
  action: React.ReactNode;
  testId: string;
}) {
  return (
    <li className="flex gap-4 p-5" data-testid={testId}>
      <span className="grid size-9 shrink-0 place-items-center rounded-lg bg-accent text-accent-foreground">
        <Icon className="size-4" aria-hidden="true" />
      </span>
      <div className="min-w-0 flex-1">
        <p className="text-sm font-medium">
          <span className="sr-only">Step {n}: </span>
          {title}
        </p>
        <p className="mt-1 text-sm text-muted-foreground">{children}</p>
      </div>
      <div className="shrink-0 self-center">{action}</div>
    </li>
  );
}

export default async function OverviewPage({ params }: { params: Promise<{ org: string }> }) {
  const { org: slug } = await params;
  const { org, role } = await requireOrgPage(slug, "overview");
  const mayInvite = can(role, "members.invite");
  return (
    <>
      <PageHeader
        title={org.name}
        description="Patchline turns support tickets into bugs mapped to your code. Here is how to get there."
      />
      <Card>
        <CardHeader>
          <CardTitle>Get started</CardTitle>
          <CardDescription>Three steps to your first mapped bug.</CardDescription>
        </CardHeader>
        <ol className="divide-y border-t">
          <Step
            n={1}
            icon={HeadphonesIcon}
            title="Connect Zendesk or Intercom"
            testId="step-connect-support"
            action={
              <Badge variant="secondary" aria-label="Coming soon">
                Coming soon
              </Badge>
            }
          >
            Patchline reads new tickets as they arrive and keeps only the ones that describe bugs.
          </Step>
          <Step
            n={2}
            icon={GitPullRequestIcon}
            title="Install the GitHub App"
            testId="step-github-app"
            action={
              <Badge variant="secondary" aria-label="Coming soon">
                Coming soon
              </Badge>
            }
          >
            Patchline indexes your repository to find the file and function behind each bug, and
            drafts the pull request.
          </Step>
          <Step
            n={3}
            icon={UsersIcon}
            title="Invite your team"
            testId="step-invite"
            action={
              mayInvite ? (
                <Button asChild size="sm" variant="outline">
                  <Link href={orgRoutes(org.slug).members}>
                    Invite
                    <ArrowRightIcon aria-hidden="true" />
                  </Link>
                </Button>
              ) : (
                <Button asChild size="sm" variant="ghost">
                  <Link href={orgRoutes(org.slug).members}>See members</Link>
                </Button>
              )
            }
          >
            Support and engineering review bugs together. Give each person the role they need.
          </Step>
        </ol>
      </Card>
      <section aria-labelledby="bugs-heading" className="mt-10">
        <h2 id="bugs-heading" className="mb-3 text-sm font-semibold">
          Mapped bugs
        </h2>
        <EmptyState icon={InboxIcon} title="No bugs yet" testId="dashboard-empty">
          Once a support tool is connected, bugs found in your tickets appear here with the code
          they point to.
        </EmptyState>
      </section>
    </>
  );
}
