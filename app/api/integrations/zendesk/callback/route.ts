import { cookies } from "next/headers";
import { publicRoute } from "@/lib/auth/guards";
import { backToSettings, failureOutcome } from "@/lib/integrations/callback-outcome";
import { completeZendeskConnect } from "@/lib/integrations/complete-connect";
import { finishConnect } from "@/lib/integrations/connect-flow";
import { oauthCallbackQuery } from "@/lib/integrations/schemas";
import { zendeskSubdomain } from "@/lib/integrations/zendesk/client-config";
import { ZENDESK_SUBDOMAIN_COOKIE } from "@/lib/integrations/zendesk/subdomain-cookie";

/**
 * Zendesk's OAuth redirect. publicRoute (not userRoute) because every outcome must be a page
 * for the browser, not a JSON error: `finishConnect` checks the session, the signed single-use
 * state and the caller's role itself, and refuses (audited, nothing written) otherwise.
 */
export const GET = publicRoute({ schema: oauthCallbackQuery }, async ({ input }) => {
  let slug: string | undefined;
  try {
    const caller = await finishConnect("zendesk", input.state);
    slug = caller.org.slug;
    const jar = await cookies();
    const subdomain = zendeskSubdomain.safeParse(jar.get(ZENDESK_SUBDOMAIN_COOKIE)?.value ?? "");
    jar.delete({ name: ZENDESK_SUBDOMAIN_COOKIE, path: "/api/integrations/zendesk" });
    if (input.error || !input.code) return backToSettings(slug, "zendesk", "denied");
    if (!subdomain.success) return backToSettings(slug, "zendesk", "failed");
    await completeZendeskConnect(caller, subdomain.data, input.code);
    return backToSettings(slug, "zendesk", "connected");
  } catch (error) {
    return failureOutcome(error, slug, "zendesk");
  }
});
