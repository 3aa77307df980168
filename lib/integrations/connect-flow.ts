import "server-only";
import type { User } from "@supabase/supabase-js";
import { z } from "zod";
import { type OrganizationSummary, resolveOrganization } from "@/lib/auth/organization";
import { getUser } from "@/lib/auth/session";
import { log } from "@/lib/log";
import { createAdminClient } from "@/lib/supabase/admin";
import { createClient, type ServerSupabaseClient } from "@/lib/supabase/server";
import { recordIntegrationAudit } from "./audit";
import {
  consumeOAuthState,
  createOAuthState,
  OAuthStateError,
  type OAuthStateRefusal,
  type StateProvider,
} from "./oauth-state";
import { oauthStateKeys } from "./oauth-state-keys";
import { databaseOAuthStateStore } from "./oauth-state-store";

/**
 * The two ends of every connect flow. `beginConnect` (in a guarded server action) mints the
 * signed single-use state bound to the user, their session, the workspace and the provider.
 * `finishConnect` (in the callback) verifies and consumes it, then checks that the caller is
 * still an owner or admin there; any failure is a `ConnectRefusedError` whose reason the refusal
 * page explains, audited, with nothing else written.
 */

const flowLog = log.child({ module: "integrations.connect" });

export type ConnectRefusal = OAuthStateRefusal | "missing_state" | "no_session" | "not_admin";

export class ConnectRefusedError extends Error {
  readonly reason: ConnectRefusal;
  constructor(reason: ConnectRefusal) {
    super(`connect refused: ${reason}`);
    this.name = "ConnectRefusedError";
    this.reason = reason;
  }
}

/** The auth session id (the access token's verified `session_id` claim), or null. */
async function sessionIdOf(supabase: ServerSupabaseClient): Promise<string | null> {
  const { data } = await supabase.auth.getClaims();
  const sessionId = (data?.claims as { session_id?: unknown } | undefined)?.session_id;
  return typeof sessionId === "string" && sessionId.length > 0 ? sessionId : null;
}

/** Starts a flow for `provider` in `org`: the state to put in the provider's authorize URL. */
export async function beginConnect(context: {
  supabase: ServerSupabaseClient;
  user: User;
  org: OrganizationSummary;
  provider: StateProvider;
}): Promise<string> {
  const sessionId = await sessionIdOf(context.supabase);
  if (!sessionId) throw new ConnectRefusedError("no_session");
  const { state } = await createOAuthState(
    {
      organizationId: context.org.id,
      userId: context.user.id,
      sessionId,
      provider: context.provider,
    },
    { keys: oauthStateKeys(), store: databaseOAuthStateStore(context.user.id) },
  );
  return state;
}

/** The workspace a state names, read only from a state whose signature already verified. */
function organizationOfAuthenticState(state: string): string | null {
  const body = state.split(".")[0] ?? "";
  try {
    const payload: unknown = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    const parsed = z.object({ o: z.uuid() }).safeParse(payload);
    return parsed.success ? parsed.data.o : null;
  } catch {
    return null;
  }
}

async function auditRefusal(
  provider: StateProvider,
  reason: ConnectRefusal,
  organizationId: string | null,
  actorId: string | null,
): Promise<void> {
  flowLog.warn({ provider, reason }, "connect callback refused");
  try {
    if (organizationId) {
      const admin = await createAdminClient({
        reason: `record refused ${provider} connect callback`,
        organizationId,
        actorId,
      });
      await recordIntegrationAudit(admin, {
        organizationId,
        action: "integration.oauth_refused",
        actorId,
        metadata: { provider, reason },
      });
      return;
    }
    // a forged or malformed state names no workspace we can believe: a platform-level entry
    const admin = await createAdminClient({
      reason: `record refused ${provider} connect callback`,
      noOrganization: "oauth-callback",
      actorId,
    });
    const { error } = await admin.from("audit_log").insert({
      organization_id: null,
      actor_id: actorId,
      action: "integration.oauth_refused",
      metadata: { provider, reason },
    });
    if (error) throw new Error(error.code ?? error.message);
  } catch (error) {
    flowLog.error({ err: error, provider, reason }, "refused connect callback not audited");
  }
}

export interface FinishedConnect {
  user: User;
  org: OrganizationSummary;
  supabase: ServerSupabaseClient;
}

/**
 * Verifies and consumes `state` for the signed-in caller; returns the workspace the flow was
 * started for once the caller is confirmed an owner or admin there. Throws ConnectRefusedError.
 */
export async function finishConnect(
  provider: StateProvider,
  state: string | undefined,
): Promise<FinishedConnect> {
  const user = await getUser();
  const supabase = await createClient();
  const sessionId = user ? await sessionIdOf(supabase) : null;
  if (!user || !sessionId) {
    await auditRefusal(provider, "no_session", null, null);
    throw new ConnectRefusedError("no_session");
  }
  if (!state) {
    await auditRefusal(provider, "missing_state", null, user.id);
    throw new ConnectRefusedError("missing_state");
  }
  let organizationId: string;
  try {
    ({ organizationId } = await consumeOAuthState(
      state,
      { userId: user.id, sessionId, provider },
      { keys: oauthStateKeys(), store: databaseOAuthStateStore(user.id) },
    ));
  } catch (error) {
    if (!(error instanceof OAuthStateError)) throw error;
    const trusted = error.reason !== "forged" && error.reason !== "malformed";
    await auditRefusal(
      provider,
      error.reason,
      trusted ? organizationOfAuthenticState(state) : null,
      user.id,
    );
    throw new ConnectRefusedError(error.reason);
  }
  // the state is authentic; the caller must still manage integrations there (roles change)
  const { data: org } = await supabase
    .from("organizations")
    .select("id, name, slug")
    .eq("id", organizationId)
    .maybeSingle();
  try {
    if (!org) throw new Error("not a member");
    const resolved = await resolveOrganization(supabase, user, org.slug, "integrations.manage");
    return { user, org: resolved.org, supabase };
  } catch {
    await auditRefusal(provider, "not_admin", organizationId, user.id);
    throw new ConnectRefusedError("not_admin");
  }
}
