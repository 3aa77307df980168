import "server-only";
import { hkdfSync } from "node:crypto";
import { parseKeys } from "@/lib/crypto/keyring";
import { serverEnv } from "@/lib/env";

/**
 * The keys that sign unsubscribe links: one HMAC key derived (HKDF-SHA256, its own label) from
 * each ENCRYPTION_KEYS entry, so the encryption keys never sign anything themselves and a link
 * sent before a key rotation still verifies while its key is in the ring.
 */
export function unsubscribeKeys(): Buffer[] {
  const env = serverEnv();
  if (!env.ENCRYPTION_KEYS) throw new Error("ENCRYPTION_KEYS is needed to sign unsubscribe links");
  return [...parseKeys(env.ENCRYPTION_KEYS).values()].map((secret) =>
    Buffer.from(hkdfSync("sha256", secret, "patchline", "notification-unsubscribe.v1", 32)),
  );
}
