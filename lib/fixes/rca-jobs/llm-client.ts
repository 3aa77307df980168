import { serverEnv } from "@/lib/env";
import { log } from "@/lib/log";
import type { LlmClient } from "@/lib/pipeline/llm/types";
import { workspaceLlmClient } from "@/lib/pipeline/llm/workspace-settings";
import type { AdminSupabaseClient } from "@/lib/supabase/admin";

/**
 * The workspace's LLM client for drafting an RCA, or null (no provider, or a key that cannot be
 * opened: logged by error class only, and the RCA is drafted offline).
 */
export async function rcaLlmClient(
  admin: AdminSupabaseClient,
  organizationId: string,
): Promise<LlmClient | null> {
  try {
    return await workspaceLlmClient(admin, organizationId, serverEnv());
  } catch (err) {
    log
      .child({ module: "rca-draft" })
      .warn(
        { organizationId, error: err instanceof Error ? err.constructor.name : "unknown" },
        "workspace LLM key could not be opened; drafting the RCA offline",
      );
    return null;
  }
}
