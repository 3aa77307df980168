import { z } from "zod";

/**
 * A probability typed into a settings form (a confidence gate, the auto-fix threshold): a number
 * from 0 to 1 with at most two decimals, the bounds of the tables' checks. An empty field is an
 * error, never 0: `z.coerce.number` alone reads "" as 0, which for a gate means "let everything
 * through". Shared by every form with such a field (with `ProbabilityField`,
 * components/pipeline/probability-field.tsx), so they answer alike.
 */

export const PROBABILITY_REQUIRED = "Enter a number from 0 to 1";
export const PROBABILITY_RANGE = "Use a value between 0 and 1";
export const PROBABILITY_DECIMALS = "Use at most two decimals";

/**
 * A blank form field (empty or spaces) as missing, so the schema after it says "required" instead
 * of `z.coerce.number` reading it as 0. For every number field of a settings form.
 */
export const blankAsMissing = (v: unknown): unknown =>
  typeof v === "string" && v.trim() === "" ? undefined : v;

export function probabilityInput() {
  return z.preprocess(
    blankAsMissing,
    z.coerce
      .number({ message: PROBABILITY_REQUIRED })
      .min(0, PROBABILITY_RANGE)
      .max(1, PROBABILITY_RANGE)
      .multipleOf(0.01, PROBABILITY_DECIMALS),
  );
}
