import "server-only";
import { serverEnv } from "@/lib/env";
import { log } from "@/lib/log";
import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import type { LlmClient } from "./types";
import { workspaceLlmClient } from "./workspace-settings";

const llmLog = log.child({ module: "llm" });

/**
 * The workspace's LLM client for a job, or null: no provider, or a saved key that cannot be
 * opened (say, its encryption key was retired before rotation ran). A job must not fail on that:
 * it takes its offline path and says so in one log line, with the error's class only, never the
 * key. `offline` names that path in the line ("deciding offline", "drafting the RCA offline").
 */
export async function workspaceLlmClientOrOffline(
  admin: AdminSupabaseClient,
  organizationId: string,
  offline: string,
): Promise<LlmClient | null> {
  try {
    return await workspaceLlmClient(admin, organizationId, serverEnv());
  } catch (err) {
    llmLog.warn(
      { organizationId, error: err instanceof Error ? err.constructor.name : "unknown" },
      `workspace LLM key could not be opened; ${offline}`,
    );
    return null;
  }
}
