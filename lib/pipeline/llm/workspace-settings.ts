import "server-only";
import { randomUUID } from "node:crypto";
import type { SupabaseClient } from "@supabase/supabase-js";
import { z } from "zod";
import { openSecret, type SecretPlace, sealSecret } from "@/lib/integrations/secrets";
import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import type { Database } from "@/lib/supabase/database.types";
import type { LlmSettingsRow } from "@/lib/supabase/pipeline.types";
import { createLlmClient, LLM_MAX_RETRIES, LLM_TIMEOUT_MS, type LlmEnv } from "./settings";
import type { LlmClient, LlmProviderName } from "./types";

/**
 * A workspace's LLM setting in the database (`public.llm_settings`): the provider, an optional
 * model, and the workspace's own API key as keyring ciphertext bound to
 * { organization, llm_settings, row id, api_key_enc }. The key is decrypted only here, at the
 * point of use (a job's client, a connection test); it is never returned to a page, logged, or
 * put in an event. No row, or provider `none`, means off: nothing leaves Patchline.
 */

/** What a settings page may show: never the key, only whether and when one was saved. */
export interface LlmSettingsView {
  provider: "none" | LlmProviderName;
  model: string | null;
  keySetAt: string | null;
}

export const OFF: LlmSettingsView = { provider: "none", model: null, keySetAt: null };

/**
 * The settings form: a provider needs a key (typed now, or the saved one for the same provider).
 * Model and key are absent from the form while "off" is chosen, hence the defaults.
 */
export const saveLlmSettingsInput = z.object({
  provider: z.enum(["none", "anthropic", "openai"], { error: "Choose a provider or off." }),
  model: z
    .string()
    .default("")
    .transform((m) => m.trim())
    .pipe(
      z
        .string()
        .max(100, "At most 100 characters.")
        .regex(/^([A-Za-z0-9][A-Za-z0-9._:/@-]*)?$/, "Letters, digits and . _ : / @ - only."),
    )
    .transform((m) => (m === "" ? null : m)),
  apiKey: z
    .string()
    .default("")
    .transform((k) => k.trim())
    .pipe(z.string().max(500, "That is too long for an API key."))
    .transform((k) => (k === "" ? null : k)),
});
export type SaveLlmSettingsInput = z.infer<typeof saveLlmSettingsInput>;

const COLUMN = "api_key_enc" as const;
const placeOf = (row: { id: string; organization_id: string }): SecretPlace => ({
  organizationId: row.organization_id,
  table: "llm_settings",
  rowId: row.id,
  column: COLUMN,
});

function fail(what: string, error: { message: string; code?: string }): never {
  throw new Error(`${what}: ${error.code ?? ""} ${error.message}`);
}

async function readRow(admin: AdminSupabaseClient, organizationId: string) {
  const { data, error } = await admin
    .from("llm_settings")
    .select("id, organization_id, provider, model, api_key_enc, api_key_set_at")
    .eq("organization_id", organizationId)
    .maybeSingle();
  if (error) fail("read LLM settings", error);
  return data as Pick<
    LlmSettingsRow,
    "id" | "organization_id" | "provider" | "model" | "api_key_enc" | "api_key_set_at"
  > | null;
}

/**
 * The page's view of the setting, read as the signed-in member under RLS (the key's column is
 * not granted to them, so it cannot be selected here even by mistake). Off when never chosen.
 */
export async function readLlmSettingsView(
  supabase: SupabaseClient<Database>,
  organizationId: string,
): Promise<LlmSettingsView> {
  const { data, error } = await supabase
    .from("llm_settings")
    .select("provider, model, api_key_set_at")
    .eq("organization_id", organizationId)
    .maybeSingle();
  if (error) fail("read LLM settings", error);
  if (!data) return OFF;
  return { provider: data.provider, model: data.model, keySetAt: data.api_key_set_at };
}

export type SaveOutcome =
  | { ok: true; view: LlmSettingsView }
  | { ok: false; field: "apiKey"; message: string };

/**
 * Saves the setting. Turning it off deletes the key (nothing is kept that could leave). Choosing
 * a provider needs a key: the one typed, or the saved one when the provider stays the same (a
 * key belongs to one provider). The ciphertext is bound to the row's id, so the row exists first.
 */
export async function saveLlmSettings(
  admin: AdminSupabaseClient,
  organizationId: string,
  actorId: string,
  input: SaveLlmSettingsInput,
): Promise<SaveOutcome> {
  let row = await readRow(admin, organizationId);
  if (input.provider !== "none" && !input.apiKey && row?.provider !== input.provider) {
    return { ok: false, field: "apiKey", message: "Enter this provider's API key." };
  }
  if (!row) {
    const { error } = await admin
      .from("llm_settings")
      .upsert(
        { id: randomUUID(), organization_id: organizationId, updated_by: actorId },
        { onConflict: "organization_id", ignoreDuplicates: true },
      );
    if (error) fail("create LLM settings", error);
    row = await readRow(admin, organizationId);
    if (!row) throw new Error("LLM settings row missing after insert");
  }
  const update =
    input.provider === "none"
      ? { provider: "none" as const, model: null, api_key_enc: null, api_key_set_at: null }
      : input.apiKey
        ? {
            provider: input.provider,
            model: input.model,
            api_key_enc: sealSecret(placeOf(row), input.apiKey),
            api_key_set_at: new Date().toISOString(),
          }
        : { provider: input.provider, model: input.model };
  const { data, error } = await admin
    .from("llm_settings")
    .update({ ...update, updated_by: actorId })
    .eq("organization_id", organizationId)
    .eq("id", row.id)
    .select("provider, model, api_key_set_at")
    .single();
  if (error || !data) fail("save LLM settings", error ?? { message: "no row" });
  // who changed where ticket text may go: an egress decision belongs in the audit log
  const audit = await admin.from("audit_log").insert({
    organization_id: organizationId,
    actor_id: actorId,
    action: "llm.settings_changed",
    target_type: "llm_settings",
    target_id: row.id,
    metadata: {
      provider: data.provider,
      model: data.model,
      keyReplaced: Boolean(input.apiKey && input.provider !== "none"),
    },
  });
  if (audit.error) fail("record LLM settings change", audit.error);
  return {
    ok: true,
    view: { provider: data.provider, model: data.model, keySetAt: data.api_key_set_at },
  };
}

/**
 * The workspace's client, or null when it is off. The key is opened here and handed to the SDK
 * only; base URLs come from the environment (`ANTHROPIC_BASE_URL`, `OPENAI_BASE_URL`), which is
 * how the devstack and the tests point the SDKs at the stand-ins. A key that cannot be decrypted
 * (a retired encryption key, a copied ciphertext) throws: the caller decides what off means then.
 */
export async function workspaceLlmClient(
  admin: AdminSupabaseClient,
  organizationId: string,
  env: Pick<LlmEnv, "ANTHROPIC_BASE_URL" | "OPENAI_BASE_URL">,
  limits: { timeoutMs?: number; maxRetries?: number } = {},
): Promise<LlmClient | null> {
  const row = await readRow(admin, organizationId);
  if (!row || row.provider === "none" || !row.api_key_enc) return null;
  const apiKey = openSecret(placeOf(row), row.api_key_enc);
  // only the workspace's own key: a deployment key in the environment is never used for it
  return createLlmClient(
    { provider: row.provider, ...(row.model ? { model: row.model } : {}) },
    row.provider === "anthropic"
      ? { ANTHROPIC_API_KEY: apiKey, ANTHROPIC_BASE_URL: env.ANTHROPIC_BASE_URL }
      : { OPENAI_API_KEY: apiKey, OPENAI_BASE_URL: env.OPENAI_BASE_URL },
    {
      timeoutMs: limits.timeoutMs ?? LLM_TIMEOUT_MS,
      maxRetries: limits.maxRetries ?? LLM_MAX_RETRIES,
    },
  );
}
