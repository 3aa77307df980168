import { z } from "zod";
import { publicRoute } from "@/lib/auth/guards";
import { escapeHtml } from "@/lib/mail/templates/escape";
import { NOTIFICATION_EVENTS } from "@/lib/notifications/catalog";
import { applyUnsubscribe, readUnsubscribeToken } from "@/lib/notifications/unsubscribe";

/**
 * The one-click unsubscribe link of notification emails (lib/notifications/deliver.ts).
 * GET shows what the link turns off and a button, and changes nothing (mail scanners open links);
 * POST turns that event's email off: the button's form, or a mail client's RFC 8058 one-click
 * (`List-Unsubscribe=One-Click` in a form body, the token in the query). No session: the signed
 * token is the authority. A public path (middleware.ts); never cached.
 */
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const tokenField = z.string().min(1).max(600);

function page(status: number, title: string, body: string): Response {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · Patchline</title>
<style>
body{font-family:system-ui,sans-serif;background:#f8fafc;color:#0f172a;margin:0;display:grid;place-items:center;min-height:100vh}
main{background:#fff;border:1px solid #e2e8f0;border-radius:12px;padding:32px;max-width:440px;box-shadow:0 1px 2px rgb(0 0 0/.05)}
h1{font-size:20px;margin:0 0 12px}p{line-height:1.5;color:#334155}
button{font:inherit;background:#0f172a;color:#fff;border:0;border-radius:8px;padding:10px 16px;cursor:pointer}
button:focus-visible{outline:2px solid #2563eb;outline-offset:2px}
</style></head>
<body><main data-testid="unsubscribe-page"><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
  return new Response(html, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}

const INVALID = () =>
  page(
    400,
    "This link does not work",
    "<p>The unsubscribe link is incomplete or was changed. Open Settings → Notifications in Patchline to choose your emails.</p>",
  );

export const GET = publicRoute({ schema: z.object({ token: tokenField }) }, async ({ input }) => {
  const claims = readUnsubscribeToken(input.token);
  if (!claims) return INVALID();
  const spec = NOTIFICATION_EVENTS[claims.eventType];
  if (spec.lockedEmail) {
    return page(
      200,
      "This email cannot be turned off",
      `<p>“${escapeHtml(spec.label)}” emails ask someone to act, so they always go to owners and admins.</p>`,
    );
  }
  return page(
    200,
    `Stop “${spec.label}” emails?`,
    `<p>You will no longer get “${escapeHtml(spec.label)}” emails from this workspace. Other notifications and the bell in the app stay as they are.</p>
<form method="post"><input type="hidden" name="token" value="${escapeHtml(input.token)}">
<button type="submit" data-testid="unsubscribe-confirm">Stop these emails</button></form>`,
  );
});

export const POST = publicRoute(
  {
    schema: z.object({
      token: tokenField.optional(),
      "List-Unsubscribe": z.literal("One-Click").optional(),
    }),
  },
  async ({ input, request }) => {
    const token = input.token ?? new URL(request.url).searchParams.get("token") ?? "";
    if (!tokenField.safeParse(token).success) return INVALID();
    const result = await applyUnsubscribe(token);
    if (!result.ok) {
      return result.reason === "locked"
        ? page(409, "This email cannot be turned off", "<p>It asks someone to act.</p>")
        : INVALID();
    }
    const label = NOTIFICATION_EVENTS[result.eventType].label;
    const where = result.workspaceName ? ` from ${escapeHtml(result.workspaceName)}` : "";
    return page(
      200,
      "You are unsubscribed",
      `<p data-testid="unsubscribe-done">You will no longer get “${escapeHtml(label)}” emails${where}. Turn them back on in Settings → Notifications.</p>`,
    );
  },
);
