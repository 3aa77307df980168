import { publicRoute } from "@/lib/auth/guards";
import { orgRoutes } from "@/lib/auth/routes";
import { siteUrl } from "@/lib/env";
import { refused } from "@/lib/integrations/callback-outcome";
import { ConnectRefusedError, finishConnect } from "@/lib/integrations/connect-flow";
import { oauthCallbackQuery } from "@/lib/integrations/schemas";
import { completeSlackConnect } from "@/lib/integrations/slack/connection";
import { log } from "@/lib/log";

const callbackLog = log.child({ module: "integrations.slack.callback" });

/**
 * Slack's OAuth v2 redirect. A publicRoute like the other connect callbacks: `finishConnect`
 * checks the signed single-use state, the session and the role, and every outcome is a page:
 * back to Settings → Notifications with a fixed outcome code (nothing from Slack is echoed).
 */
export const GET = publicRoute({ schema: oauthCallbackQuery }, async ({ input }) => {
  let slug: string | undefined;
  try {
    const caller = await finishConnect("slack", input.state);
    slug = caller.org.slug;
    if (input.error || !input.code) return back(slug, "denied");
    await completeSlackConnect(caller, input.code);
    return back(slug, "connected");
  } catch (error) {
    if (error instanceof ConnectRefusedError) return refused(error.reason);
    callbackLog.error({ err: error }, "Slack connect failed");
    return slug ? back(slug, "failed") : refused("missing_state");
  }
});

function back(slug: string, outcome: "connected" | "denied" | "failed"): Response {
  const url = new URL(`${siteUrl()}${orgRoutes(slug).notifications}`);
  url.searchParams.set("slack", outcome);
  return new Response(null, {
    status: 303,
    headers: {
      location: url.toString(),
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
    },
  });
}
