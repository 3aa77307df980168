import { redirect } from "next/navigation";
import { getCurrentUser } from "@/app/_lib/session";
import { listMyWorkspaces } from "@/app/_lib/workspaces";

/** `/`: signed-out people sign in; new users create a workspace; others open their first one. */
export default async function Home() {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in");
  const workspaces = await listMyWorkspaces();
  const first = workspaces[0];
  if (!first) redirect("/onboarding");
  redirect(`/${first.slug}`);
}
