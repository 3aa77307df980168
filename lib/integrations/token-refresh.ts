import { randomUUID } from "node:crypto";
import type { IntegrationProvider, IntegrationStatus } from "@/lib/supabase/database.types";
import {
  IntegrationUnusableError,
  ProviderRefusedError,
  ProviderUnavailableError,
} from "./provider-errors";

/**
 * A valid access token for an integration, refreshed before use when it expires within
 * `marginMs`, with single flight per integration at two levels:
 * - in this process, concurrent callers share one promise (a map keyed by integration id);
 * - across processes (two Inngest jobs on two servers), a lease in the database
 *   (`claim_integration_refresh`): the holder refreshes; the others wait, then re-read the row
 *   and use the token the holder stored.
 * A refusal by the provider (invalid_grant, uninstalled app) marks the integration `error` with a
 * readable reason; a transient failure changes nothing and is thrown for the job to retry.
 *
 * Pure of I/O itself: the store (database, `token-store.ts`) and the per-provider refreshers
 * (`<provider>/…`) are passed in, so the single flight is unit-tested against a local endpoint.
 */

export interface IntegrationRef {
  id: string;
  organizationId: string;
}

/** An integration's credentials, decrypted by the store for this use only. */
export interface IntegrationCredentials extends IntegrationRef {
  provider: IntegrationProvider;
  status: IntegrationStatus;
  externalAccountId: string;
  accessToken: string | null;
  refreshToken: string | null;
  expiresAt: Date | null;
  lastError: string | null;
}

export interface RefreshedTokens {
  accessToken: string;
  /** A rotated refresh token; undefined keeps the stored one. */
  refreshToken?: string | null;
  expiresAt: Date | null;
}

export interface TokenStore {
  read(ref: IntegrationRef): Promise<IntegrationCredentials>;
  /** True when `holder` now holds the refresh lease (no other unexpired holder). */
  claim(ref: IntegrationRef, holder: string, ttlMs: number): Promise<boolean>;
  release(ref: IntegrationRef, holder: string): Promise<void>;
  save(ref: IntegrationRef, tokens: RefreshedTokens): Promise<void>;
  /** Marks the integration `error` with a reason people can read (and audits it). */
  markError(ref: IntegrationRef, reason: string): Promise<void>;
}

/** Asks the provider for a new access token; throws ProviderRefusedError / ProviderUnavailableError. */
export type Refresher = (credentials: IntegrationCredentials) => Promise<RefreshedTokens>;

export interface TokenServiceOptions {
  store: TokenStore;
  refreshers: Partial<Record<IntegrationProvider, Refresher>>;
  /** Refresh when the token expires within this margin (default 5 minutes). */
  marginMs?: number;
  /** Lease length: longer than a provider call takes (default 30 s). */
  leaseMs?: number;
  /** How long a caller waits for another process's refresh before giving up (default 30 s). */
  waitMs?: number;
  pollMs?: number;
  now?: () => number;
}

export interface TokenService {
  getAccessToken(ref: IntegrationRef): Promise<string>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createTokenService(options: TokenServiceOptions): TokenService {
  const {
    store,
    refreshers,
    marginMs = 5 * 60_000,
    leaseMs = 30_000,
    waitMs = 30_000,
    pollMs = 150,
    now = Date.now,
  } = options;
  const inFlight = new Map<string, Promise<string>>();
  // one holder id per service (process): a lease it already holds is re-claimable by itself
  const holder = `proc-${randomUUID()}`;

  const fresh = (c: IntegrationCredentials) =>
    c.accessToken !== null && (c.expiresAt === null || c.expiresAt.getTime() - now() > marginMs);

  function usable(c: IntegrationCredentials): IntegrationCredentials {
    if (c.status !== "connected") throw new IntegrationUnusableError(c.status, c.lastError);
    return c;
  }

  async function refreshUnderLease(ref: IntegrationRef): Promise<string> {
    // re-read under the lease: another process may have refreshed while we waited for it
    const current = usable(await store.read(ref));
    if (fresh(current)) return current.accessToken as string;
    const refresher = refreshers[current.provider];
    if (!refresher) throw new Error(`no token refresher for ${current.provider}`);
    try {
      const tokens = await refresher(current);
      await store.save(ref, tokens);
      return tokens.accessToken;
    } catch (error) {
      if (error instanceof ProviderRefusedError) {
        await store.markError(ref, error.reason);
        throw new IntegrationUnusableError("error", error.reason);
      }
      throw error;
    }
  }

  async function obtain(ref: IntegrationRef): Promise<string> {
    const first = usable(await store.read(ref));
    if (fresh(first)) return first.accessToken as string;
    const deadline = now() + waitMs;
    for (;;) {
      if (await store.claim(ref, holder, leaseMs)) {
        try {
          return await refreshUnderLease(ref);
        } finally {
          await store.release(ref, holder).catch(() => {});
        }
      }
      // another process is refreshing: wait for its result rather than refresh twice
      await sleep(pollMs);
      const seen = usable(await store.read(ref));
      if (fresh(seen)) return seen.accessToken as string;
      if (now() > deadline) {
        throw new ProviderUnavailableError("timed out waiting for another token refresh");
      }
    }
  }

  return {
    getAccessToken(ref) {
      const running = inFlight.get(ref.id);
      if (running) return running;
      const promise = obtain(ref).finally(() => inFlight.delete(ref.id));
      inFlight.set(ref.id, promise);
      return promise;
    },
  };
}
