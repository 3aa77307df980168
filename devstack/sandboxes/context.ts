import type { SandboxCredentials } from "./credentials";
import type { Deliverer } from "./deliver";
import type { Provider, SandboxState } from "./state";
import type { SandboxStore } from "./store";

/** What every sandbox handler is given. */
export interface SandboxContext {
  store: SandboxStore;
  state: SandboxState;
  deliverer: Deliverer;
  credentials: SandboxCredentials;
  /** The app's public URL: app-wide webhooks go to `${siteUrl}/api/webhooks/<provider>`. */
  siteUrl: string;
  /** This server's own URL (`SANDBOX_URL`). */
  sandboxUrl: string;
  /** Origins an OAuth `redirect_uri` may point at (like a provider's registered redirect URLs). */
  redirectOrigins: string[];
  /** Lifetime of expiring access tokens (Zendesk, GitHub installation tokens use their own). */
  accessTokenTtlSeconds: number;
  /** The GitHub App's setup URL: the install flow ends there with `installation_id`. */
  githubSetupUrl: string;
  log: (line: string) => void;
}

/** Where an app-wide webhook of `provider` goes: the configured target, else the app's route. */
export function webhookTarget(ctx: SandboxContext, provider: Provider, override?: string): string {
  return override ?? ctx.state.targets[provider] ?? `${ctx.siteUrl}/api/webhooks/${provider}`;
}
