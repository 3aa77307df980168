import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * AES-256-GCM for secrets at rest (OAuth and refresh tokens, per-tenant webhook secrets,
 * credentials): encrypt before a value reaches the database, decrypt after it leaves.
 *
 * - Ciphertext is versioned and names its key: `v1.<keyId>.<iv>.<ciphertext+tag>` (base64url), so
 *   keys rotate without downtime: add a new key first in the list (it encrypts), keep the old ones
 *   (they still decrypt), re-encrypt at leisure (`needsRotation`), then drop the old key.
 * - The additional authenticated data binds a ciphertext to its place (organization, table, row,
 *   column): a value copied to another row or tenant fails to decrypt.
 */

export interface AadContext {
  organizationId: string;
  table: string;
  rowId: string;
  column: string;
}

export interface Keyring {
  /** The id of the key that encrypts. */
  readonly activeKeyId: string;
  encrypt(plaintext: string, aad: AadContext): string;
  decrypt(ciphertext: string, aad: AadContext): string;
  /** True when the value was encrypted with a key other than the active one. */
  needsRotation(ciphertext: string): boolean;
}

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class DecryptionError extends Error {
  constructor(reason: string) {
    super(`cannot decrypt: ${reason}`);
    this.name = "DecryptionError";
  }
}

function aadBytes(aad: AadContext): Buffer {
  for (const [k, v] of Object.entries(aad)) {
    if (typeof v !== "string" || v.length === 0) throw new Error(`AAD ${k} is required`);
  }
  // length-prefixed so "a|b" + "c" and "a" + "b|c" can never collide
  return Buffer.from(
    [aad.organizationId, aad.table, aad.rowId, aad.column].map((p) => `${p.length}:${p}`).join("|"),
    "utf8",
  );
}

/** AES-256-GCM with an explicit IV: returns ciphertext and tag (exported for test vectors). */
export function gcmEncrypt(key: Buffer, iv: Buffer, plaintext: Buffer, aad: Buffer) {
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { ciphertext, tag: cipher.getAuthTag() };
}

export function gcmDecrypt(key: Buffer, iv: Buffer, ciphertext: Buffer, tag: Buffer, aad: Buffer) {
  const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

/**
 * Parses `ENCRYPTION_KEYS`: comma-separated `<keyId>:<base64 32-byte key>`, the first one active.
 * Generate a key with `openssl rand -base64 32`.
 */
export function parseKeys(spec: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const entry of spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const i = entry.indexOf(":");
    const id = entry.slice(0, i);
    if (i <= 0 || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) throw new Error("ENCRYPTION_KEYS: bad key id");
    if (keys.has(id)) throw new Error(`ENCRYPTION_KEYS: duplicate key id ${id}`);
    const key = Buffer.from(entry.slice(i + 1), "base64");
    if (key.length !== 32) throw new Error(`ENCRYPTION_KEYS: key ${id} is not 32 bytes`);
    keys.set(id, key);
  }
  if (keys.size === 0) throw new Error("ENCRYPTION_KEYS: no keys");
  return keys;
}

/** A keyring over `keys` (first = active). */
export function createKeyring(keys: Map<string, Buffer>): Keyring {
  const [activeKeyId] = keys.keys();
  if (!activeKeyId) throw new Error("keyring needs a key");
  const active = keys.get(activeKeyId) as Buffer;

  function parse(ciphertext: string) {
    const parts = ciphertext.split(".");
    if (parts.length !== 4 || parts[0] !== VERSION) throw new DecryptionError("unknown format");
    const [, keyId, iv, body] = parts as [string, string, string, string];
    const key = keys.get(keyId);
    if (!key) throw new DecryptionError(`unknown key ${keyId}`);
    const bytes = Buffer.from(body, "base64url");
    if (bytes.length < TAG_BYTES) throw new DecryptionError("truncated");
    return {
      keyId,
      key,
      iv: Buffer.from(iv, "base64url"),
      data: bytes.subarray(0, bytes.length - TAG_BYTES),
      tag: bytes.subarray(bytes.length - TAG_BYTES),
    };
  }

  return {
    activeKeyId,
    encrypt(plaintext, aad) {
      const iv = randomBytes(IV_BYTES);
      const { ciphertext, tag } = gcmEncrypt(
        active,
        iv,
        Buffer.from(plaintext, "utf8"),
        aadBytes(aad),
      );
      return [
        VERSION,
        activeKeyId,
        iv.toString("base64url"),
        Buffer.concat([ciphertext, tag]).toString("base64url"),
      ].join(".");
    },
    decrypt(ciphertext, aad) {
      const { key, iv, data, tag } = parse(ciphertext);
      try {
        return gcmDecrypt(key, iv, data, tag, aadBytes(aad)).toString("utf8");
      } catch {
        throw new DecryptionError("authentication failed (wrong key, place or tampered data)");
      }
    },
    needsRotation(ciphertext) {
      return parse(ciphertext).keyId !== activeKeyId;
    },
  };
}
