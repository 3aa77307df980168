import { z } from "zod";
import {
  BUG_STATUSES,
  CLASSIFICATIONS,
  REVIEW_STATUSES,
  SEVERITIES,
  TICKET_STATUSES,
} from "./labels";

/**
 * Input schemas of the pipeline pages: list filters (from the URL) and the forms' actions. The
 * database checks the same limits (check constraints); these give the person a clear message.
 */

/** An empty select or search box means "any". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === "" || v === null ? undefined : v), schema.optional());

const search = optional(z.string().trim().max(200));

export const bugFiltersInput = z.object({
  status: optional(z.enum(BUG_STATUSES)),
  severity: optional(z.enum(SEVERITIES)),
  repository: optional(z.string().regex(/^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/)),
  q: search,
  after: optional(z.string().max(200)),
  before: optional(z.string().max(200)),
});

export const ticketFiltersInput = z.object({
  status: optional(z.enum(TICKET_STATUSES)),
  classification: optional(z.enum(CLASSIFICATIONS)),
  provider: optional(z.enum(["zendesk", "intercom"])),
  q: search,
  after: optional(z.string().max(200)),
  before: optional(z.string().max(200)),
});

export const reviewFiltersInput = z.object({
  status: optional(z.enum(REVIEW_STATUSES)).transform((s) => s ?? "open"),
});

/**
 * Parses list filters leniently: a hand-edited URL with a bad value shows the unfiltered list
 * rather than an error page (each bad field is dropped, the others kept).
 */
export function parseFilters<S extends z.ZodObject>(
  schema: S,
  params: Record<string, string | string[] | undefined>,
): z.infer<S> {
  const flat: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(params)) flat[k] = Array.isArray(v) ? v[0] : v;
  const parsed = schema.safeParse(flat);
  if (parsed.success) return parsed.data;
  const bad = new Set(parsed.error.issues.map((i) => String(i.path[0])));
  for (const key of bad) delete flat[key];
  return schema.parse(flat);
}

const lines = (max: number, each: number) =>
  z
    .string()
    .max(max * (each + 2))
    .transform((text) =>
      text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(z.string().max(each, `Each line must be at most ${each} characters`))
        .max(max, `At most ${max} lines`),
    );

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `At most ${max} characters`)
    .transform((v) => (v === "" ? null : v));

export const updateBugInput = z.object({
  bugId: z.uuid(),
  title: z.string().trim().min(1, "Give the bug a title").max(300, "At most 300 characters"),
  severity: z.enum(SEVERITIES, { message: "Choose a severity" }),
  steps: lines(30, 1000).default([]),
  expected: text(2000).default(null),
  actual: text(2000).default(null),
  feature: text(200).default(null),
  impact: text(1000).default(null),
});
export type UpdateBugInput = z.infer<typeof updateBugInput>;

export const markMismappedInput = z.object({
  bugId: z.uuid(),
  locationId: z.uuid(),
  reason: z
    .string()
    .trim()
    .min(3, "Say in a few words what is wrong with this location")
    .max(1000, "At most 1000 characters"),
});

export const clearMismappedInput = z.object({ bugId: z.uuid(), locationId: z.uuid() });

export const resolveReviewInput = z.object({
  itemId: z.uuid(),
  decision: z.enum(["accepted", "dismissed"]),
});

export const reprocessTicketInput = z.object({ ticketId: z.uuid() });
