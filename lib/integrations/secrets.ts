import "server-only";
import { getKeyring, type Keyring } from "@/lib/crypto";
import type { EncryptedColumn, EncryptedTable, IntegrationSecretColumn } from "./encrypted-columns";

/**
 * Secrets of the integrations table at rest: every `*_enc` column holds keyring ciphertext
 * (lib/crypto/keyring.ts) whose additional authenticated data is the value's place
 * { organizationId, table, rowId, column }. A ciphertext copied to another row, column or
 * workspace fails to decrypt. Decrypt only at the point of use (a provider call), never to return
 * or log a value.
 */

export {
  ENCRYPTED_COLUMNS,
  type EncryptedColumn,
  type EncryptedTable,
  type IntegrationSecretColumn,
} from "./encrypted-columns";

/** Where a secret lives: the AAD its ciphertext is bound to. */
export interface SecretPlace<T extends EncryptedTable = EncryptedTable> {
  organizationId: string;
  table: T;
  rowId: string;
  column: EncryptedColumn<T>;
}

/** Encrypts `plaintext` for `place` with the active key. */
export function sealSecret(
  place: SecretPlace,
  plaintext: string,
  keyring: Keyring = getKeyring(),
): string {
  if (plaintext.length === 0) throw new Error("refusing to store an empty secret");
  return keyring.encrypt(plaintext, { ...place });
}

/** Decrypts the ciphertext stored at `place`; throws DecryptionError if it belongs elsewhere. */
export function openSecret(
  place: SecretPlace,
  ciphertext: string,
  keyring: Keyring = getKeyring(),
): string {
  return keyring.decrypt(ciphertext, { ...place });
}

/** Seals a value for a column of an integrations row, or null when there is none to store. */
export function sealIntegrationSecret(
  integration: { id: string; organization_id: string },
  column: IntegrationSecretColumn,
  plaintext: string | null | undefined,
  keyring: Keyring = getKeyring(),
): string | null {
  if (plaintext == null) return null;
  return sealSecret(
    {
      organizationId: integration.organization_id,
      table: "integrations",
      rowId: integration.id,
      column,
    },
    plaintext,
    keyring,
  );
}

/** Opens a column of an integrations row, or null when the column is empty. */
export function openIntegrationSecret(
  integration: { id: string; organization_id: string } & Partial<
    Record<IntegrationSecretColumn, string | null>
  >,
  column: IntegrationSecretColumn,
  keyring: Keyring = getKeyring(),
): string | null {
  const ciphertext = integration[column];
  if (!ciphertext) return null;
  return openSecret(
    {
      organizationId: integration.organization_id,
      table: "integrations",
      rowId: integration.id,
      column,
    },
    ciphertext,
    keyring,
  );
}
