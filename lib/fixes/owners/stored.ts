import type { SupabaseClient } from "@supabase/supabase-js";
import { z } from "zod";
import type { Database, Json } from "@/lib/supabase/database.types";
import type { OwnerScore, SynthesizedOwners } from "../owner-synthesis";

/**
 * The synthesised owners as public.repository_owners stores them (`owners` jsonb: path → owners,
 * heaviest first) and back. Only the heaviest few per path are kept: reviewers are chosen among
 * the top three, and a directory's owners (a new file's fallback) are the sum of its files', so a
 * long tail of one-commit people only makes the row big.
 */

/** Owners kept per path. */
export const STORED_OWNERS_PER_PATH = 5;

const ownerScore = z.object({
  id: z.string().min(1),
  login: z.string().nullable(),
  email: z.string(),
  name: z.string(),
  weight: z.number().nonnegative(),
  commits: z.number().int().nonnegative(),
});
const storedOwners = z.record(z.string(), z.array(ownerScore));

export function toStoredOwners(result: SynthesizedOwners): Json {
  const out: Record<string, OwnerScore[]> = {};
  for (const [path, owners] of result.byPath) {
    out[path] = owners.slice(0, STORED_OWNERS_PER_PATH).map((o) => ({
      ...o,
      // a few significant digits are plenty for ranking; keeps the row small
      weight: Number(o.weight.toPrecision(6)),
    }));
  }
  return out as unknown as Json;
}

/** The stored jsonb as a synthesis result; null when it is not in the stored shape. */
export function fromStoredOwners(json: Json): SynthesizedOwners | null {
  const parsed = storedOwners.safeParse(json);
  if (!parsed.success) return null;
  const byPath = new Map<string, OwnerScore[]>(Object.entries(parsed.data));
  return { byPath, commitsConsidered: 0, commitsSkipped: { tooOld: 0, bot: 0 } };
}

/**
 * The owners last synthesised for a repository, for choosing reviewers: null when none were
 * stored (never run, the first run still running or failed, or the repository has a CODEOWNERS
 * file, which the caller reads itself). Any commit's result is used, also the one a re-run keeps
 * readable while it works (`synthesized_sha`): owners drift slowly.
 */
export async function loadStoredOwners(
  admin: SupabaseClient<Database>,
  organizationId: string,
  repositoryId: string,
): Promise<SynthesizedOwners | null> {
  const { data, error } = await admin
    .from("repository_owners")
    .select("owners, status, codeowners_path, synthesized_sha")
    .eq("organization_id", organizationId)
    .eq("repository_id", repositoryId)
    .maybeSingle();
  if (error) throw new Error(`read repository owners: ${error.code ?? ""} ${error.message}`);
  if (!data || data.codeowners_path || (data.status !== "done" && !data.synthesized_sha))
    return null;
  const result = fromStoredOwners(data.owners);
  return result && result.byPath.size > 0 ? result : null;
}
