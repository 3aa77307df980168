import "server-only";
import { providerRefreshers } from "./refreshers";
import { createTokenService, type IntegrationRef } from "./token-refresh";
import { databaseTokenStore } from "./token-store";

/**
 * The app's entry point for a provider token: `await getAccessToken({ id, organizationId })` in a
 * job or callback, right before the provider call that needs it. Concurrent callers in this
 * process share one promise (and one audited admin-client use); the database lease in
 * token-refresh.ts covers callers in other processes.
 */
const inFlight = new Map<string, Promise<string>>();

export function getAccessToken(ref: IntegrationRef): Promise<string> {
  const running = inFlight.get(ref.id);
  if (running) return running;
  const service = createTokenService({
    store: databaseTokenStore(ref.organizationId, "read or refresh an integration token"),
    refreshers: providerRefreshers(),
  });
  const promise = service.getAccessToken(ref).finally(() => inFlight.delete(ref.id));
  inFlight.set(ref.id, promise);
  return promise;
}
