import { publicRoute } from "@/lib/auth/guards";
import { backToSettings, failureOutcome } from "@/lib/integrations/callback-outcome";
import { completeGitHubConnect } from "@/lib/integrations/complete-connect";
import { finishConnect } from "@/lib/integrations/connect-flow";
import { githubSetupQuery } from "@/lib/integrations/schemas";

/**
 * The GitHub App's setup URL (GitHub redirects here after an install or a change of repository
 * access, with `installation_id`, `setup_action` and our `state`). publicRoute because every
 * outcome is a page; `finishConnect` checks session, state and role. The installation id is
 * then verified with the app JWT before anything is stored.
 */
export const GET = publicRoute({ schema: githubSetupQuery }, async ({ input }) => {
  let slug: string | undefined;
  try {
    const caller = await finishConnect("github", input.state);
    slug = caller.org.slug;
    if (!input.installation_id || input.setup_action === "request") {
      return backToSettings(slug, "github", "denied");
    }
    await completeGitHubConnect(caller, input.installation_id);
    return backToSettings(
      slug,
      "github",
      input.setup_action === "update" ? "updated" : "connected",
    );
  } catch (error) {
    return failureOutcome(error, slug, "github");
  }
});
