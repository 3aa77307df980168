import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { AppShell } from "@/components/app-shell/app-shell";
import { NotificationBell } from "@/components/notifications/notification-bell";
import { requireOrgMember } from "@/lib/auth/guards";
import { can, ROLE_LABELS } from "@/lib/auth/permissions";
import { orgRoutes } from "@/lib/auth/routes";
import { requireUser } from "@/lib/auth/session";
import { readInbox } from "@/lib/notifications/inbox";
import { listMyOrganizations } from "@/lib/organizations/memberships";
import { ORG_PAGES, orgDetailVisible, orgNav, orgPageOf } from "./org-pages";
import { markAllNotificationsRead, markNotificationRead } from "./settings/notifications/actions";

/** Every `/[org]/…` page: the member's workspace (404 for anyone else) in the app frame. */
export default async function OrganizationLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ org: string }>;
}) {
  const { org: slug } = await params;
  const user = await requireUser(orgRoutes(slug).home);
  const { org, role, supabase } = await requireOrgMember(slug);
  // Checked here, above the segment's loading boundary, so a refused page answers a real 404.
  const path = (await headers()).get("x-pathname")?.split("/").slice(2).join("/");
  const page = orgPageOf(path || undefined);
  if (page && !can(role, ORG_PAGES[page].permission)) notFound();
  // a detail id (`bugs/<id>`) the member cannot see is refused here too, for the same reason
  const detailId =
    page && path ? path.slice((ORG_PAGES[page].segment ?? "").length + 1).split("/")[0] : undefined;
  if (page && !(await orgDetailVisible(supabase, org.id, page, detailId || undefined))) notFound();
  const [all, inbox] = await Promise.all([listMyOrganizations(), readInbox(supabase, org)]);
  const nav = orgNav(org.slug, role);
  return (
    <AppShell
      current={{ slug: org.slug, name: org.name, roleLabel: ROLE_LABELS[role] }}
      organizations={all.map((w) => ({
        slug: w.slug,
        name: w.name,
        roleLabel: ROLE_LABELS[w.role],
      }))}
      nav={nav}
      email={user.email ?? ""}
      bell={
        <NotificationBell
          org={org.slug}
          items={inbox.items}
          unread={inbox.unread}
          settingsHref={orgRoutes(org.slug).notifications}
          markNotificationRead={markNotificationRead}
          markAllNotificationsRead={markAllNotificationsRead}
        />
      }
    >
      {children}
    </AppShell>
  );
}
