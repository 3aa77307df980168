import { z } from "zod";
import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import type { Json } from "@/lib/supabase/database.types";
import { type BridgeJson, fromBridgeJson, toBridgeJson } from "../../mapping/vocabulary/table";
import type { BridgeTable, FixPair } from "../../mapping/vocabulary/types";

/**
 * public.code_vocabularies: one repository's learned table, the commit pairs it was learned from
 * (so an incremental index re-learns without re-reading GitHub) and the counts the Codebase page
 * shows. Read and written with the service role only (the jobs); members read it through RLS.
 */

/** Commit pairs kept per repository, newest first (the column's size check is 8 MB). */
export const MAX_STORED_PAIRS = 1500;
/** The stored table's JSON stays under this (the column's check is 2 MB). */
export const MAX_BRIDGE_BYTES = 1_500_000;

const fixCode = z.object({
  path: z.string(),
  name: z.string().nullable(),
  terms: z.array(z.string()),
});
const fixPair = z.object({
  source: z.string(),
  text: z.string(),
  code: z.array(fixCode),
  weight: z.number().optional(),
});
const storedPairs = z.array(fixPair);

export interface StoredVocabulary {
  commitPairs: FixPair[];
  commitsRead: number;
  commitLearnedAt: string | null;
  pairsFromCommits: number;
  pairsFromCorrections: number;
}

function fail(what: string, error: { message: string; code?: string }): never {
  throw new Error(`${what}: ${error.code ?? ""} ${error.message}`);
}

export async function loadVocabulary(
  admin: AdminSupabaseClient,
  organizationId: string,
  repositoryId: string,
): Promise<StoredVocabulary | null> {
  const { data, error } = await admin
    .from("code_vocabularies")
    .select(
      "commit_pairs, commits_read, commit_learned_at, pairs_from_commits, pairs_from_corrections",
    )
    .eq("organization_id", organizationId)
    .eq("repository_id", repositoryId)
    .maybeSingle();
  if (error) fail("read code vocabulary", error);
  if (!data) return null;
  const pairs = storedPairs.safeParse(data.commit_pairs);
  return {
    // a row in an older shape is read as empty: the next full read fills it again
    commitPairs: pairs.success ? pairs.data : [],
    commitsRead: data.commits_read,
    commitLearnedAt: data.commit_learned_at,
    pairsFromCommits: data.pairs_from_commits,
    pairsFromCorrections: data.pairs_from_corrections,
  };
}

/**
 * The table's JSON within `maxBytes`: when over, the words whose strongest target is weakest go
 * first (a table that size has tens of thousands of words; the weakest matter least).
 */
export function cappedBridgeJson(table: BridgeTable, maxBytes = MAX_BRIDGE_BYTES): BridgeJson {
  const json = toBridgeJson(table);
  let size = Buffer.byteLength(JSON.stringify(json));
  if (size <= maxBytes) return json;
  const byStrength = Object.entries(json.words).sort(
    (a, b) => (a[1][0]?.[1] ?? 0) - (b[1][0]?.[1] ?? 0) || (a[0] < b[0] ? -1 : 1),
  );
  for (const [word, targets] of byStrength) {
    if (size <= maxBytes) break;
    size -= Buffer.byteLength(JSON.stringify({ [word]: targets })) - 1;
    delete json.words[word];
  }
  return json;
}

export async function saveVocabulary(
  admin: AdminSupabaseClient,
  organizationId: string,
  repositoryId: string,
  v: {
    table: BridgeTable;
    commitPairs: readonly FixPair[];
    commitsRead: number;
    commit: string | null;
    pairsFromCorrections: number;
  },
): Promise<void> {
  const { error } = await admin.from("code_vocabularies").upsert(
    {
      organization_id: organizationId,
      repository_id: repositoryId,
      bridge: cappedBridgeJson(v.table) as unknown as Json,
      commit_pairs: v.commitPairs.slice(0, MAX_STORED_PAIRS) as unknown as Json,
      commits_read: v.commitsRead,
      pairs_from_commits: Math.min(v.commitPairs.length, MAX_STORED_PAIRS),
      pairs_from_corrections: v.pairsFromCorrections,
      commit_learned_at: v.commit,
      learned_at: new Date().toISOString(),
    },
    { onConflict: "repository_id" },
  );
  if (error) fail("write code vocabulary", error);
}

/** The learned tables of `repositoryIds` (those that have one), by repository id. */
export async function loadBridges(
  admin: AdminSupabaseClient,
  organizationId: string,
  repositoryIds: readonly string[],
): Promise<Array<{ repositoryId: string; learnedAt: string; table: BridgeTable }>> {
  if (repositoryIds.length === 0) return [];
  const { data, error } = await admin
    .from("code_vocabularies")
    .select("repository_id, learned_at, bridge")
    .eq("organization_id", organizationId)
    .in("repository_id", [...repositoryIds])
    .order("repository_id", { ascending: true });
  if (error) fail("read code vocabularies", error);
  const out: Array<{ repositoryId: string; learnedAt: string; table: BridgeTable }> = [];
  for (const row of data ?? []) {
    try {
      out.push({
        repositoryId: row.repository_id,
        learnedAt: row.learned_at,
        table: fromBridgeJson(row.bridge),
      });
    } catch {
      // a table in a shape this version cannot read maps as if unlearned until re-learned
    }
  }
  return out;
}
