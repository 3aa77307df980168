import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/**
 * The demo repository's support tickets (`tickets.json`): what a customer wrote about each bug
 * planted in `source/`, and where the bug is at the head commit `buildDemoRepo` produces. Used by
 * the demo seed and by tests of the pipeline.
 */

const truthSchema = z.object({
  file: z.string().min(1),
  /** Qualified name as the code index names chunks (`Class.method`, `function`). */
  function: z.string().min(1),
  /** Inclusive, 1-based line range of the defect. */
  lines: z.tuple([z.number().int().positive(), z.number().int().positive()]),
  /** Text on the first line of the range, so a moved line is noticed. */
  anchor: z.string().min(1),
  cause: z.string().min(1),
});

export const demoTicketSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  requester: z.object({
    name: z.string().min(1),
    email: z.email(),
    role: z.enum(["shopper", "merchant"]),
  }),
  subject: z.string().min(1),
  body: z.string().min(1),
  severity: z.enum(["critical", "high", "medium", "low"]),
  truth: truthSchema,
});

export const demoTicketsFileSchema = z.object({
  repository: z.string(),
  /** Head commit of `buildDemoRepo`, which the line numbers refer to. */
  commit: z.string().regex(/^[0-9a-f]{40}$/),
  about: z.string(),
  tickets: z.array(demoTicketSchema).min(1),
});

export type DemoTicket = z.infer<typeof demoTicketSchema>;
export type DemoTicketsFile = z.infer<typeof demoTicketsFileSchema>;

export const DEMO_TICKETS_PATH = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "tickets.json",
);

/** Read and validate `tickets.json`. */
export function loadDemoTickets(file = DEMO_TICKETS_PATH): DemoTicketsFile {
  return demoTicketsFileSchema.parse(JSON.parse(readFileSync(file, "utf8")));
}
