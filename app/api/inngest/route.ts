import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";

/**
 * The Inngest serve endpoint: Inngest Cloud (production) or the devstack executor (locally)
 * syncs the app with PUT, calls functions with POST and inspects with GET. In cloud mode the SDK
 * verifies every request's signature with INNGEST_SIGNING_KEY.
 *
 * Not a route guard: the caller is Inngest, not a user, and the SDK owns parsing and signature
 * checks; each function parses its own event payload with the schemas in inngest/events.ts.
 */
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const { GET, POST, PUT } = serve({ client: inngest, functions });
