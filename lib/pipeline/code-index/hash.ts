import { createHash } from "node:crypto";

/** Git's blob id of some bytes, so a hash from `git ls-tree` and one computed here agree. */
export function blobHash(bytes: Uint8Array): string {
  const h = createHash("sha1");
  h.update(`blob ${bytes.length}\0`);
  h.update(bytes);
  return h.digest("hex");
}
