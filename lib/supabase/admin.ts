import "server-only";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { z } from "zod";
import { EnvError, publicEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Database } from "./database.types";

/**
 * The service-role client: it bypasses RLS, so it lives here and nowhere else. This is the only
 * module that reads the service-role key (a test fails otherwise).
 *
 * Allowed only for: OAuth/auth callbacks before a session exists, Inngest jobs on a pre-resolved
 * organization, webhook intake, and admin-gated server actions after a membership check. Every
 * use states a reason and an organization (or why there is none yet), and is recorded in
 * `audit_log` and in the logs before the client is handed out. Scope every query by the
 * organization id you declared.
 */

/**
 * Why a use has no organization yet. Extend deliberately; each value is a reviewed case.
 * `key-rotation`: re-encrypting every workspace's secrets with a new key (an operator's platform
 * job, lib/integrations/rotation-store.ts); each row it touches is still filtered by its own
 * organization id and each workspace touched gets its own audit entry.
 */
export const NO_ORGANIZATION_REASONS = [
  "oauth-callback",
  "auth-event",
  "webhook-intake",
  "key-rotation",
  // scheduled sweeps that look across workspaces for work to do (e.g. trials ending), then act
  // per workspace with a client scoped to it
  "scheduled-sweep",
] as const;
export type NoOrganizationReason = (typeof NO_ORGANIZATION_REASONS)[number];

export type AdminClientUse =
  | { reason: string; organizationId: string; actorId?: string | null }
  | { reason: string; noOrganization: NoOrganizationReason; actorId?: string | null };

const useSchema = z.union([
  z.object({
    reason: z.string().trim().min(3).max(200),
    organizationId: z.uuid(),
    actorId: z.uuid().nullish(),
  }),
  z.object({
    reason: z.string().trim().min(3).max(200),
    noOrganization: z.enum(NO_ORGANIZATION_REASONS),
    actorId: z.uuid().nullish(),
  }),
]);

export type AdminSupabaseClient = SupabaseClient<Database>;

const adminLog = log.child({ module: "supabase.admin" });

/** The service-role key, read and checked here only; missing, it fails like lib/env.ts does. */
function serviceKey(): string {
  const key = process.env.SUPABASE_SERVICE_ROLE_KEY?.trim();
  if (!key) {
    throw new EnvError(
      ["SUPABASE_SERVICE_ROLE_KEY"],
      ["SUPABASE_SERVICE_ROLE_KEY is missing (the Supabase service-role key, server only)"],
    );
  }
  return key;
}

/** Called once at server start (instrumentation.ts): a missing key fails the boot, not a job. */
export function checkAdminClientConfig(): void {
  serviceKey();
}

function buildClient(): AdminSupabaseClient {
  return createClient<Database>(publicEnv().NEXT_PUBLIC_SUPABASE_URL, serviceKey(), {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: { headers: { "X-Client-Info": "patchline-admin" } },
  });
}

/**
 * Returns a service-role client after recording why it is used. Throws (and hands out nothing)
 * if the use is malformed or cannot be recorded.
 *
 * @example
 *   const admin = await createAdminClient({ reason: "intake zendesk ticket", organizationId });
 *   const admin = await createAdminClient({ reason: "link GitHub identity", noOrganization: "oauth-callback" });
 */
export async function createAdminClient(use: AdminClientUse): Promise<AdminSupabaseClient> {
  const parsed = useSchema.safeParse(use);
  if (!parsed.success) {
    throw new AppError("internal", "createAdminClient needs a reason and an organization id", {
      cause: parsed.error,
    });
  }
  const client = buildClient();
  const organizationId = "organizationId" in parsed.data ? parsed.data.organizationId : null;
  const scope = "noOrganization" in parsed.data ? parsed.data.noOrganization : "organization";

  const { error } = await client.from("audit_log").insert({
    organization_id: organizationId,
    actor_id: parsed.data.actorId ?? null,
    action: "admin_client.used",
    target_type: organizationId ? "organization" : null,
    target_id: organizationId,
    metadata: { reason: parsed.data.reason, scope },
  });
  if (error) {
    adminLog.error({ err: error, reason: parsed.data.reason }, "admin client use not recorded");
    throw new AppError("unavailable", undefined, { cause: error });
  }
  adminLog.info(
    { event: "admin_client.used", reason: parsed.data.reason, organizationId, scope },
    "admin client used",
  );
  return client;
}
