import type { VerifyResult } from "./signature";
import type { Tenant } from "./tenants";

/**
 * Zendesk signs with a per-workspace secret, found by the `X-Zendesk-Webhook-Id` header before
 * verification: a database round trip on every delivery. This cache keeps the decrypted secrets
 * of a webhook id for a minute, so a workspace's steady stream of deliveries costs one lookup a
 * minute. It can only make intake stricter for a moment, never looser:
 * - a delivery the cached secrets refuse is verified again against a fresh lookup (a rotation or
 *   a reconnection with a new secret is seen at once; a forgery costs what it did before);
 * - an entry never outlives the previous secret's expiry, so an expired previous secret is not
 *   accepted from the cache;
 * - only found secrets are cached (an unknown webhook id is looked up every time);
 * - the cached tenant is only the integration id: the recording transaction reads that
 *   integration's status again, so a disconnection is honoured at once.
 * The secrets sit in this process's memory, as the keyring that decrypts them does.
 */

export interface ZendeskSecrets {
  tenant: Tenant;
  /** Accepted secrets, current first; empty when none (the delivery is refused). */
  secrets: string[];
  /** When one of the secrets (the previous one) stops being accepted, ms since the epoch. */
  validUntil?: number;
}

export const ZENDESK_SECRET_TTL_MS = 60_000;
const MAX_ENTRIES = 1_000;

interface Entry extends ZendeskSecrets {
  expiresAt: number;
}

export class ZendeskSecretCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number = ZENDESK_SECRET_TTL_MS,
    private readonly maxEntries: number = MAX_ENTRIES,
  ) {}

  /**
   * Verifies with the cached secrets of `webhookId` if any, else (or if they refuse) with a fresh
   * `lookup()`; returns the verdict and the tenant whose secrets decided it.
   */
  async verify(
    webhookId: string,
    lookup: () => Promise<ZendeskSecrets>,
    verify: (secrets: string[]) => VerifyResult,
    now: number = Date.now(),
  ): Promise<{ result: VerifyResult; tenant: Tenant }> {
    const cached = this.entries.get(webhookId);
    if (cached && cached.expiresAt > now) {
      const result = verify(cached.secrets);
      if (result.ok) return { result, tenant: cached.tenant };
    }
    const fresh = await lookup();
    this.entries.delete(webhookId);
    if (fresh.secrets.length > 0) {
      if (this.entries.size >= this.maxEntries) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
      const expiresAt = Math.min(now + this.ttlMs, fresh.validUntil ?? Number.POSITIVE_INFINITY);
      this.entries.set(webhookId, { ...fresh, expiresAt });
    }
    return { result: verify(fresh.secrets), tenant: fresh.tenant };
  }

  get size(): number {
    return this.entries.size;
  }
}
