import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { SEVERITY_LEVELS } from "../extraction/severity";
import { NOISE_LABELS } from "../noise/cues";

/**
 * The labelled demo ticket set (`devstack/demo-repo/eval-tickets.json`): Zendesk Tickets API JSON
 * as `fromZendesk` reads it, each with gold labels written by a person. Offline only: the
 * evaluation reads it, the product never does.
 */

const bugGoldSchema = z.object({
  classification: z.literal("bug"),
  severity: z.enum(SEVERITY_LEVELS),
  /** Path at the set's commit, and the function as the code index names it. */
  file: z.string().min(1),
  function: z.string().min(1),
  /** Whether the customer gave steps, an expected and an actual behaviour (title is always due). */
  steps: z.boolean(),
  expected: z.boolean(),
  actual: z.boolean(),
});

const noiseGoldSchema = z.object({
  classification: z.enum(NOISE_LABELS).exclude(["bug"]),
});

export const goldSchema = z.union([bugGoldSchema, noiseGoldSchema]);
export type Gold = z.infer<typeof goldSchema>;
export type BugGold = z.infer<typeof bugGoldSchema>;

export const evalTicketSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  /** ISO 639-1 of what the customer wrote (for the per-language breakdown). */
  language: z.string().regex(/^[a-z]{2}$/),
  /** What makes the ticket a case worth having: terse, stack-trace, screenshot-only, … */
  kind: z.string().optional(),
  note: z.string().optional(),
  gold: goldSchema,
  /** `{ ticket, comments, users }` as the Zendesk API returns them; parsed by `fromZendesk`. */
  zendesk: z.object({
    ticket: z.looseObject({}),
    comments: z.array(z.looseObject({})),
    users: z.array(z.looseObject({})),
  }),
});
export type EvalTicket = z.infer<typeof evalTicketSchema>;

export const evalSetSchema = z.object({
  repository: z.string(),
  commit: z.string().regex(/^[0-9a-f]{40}$/),
  about: z.string(),
  tickets: z.array(evalTicketSchema).min(1),
});
export type EvalSet = z.infer<typeof evalSetSchema>;

export const EVAL_SET_PATH = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../devstack/demo-repo/eval-tickets.json",
);

/** Read and validate the labelled set; ids must be unique. */
export function loadEvalSet(file = EVAL_SET_PATH): EvalSet {
  const set = evalSetSchema.parse(JSON.parse(readFileSync(file, "utf8")));
  const seen = new Set<string>();
  for (const t of set.tickets) {
    if (seen.has(t.id)) throw new Error(`eval set: duplicate ticket id ${t.id}`);
    seen.add(t.id);
  }
  return set;
}

export const isBugGold = (gold: Gold): gold is BugGold => gold.classification === "bug";
