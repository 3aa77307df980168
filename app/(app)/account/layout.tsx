import { AppShell } from "@/components/app-shell/app-shell";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { orgRoutes, ROUTES } from "@/lib/auth/routes";
import { requireUser } from "@/lib/auth/session";
import { listMyOrganizations } from "@/lib/organizations/memberships";

/** Account pages: the app frame without a current workspace. */
export default async function AccountLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser(ROUTES.accountSecurity);
  const organizations = await listMyOrganizations();
  return (
    <AppShell
      organizations={organizations.map((w) => ({
        slug: w.slug,
        name: w.name,
        roleLabel: ROLE_LABELS[w.role],
      }))}
      nav={[]}
      back={
        organizations[0]
          ? {
              href: orgRoutes(organizations[0].slug).home,
              label: `Back to ${organizations[0].name}`,
            }
          : { href: ROUTES.onboarding, label: "Create a workspace" }
      }
      email={user.email ?? ""}
    >
      {children}
    </AppShell>
  );
}
