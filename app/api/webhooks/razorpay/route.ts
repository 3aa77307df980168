import { handleWebhook } from "@/lib/webhooks/intake";

/**
 * Razorpay webhooks: verified, deduplicated and handed to Inngest by lib/webhooks/intake.ts.
 * Outside the session logic of middleware.ts (a public path); never cached.
 */
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export function POST(request: Request): Promise<Response> {
  return handleWebhook("razorpay", request);
}
