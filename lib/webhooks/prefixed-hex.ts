import {
  decodeHex,
  hmac,
  matchAnySecret,
  type RawBody,
  usableSecrets,
  type VerifyResult,
} from "./signature";

/**
 * The `<algo>=<lowercase hex HMAC(secret, raw body)>` header scheme GitHub (sha256) and Intercom
 * (sha1, GitHub's legacy header) share: one verifier and one signer per algorithm.
 */
export function prefixedHexScheme(algorithm: "sha1" | "sha256", digestBytes: number) {
  const prefix = `${algorithm}=`;
  return {
    verify(input: {
      body: RawBody;
      signature: string | null | undefined;
      secrets: ReadonlyArray<string | null | undefined>;
    }): VerifyResult {
      const secrets = usableSecrets(input.secrets);
      if (secrets.length === 0) return { ok: false, reason: "no_secret" };
      if (!input.signature) return { ok: false, reason: "missing_signature" };
      if (!input.signature.startsWith(prefix)) return { ok: false, reason: "malformed_signature" };
      const provided = decodeHex(input.signature.slice(prefix.length), digestBytes);
      if (!provided) return { ok: false, reason: "malformed_signature" };
      return matchAnySecret(provided, secrets, (secret) => hmac(algorithm, secret, [input.body]));
    },
    sign(body: RawBody | string, secret: string): string {
      return prefix + hmac(algorithm, secret, [body]).toString("hex");
    },
  };
}
