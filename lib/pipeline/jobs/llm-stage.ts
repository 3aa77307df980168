import "server-only";
import { log } from "@/lib/log";
import { createLlmStage, type LlmStage } from "@/lib/pipeline/llm";
import { workspaceLlmClientOrOffline } from "@/lib/pipeline/llm/workspace-client-or-offline";
import type { AdminSupabaseClient } from "@/lib/supabase/admin";

const llmLog = log.child({ module: "llm" });

/**
 * The workspace's LLM stage for the processing job, or null when it has no provider (the
 * default: `decideTicket` then runs the deterministic path alone and nothing leaves). A saved key
 * that cannot be decrypted (say, its encryption key was retired before rotation ran) must not
 * lose the ticket: the job decides offline and says so in one log line, without the key.
 */
export async function loadLlmStage(
  admin: AdminSupabaseClient,
  organizationId: string,
): Promise<LlmStage | null> {
  const client = await workspaceLlmClientOrOffline(admin, organizationId, "deciding offline");
  return client ? createLlmStage(client, llmLog.child({ organizationId })) : null;
}
