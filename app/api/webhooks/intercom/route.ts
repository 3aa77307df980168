import { handleWebhook } from "@/lib/webhooks/intake";

/**
 * Intercom webhooks: verified, deduplicated and handed to Inngest by lib/webhooks/intake.ts.
 * Intercom checks the endpoint with HEAD (answered 200) and disables a subscription answered 410,
 * which this route never answers.
 */
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export function POST(request: Request): Promise<Response> {
  return handleWebhook("intercom", request);
}

export function HEAD(): Response {
  return new Response(null, { status: 200, headers: { "Cache-Control": "no-store" } });
}
