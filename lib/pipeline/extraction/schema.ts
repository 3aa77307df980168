import { z } from "zod";
import { SEVERITY_LEVELS } from "./severity";

/** The structured bug extraction produces; validated before it leaves the stage. */
export const extractedBugSchema = z.object({
  title: z.string().min(1).max(120),
  severity: z.object({
    level: z.enum(SEVERITY_LEVELS),
    /** The customer's words that decided the level, or why the default applies. */
    cue: z.string().min(1),
  }),
  stepsToReproduce: z.array(z.string().min(1).max(1000)).max(30),
  expected: z.string().min(1).max(2000).nullable(),
  actual: z.string().min(1).max(2000).nullable(),
  affectedFeature: z.string().min(1).max(200).nullable(),
  customerImpact: z.string().min(1).max(1000).nullable(),
  /** Verbatim: the code map matches them against string literals. */
  errorMessages: z.array(z.string().max(500)).max(20),
  /** Verbatim: the code map reads their frames. */
  stackTraces: z.array(z.string().max(20_000)).max(10),
  /** The customer's own words, unchanged, in their language (ISO 639-1, null if unknown). */
  verbatim: z.object({
    text: z.string(),
    language: z
      .string()
      .regex(/^[a-z]{2}$/)
      .nullable(),
  }),
  /** In [0, 1]: whether there is a reproduction path and a gap between expected and actual. */
  confidence: z.number().min(0).max(1),
  /** What raised or lowered the confidence, for the review queue. */
  confidenceReasons: z.array(z.string()),
});

export type ExtractedBug = z.infer<typeof extractedBugSchema>;
