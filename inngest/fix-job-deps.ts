/**
 * What the fix jobs (`fix-attempt`, `fix-review-round`) need in each step: the admin client for
 * the workspace (audited with the step's reason), an Octokit for a GitHub integration of it, and
 * the workspace's LLM client or null (no provider, or a key that cannot be opened: the request is
 * then shown instead of patched). Imports are dynamic, as in every function, so serving
 * `/api/inngest` does not load the GitHub and LLM SDKs until a step runs.
 */
export async function fixJobDeps(organizationId: string, reason: string) {
  const [{ createAdminClient }, { getAccessToken }, { serverEnv }, github] = await Promise.all([
    import("@/lib/supabase/admin"),
    import("@/lib/integrations/access-token"),
    import("@/lib/env"),
    import("@/lib/integrations/github/app"),
  ]);
  const admin = await createAdminClient({ reason, organizationId });
  const octokitFor = async (integrationId: string) =>
    github.installationOctokit(
      serverEnv().GITHUB_API_BASE,
      await getAccessToken({ id: integrationId, organizationId }),
    );
  return { admin, organizationId, octokitFor };
}

export type FixJobDeps = Awaited<ReturnType<typeof fixJobDeps>>;

export async function fixJobLlmClient(deps: FixJobDeps) {
  const { workspaceLlmClientOrOffline } = await import(
    "@/lib/pipeline/llm/workspace-client-or-offline"
  );
  return workspaceLlmClientOrOffline(deps.admin, deps.organizationId, "proposing no patch");
}
