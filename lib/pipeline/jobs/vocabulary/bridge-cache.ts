import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import { shippedBridge } from "../../mapping/vocabulary/shipped";
import { fromBridgeJson, mergeBridges } from "../../mapping/vocabulary/table";
import type { BridgeTable } from "../../mapping/vocabulary/types";
import type { IndexedRepository } from "../code-index-store";

/**
 * The vocabulary bridge a workspace's mapping reads: its repositories' own learned tables merged
 * into one, over the shipped public table (`mergeBridges`). Cached like the search index: each
 * table by repository and the time it was learned, so a ticket run reads only two small columns
 * unless a table was learned again; the merged table by the set of those keys.
 */

const tables = new Map<string, BridgeTable>();
const merged = new Map<string, BridgeTable>();
const MAX_CACHED = 16;

function remember<T>(cache: Map<string, T>, key: string, value: T) {
  cache.delete(key);
  cache.set(key, value);
  while (cache.size > MAX_CACHED) {
    const oldest = cache.keys().next().value;
    if (oldest === undefined) break;
    cache.delete(oldest);
  }
}

function fail(what: string, error: { message: string; code?: string }): never {
  throw new Error(`${what}: ${error.code ?? ""} ${error.message}`);
}

/**
 * The merged table for `repositories`, or null when none of them has learned one (the mapping
 * then reads the shipped table alone: `mapBug` without a `bridge`).
 */
export async function workspaceBridge(
  admin: AdminSupabaseClient,
  organizationId: string,
  repositories: readonly Pick<IndexedRepository, "repositoryId">[],
  /** The public table the workspace's own are merged over (the shipped one unless a test says). */
  global?: BridgeTable,
): Promise<BridgeTable | null> {
  if (repositories.length === 0) return null;
  const { data, error } = await admin
    .from("code_vocabularies")
    .select("repository_id, learned_at")
    .eq("organization_id", organizationId)
    .in(
      "repository_id",
      repositories.map((r) => r.repositoryId),
    )
    .order("repository_id", { ascending: true });
  if (error) fail("read code vocabularies", error);
  const rows = data ?? [];
  if (rows.length === 0) return null;
  const keys = rows.map((r) => `${organizationId}:${r.repository_id}@${r.learned_at}`);
  const setKey = keys.join(",");
  const hit = merged.get(setKey);
  if (hit) {
    remember(merged, setKey, hit);
    return hit;
  }
  const base = global ?? shippedBridge();
  let table = base;
  for (const [i, row] of rows.entries()) {
    const key = keys[i] as string;
    let local = tables.get(key);
    if (!local) {
      const { data: full, error: readError } = await admin
        .from("code_vocabularies")
        .select("bridge")
        .eq("organization_id", organizationId)
        .eq("repository_id", row.repository_id)
        .maybeSingle();
      if (readError) fail("read code vocabulary", readError);
      if (!full) continue;
      try {
        local = fromBridgeJson(full.bridge);
      } catch {
        continue; // a table this version cannot read maps as if unlearned until learned again
      }
    }
    remember(tables, key, local);
    table = mergeBridges(table, local);
  }
  if (table === base) return null;
  remember(merged, setKey, table);
  return table;
}
