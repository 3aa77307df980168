import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { readPreferences } from "@/lib/notifications/preferences";
import { requireOrgPage } from "../../org-pages";
import { PreferencesForm } from "./preferences-form";
import { SlackCard } from "./slack-card";

export const metadata: Metadata = { title: "Notifications" };

/** Settings → Notifications: the signed-in person's own channels per event in this workspace. */
export default async function NotificationSettingsPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<{ slack?: string | string[] }>;
}) {
  const { org: slug } = await params;
  const { slack } = await searchParams;
  const { org, role, user, supabase } = await requireOrgPage(slug, "notifications");
  const rows = await readPreferences(supabase, org.id, user.id, role);
  return (
    <>
      <PageHeader
        title="Notifications"
        description={`What you hear about in ${org.name}, and where. These choices are yours; other members choose their own.`}
      />
      <div className="grid grid-cols-1 gap-8">
        <Card>
          <CardHeader>
            <CardTitle>Events</CardTitle>
            <CardDescription>
              In the app, notifications appear under the bell. Emails go to {user.email}; each one
              has a link to stop that kind of email. Locked channels tell you about something that
              needs you and cannot be turned off.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <PreferencesForm
              org={org.slug}
              rows={rows.map((r) => ({
                type: r.type,
                label: r.spec.label,
                description: r.spec.description,
                inApp: r.inApp,
                email: r.email,
                lockedInApp: r.spec.lockedInApp,
                lockedEmail: r.spec.lockedEmail,
                emailOnly: r.spec.emailOnly,
                adminOnly: r.spec.adminOnly,
              }))}
            />
          </CardContent>
        </Card>
        {can(role, "integrations.manage") ? (
          <SlackCard
            org={org}
            userId={user.id}
            supabase={supabase}
            outcome={typeof slack === "string" ? slack : undefined}
          />
        ) : null}
      </div>
    </>
  );
}
