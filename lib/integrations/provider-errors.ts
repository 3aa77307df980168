/**
 * How a provider call failed, so callers know what to do:
 * - ProviderRefusedError: the provider said no for good (revoked grant, uninstalled app). The
 *   integration is marked `error` with `reason`, which settings shows and the audit log keeps;
 *   only reconnecting fixes it. `reason` is written for people and never holds a token.
 * - ProviderUnavailableError: a transient failure (network, 5xx, rate limit); retry later,
 *   the integration stays as it was.
 */
export class ProviderRefusedError extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.name = "ProviderRefusedError";
    this.reason = reason;
  }
}

export class ProviderUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ProviderUnavailableError";
  }
}

/** The integration cannot give a token until someone reconnects it. */
export class IntegrationUnusableError extends Error {
  readonly status: string;
  constructor(status: string, reason: string | null) {
    super(reason ? `integration ${status}: ${reason}` : `integration ${status}`);
    this.name = "IntegrationUnusableError";
    this.status = status;
  }
}
