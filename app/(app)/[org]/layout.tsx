import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { AppShell } from "@/components/app-shell/app-shell";
import type { NavItem } from "@/components/app-shell/nav-links";
import { requireOrgMember } from "@/lib/auth/guards";
import { type Action, can, ROLE_LABELS } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { listMyOrganizations } from "@/lib/organizations/memberships";

/**
 * Pages a role may not open. Checked here, above the segment's loading boundary, so a refused
 * page answers a real HTTP 404 (the pages check again themselves).
 */
const PAGE_PERMISSION: Record<string, Action> = { audit: "audit_log.read" };

/** Every `/[org]/…` page: the member's workspace (404 for anyone else) in the app frame. */
export default async function OrganizationLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ org: string }>;
}) {
  const { org: slug } = await params;
  const user = await requireUser(`/${slug}`);
  const { org, role } = await requireOrgMember(slug);
  const page = (await headers()).get("x-pathname")?.split("/")[2];
  const needed = page ? PAGE_PERMISSION[page] : undefined;
  if (needed && !can(role, needed)) notFound();
  const all = await listMyOrganizations();
  const nav: NavItem[] = [
    { href: `/${org.slug}`, label: "Overview", icon: "home", testId: "nav-overview" },
    { href: `/${org.slug}/members`, label: "Members", icon: "members", testId: "nav-members" },
    { href: `/${org.slug}/settings`, label: "Settings", icon: "settings", testId: "nav-settings" },
  ];
  if (can(role, "audit_log.read")) {
    nav.push({
      href: `/${org.slug}/audit`,
      label: "Audit log",
      icon: "audit",
      testId: "nav-audit",
    });
  }
  return (
    <AppShell
      current={{ slug: org.slug, name: org.name, roleLabel: ROLE_LABELS[role] }}
      workspaces={all.map((w) => ({ slug: w.slug, name: w.name, roleLabel: ROLE_LABELS[w.role] }))}
      nav={nav}
      email={user.email ?? ""}
    >
      {children}
    </AppShell>
  );
}
