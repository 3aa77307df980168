import { LockIcon } from "lucide-react";
import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { can, ROLE_LABELS } from "@/lib/auth/permissions";
import { requireOrgPage } from "../org-pages";
import { RenameForm } from "./rename-form";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org: slug } = await params;
  const { org, role } = await requireOrgPage(slug, "settings");
  const mayUpdate = can(role, "organization.update");
  return (
    <>
      <PageHeader title="Settings" description={`General settings of ${org.name}.`} />
      <div className="grid grid-cols-1 gap-8">
        {mayUpdate ? null : (
          <Alert variant="info" data-testid="settings-read-only">
            <LockIcon aria-hidden="true" />
            <AlertTitle>Read-only</AlertTitle>
            <AlertDescription>
              You are a {ROLE_LABELS[role].toLowerCase()} of this workspace. Ask an owner or admin
              to change its settings.
            </AlertDescription>
          </Alert>
        )}
        <Card>
          <CardHeader>
            <CardTitle>Workspace name</CardTitle>
            <CardDescription>
              Shown in the workspace switcher and in invitation emails.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <RenameForm org={org.slug} name={org.name} disabled={!mayUpdate} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Workspace URL</CardTitle>
            <CardDescription>
              Links to this workspace use its URL. It cannot be changed yet.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <code
              className="rounded-md bg-muted px-2 py-1 font-mono text-sm"
              data-testid="settings-slug"
            >
              /{org.slug}
            </code>
          </CardContent>
        </Card>
      </div>
    </>
  );
}
