import { z } from "zod";
import type { PipelineSettingsRow } from "@/lib/supabase/pipeline.types";
import { probabilityInput } from "../probability-input";

/**
 * A workspace's two confidence gates as the code uses them: at or above both, a ticket's bug is
 * a Mapped Bug; below either, it waits in review. The defaults are the `pipeline_settings`
 * column defaults and apply when the workspace never saved any (no row);
 * supabase/tests/pipeline-settings-defaults.test.ts keeps the two in step. The mapping default is
 * chosen on the held-out gate curve (`lib/pipeline/mapping/gate-curve.json`, docs/code-map.md);
 * tests/unit/pipeline/gate-curve.test.ts checks it still meets the target there.
 *
 * Kept apart from the jobs (no engine import) so the Settings form can read it in the browser.
 */

export interface Gates {
  /** Extraction confidence at or above this passes. */
  extraction: number;
  /** Mapping confidence at or above this passes. */
  mapping: number;
}

export const DEFAULT_GATES: Gates = { extraction: 0.7, mapping: 0.75 };

/** The Settings form (owners and admins): bounds match the table's checks; empty is an error. */
export const gateSettingsSchema = z.object({
  extraction: probabilityInput(),
  mapping: probabilityInput(),
});

/** The gates from a `pipeline_settings` row, or the defaults when the workspace has none. */
export function gatesFromRow(
  row: Pick<PipelineSettingsRow, "extraction_threshold" | "mapping_threshold"> | null | undefined,
): Gates {
  if (!row) return { ...DEFAULT_GATES };
  // numeric columns arrive as strings from PostgREST
  return { extraction: Number(row.extraction_threshold), mapping: Number(row.mapping_threshold) };
}
