import { can, ROLE_LABELS } from "@/app/_lib/access";
import { requireUser } from "@/app/_lib/session";
import { listMyWorkspaces, requireWorkspace } from "@/app/_lib/workspaces";
import { AppShell } from "@/components/app-shell/app-shell";
import type { NavItem } from "@/components/app-shell/nav-links";

/** Every `/[org]/…` page: the member's workspace (404 for anyone else) in the app frame. */
export default async function WorkspaceLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ org: string }>;
}) {
  const { org } = await params;
  const user = await requireUser(`/${org}`);
  const ws = await requireWorkspace(org);
  const all = await listMyWorkspaces();
  const nav: NavItem[] = [
    { href: `/${ws.slug}`, label: "Overview", icon: "home", testId: "nav-overview" },
    { href: `/${ws.slug}/members`, label: "Members", icon: "members", testId: "nav-members" },
    { href: `/${ws.slug}/settings`, label: "Settings", icon: "settings", testId: "nav-settings" },
  ];
  if (can(ws.role, "audit.read")) {
    nav.push({ href: `/${ws.slug}/audit`, label: "Audit log", icon: "audit", testId: "nav-audit" });
  }
  const toSwitcher = (w: typeof ws) => ({
    slug: w.slug,
    name: w.name,
    roleLabel: ROLE_LABELS[w.role],
  });
  return (
    <AppShell
      current={toSwitcher(ws)}
      workspaces={all.map(toSwitcher)}
      nav={nav}
      email={user.email ?? ""}
    >
      {children}
    </AppShell>
  );
}
