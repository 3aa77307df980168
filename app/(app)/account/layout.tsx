import { AppShell } from "@/components/app-shell/app-shell";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { listMyOrganizations } from "@/lib/organizations/memberships";

/** Account pages: the app frame without a current workspace. */
export default async function AccountLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser("/account/security");
  const workspaces = await listMyOrganizations();
  return (
    <AppShell
      workspaces={workspaces.map((w) => ({
        slug: w.slug,
        name: w.name,
        roleLabel: ROLE_LABELS[w.role],
      }))}
      nav={[]}
      back={
        workspaces[0]
          ? { href: `/${workspaces[0].slug}`, label: `Back to ${workspaces[0].name}` }
          : { href: "/onboarding", label: "Create a workspace" }
      }
      email={user.email ?? ""}
    >
      {children}
    </AppShell>
  );
}
