import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";

/**
 * The Inngest serve endpoint: Inngest Cloud (production) or the devstack executor (locally)
 * syncs the app with PUT, calls functions with POST and inspects with GET. In cloud mode the SDK
 * verifies every request's signature with INNGEST_SIGNING_KEY.
 */
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const { GET, POST, PUT } = serve({ client: inngest, functions });
