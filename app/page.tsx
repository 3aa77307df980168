import { redirect } from "next/navigation";
import { getUser } from "@/lib/auth/session";
import { listMyOrganizations } from "@/lib/organizations/memberships";

/** `/`: signed-out people sign in; new users create a workspace; others open their first one. */
export default async function Home() {
  const user = await getUser();
  if (!user) redirect("/sign-in");
  const workspaces = await listMyOrganizations();
  const first = workspaces[0];
  if (!first) redirect("/onboarding");
  redirect(`/${first.slug}`);
}
