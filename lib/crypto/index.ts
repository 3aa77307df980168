import "server-only";
import { serverEnv } from "@/lib/env";
import { createKeyring, type Keyring, parseKeys } from "./keyring";

export type { AadContext, Keyring } from "./keyring";
export { DecryptionError } from "./keyring";

let keyring: Keyring | undefined;

/** The app's keyring from `ENCRYPTION_KEYS`; throws naming the variable when it is not set. */
export function getKeyring(): Keyring {
  if (keyring) return keyring;
  const spec = serverEnv().ENCRYPTION_KEYS;
  if (!spec) throw new Error("ENCRYPTION_KEYS is missing (needed to encrypt secrets at rest)");
  keyring = createKeyring(parseKeys(spec));
  return keyring;
}
