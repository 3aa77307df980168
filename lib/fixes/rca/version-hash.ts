import { createHash } from "node:crypto";
import { RCA_SECTION_KEYS, type RcaSections } from "./sections";

/**
 * The SHA-256 (hex) that identifies a published RCA version, recorded per ticket in
 * `rca_publications` before anything is sent: (ticket, hash) is unique, so a retry, a second
 * deploy or a second worker cannot post the same version twice. It covers the RCA and its five
 * sections (in a fixed order, whitespace at the ends ignored), not the language or our
 * translations: a ticket whose language changes, or a reworded translation, does not re-post a
 * version the customer already has; an edited section is a new version (a "publish update").
 */
export function rcaVersionHash(rcaId: string, sections: RcaSections): string {
  const canonical = JSON.stringify([
    "patchline.rca.v1",
    rcaId,
    ...RCA_SECTION_KEYS.map((key) => [key, sections[key].trim()]),
  ]);
  return createHash("sha256").update(canonical, "utf8").digest("hex");
}
