import { z } from "zod";
import { blankAsMissing, probabilityInput } from "@/lib/pipeline/probability-input";
import type { FixSettingsRow } from "@/lib/supabase/fixes.types";

/**
 * A workspace's fix settings as the code uses them. The defaults are the `fix_settings` column
 * defaults and apply when the workspace never saved any (no row);
 * supabase/tests/fix-settings-defaults.test.ts keeps the two in step.
 */

export interface FixSettings {
  /** A Mapped Bug at or above this mapping confidence gets a fix attempt without a click. */
  autoFixThreshold: number;
  /** An owner or admin approves an RCA before it is published. */
  rcaApprovalRequired: boolean;
  /** A bug with at least this many linked tickets gets an RCA whatever its severity. */
  rcaMinClusterSize: number;
  /** Review comments asking for changes trigger at most this many new patches. */
  reviewRoundsMax: number;
}

export const FIX_SETTINGS_DEFAULTS: FixSettings = {
  autoFixThreshold: 0.9,
  rcaApprovalRequired: true,
  rcaMinClusterSize: 3,
  reviewRoundsMax: 3,
};

/** A whole number typed into the form; "" (or spaces) is "Enter a whole number", never 0. */
function wholeNumberInput(min: number, max: number, tooSmall: string, tooLarge: string) {
  return z.preprocess(
    blankAsMissing,
    z.coerce
      .number({ message: "Enter a whole number" })
      .int("Use a whole number")
      .min(min, tooSmall)
      .max(max, tooLarge),
  );
}

/** The settings form (owners and admins): bounds match the table's checks. */
export const fixSettingsSchema = z.object({
  // an empty field is an error, not 0 (which would auto-fix every Mapped Bug)
  autoFixThreshold: probabilityInput(),
  // a checkbox sends "on" or nothing; z.coerce.boolean() would read the string "false" as true
  rcaApprovalRequired: z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean()),
  // as with the threshold, an empty field is an error: 0 review rounds means "never re-patch"
  rcaMinClusterSize: wholeNumberInput(1, 1000, "At least one ticket", "At most 1000 tickets"),
  reviewRoundsMax: wholeNumberInput(0, 20, "Use 0 to never re-patch", "At most 20 rounds"),
});

/** The settings from a `fix_settings` row, or the defaults when the workspace has none. */
export function fixSettingsFromRow(row: FixSettingsRow | null | undefined): FixSettings {
  if (!row) return { ...FIX_SETTINGS_DEFAULTS };
  return {
    // numeric columns arrive as strings from PostgREST
    autoFixThreshold: Number(row.auto_fix_threshold),
    rcaApprovalRequired: row.rca_approval_required,
    rcaMinClusterSize: row.rca_min_cluster_size,
    reviewRoundsMax: row.review_rounds_max,
  };
}
