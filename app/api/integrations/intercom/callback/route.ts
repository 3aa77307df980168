import { publicRoute } from "@/lib/auth/guards";
import { backToSettings, failureOutcome } from "@/lib/integrations/callback-outcome";
import { completeIntercomConnect } from "@/lib/integrations/complete-connect";
import { finishConnect } from "@/lib/integrations/connect-flow";
import { oauthCallbackQuery } from "@/lib/integrations/schemas";

/**
 * Intercom's OAuth redirect. publicRoute for the same reason as Zendesk's: the state, session
 * and role are checked by `finishConnect`, and every outcome is a page.
 */
export const GET = publicRoute({ schema: oauthCallbackQuery }, async ({ input }) => {
  let slug: string | undefined;
  try {
    const caller = await finishConnect("intercom", input.state);
    slug = caller.org.slug;
    if (input.error || !input.code) return backToSettings(slug, "intercom", "denied");
    await completeIntercomConnect(caller, input.code);
    return backToSettings(slug, "intercom", "connected");
  } catch (error) {
    return failureOutcome(error, slug, "intercom");
  }
});
