import { z } from "zod";
import { SEVERITY_LEVELS } from "../extraction";

/**
 * The JSON the model is asked for, validated with zod. Anything else (prose, a truncated object,
 * a wrong type, an unknown candidate id) is "malformed" and the offline result stands.
 */

const text = (max: number) => z.string().trim().min(1).max(max);

export const extractionAnswerSchema = z.object({
  title: text(120).nullable().optional(),
  severity: z.enum(SEVERITY_LEVELS).nullable().optional(),
  stepsToReproduce: z.array(text(1000)).max(30).default([]),
  expected: text(2000).nullable().optional(),
  actual: text(2000).nullable().optional(),
  affectedFeature: text(200).nullable().optional(),
  customerImpact: text(1000).nullable().optional(),
});
export type ExtractionAnswer = z.infer<typeof extractionAnswerSchema>;

export const rerankAnswerSchema = z.object({
  ranking: z
    .array(z.object({ id: z.string().min(1).max(20), reason: text(500) }))
    .min(1)
    .max(50),
});
export type RerankAnswer = z.infer<typeof rerankAnswerSchema>;

/**
 * Parses a model's text as JSON against `schema`. Tolerates a ```json fence around the object
 * (models add one despite being told not to); returns null on anything else.
 */
export function parseAnswer<T extends z.ZodType>(schema: T, raw: string): z.infer<T> | null {
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/.exec(raw.trim());
  const body = fenced?.[1] ?? raw.trim();
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
