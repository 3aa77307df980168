import { z } from "zod";

/**
 * The five sections of a customer RCA, in the order the customer reads them. Each is plain text
 * the team may edit; what the team writes is posted as written (only the fixed parts around it are
 * translated, see messages.ts).
 */
export const RCA_SECTION_KEYS = [
  "customer_impact",
  "timeline",
  "root_cause",
  "fix",
  "prevention",
] as const;
export type RcaSectionKey = (typeof RCA_SECTION_KEYS)[number];

/** Long enough for a thorough section, short enough for a support reply. */
export const RCA_SECTION_MAX = 4000;

const section = z
  .string()
  .trim()
  .min(1, "Write something in this section (or a short note such as “None”)")
  .max(RCA_SECTION_MAX, `Keep each section under ${RCA_SECTION_MAX} characters`);

/** The sections as stored in `rcas.sections` and sent by the editor. */
export const rcaSectionsSchema = z.strictObject({
  customer_impact: section,
  timeline: section,
  root_cause: section,
  fix: section,
  prevention: section,
});
export type RcaSections = z.infer<typeof rcaSectionsSchema>;
