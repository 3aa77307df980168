import { redirect } from "next/navigation";
import { orgRoutes, ROUTES } from "@/lib/auth/routes";
import { getUser } from "@/lib/auth/session";
import { listMyOrganizations } from "@/lib/organizations/memberships";

/** `/`: signed-out people sign in; new users create a workspace; others open their first one. */
export default async function Home() {
  const user = await getUser();
  if (!user) redirect(ROUTES.signIn);
  const organizations = await listMyOrganizations();
  const first = organizations[0];
  if (!first) redirect(ROUTES.onboarding);
  redirect(orgRoutes(first.slug).home);
}
