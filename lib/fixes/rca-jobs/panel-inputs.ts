import { z } from "zod";
import { rcaSectionsSchema } from "../rca/sections";

/** The RCA panel's forms: the five sections (members), approve and publish update (owners, admins). */
// not strict: the form also carries the guard's `org` field
export const saveRcaInput = z.object({
  ...rcaSectionsSchema.shape,
  bugId: z.uuid(),
  /** The version the editor started from: a save over someone else's newer edit is refused. */
  version: z.coerce.number().int().min(1),
});

export const rcaActionInput = z.object({
  bugId: z.uuid(),
  version: z.coerce.number().int().min(1),
});
