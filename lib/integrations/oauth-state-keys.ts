import "server-only";
import { hkdfSync } from "node:crypto";
import { parseKeys } from "@/lib/crypto/keyring";
import { serverEnv } from "@/lib/env";
import type { OAuthStateKeys } from "./oauth-state";

/**
 * The keys that sign OAuth `state`: OAUTH_STATE_SECRET when set, otherwise one HMAC key derived
 * (HKDF-SHA256, its own label) from each ENCRYPTION_KEYS entry, so the encryption keys are never
 * used directly for signing, and a flow started just before a key rotation still verifies.
 */
export function oauthStateKeys(): OAuthStateKeys {
  const env = serverEnv();
  if (env.OAUTH_STATE_SECRET) return [derive(Buffer.from(env.OAUTH_STATE_SECRET, "utf8"))];
  if (!env.ENCRYPTION_KEYS) {
    throw new Error("OAUTH_STATE_SECRET or ENCRYPTION_KEYS is needed to sign OAuth state");
  }
  const keys = [...parseKeys(env.ENCRYPTION_KEYS).values()].map(derive);
  return keys as unknown as OAuthStateKeys; // parseKeys refuses an empty list
}

function derive(secret: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "patchline", "oauth-state.v1", 32));
}
