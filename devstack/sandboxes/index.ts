import type { Server } from "node:http";
import type { DevstackConfig } from "../config";
import type { SandboxContext } from "./context";
import { registerControl } from "./control";
import { deriveCredentials } from "./credentials";
import { Deliverer } from "./deliver";
import { ensureDemoRepo } from "./github/repos";
import { registerGithub } from "./github/routes";
import { registerIntercom } from "./intercom/routes";
import { deriveLlmKeys, llmEnv } from "./llm/keys";
import { registerLlm } from "./llm/routes";
import { registerPage } from "./page";
import { registerRazorpayAddons } from "./razorpay/addons";
import { registerRazorpayLifecycle } from "./razorpay/lifecycle";
import { registerRazorpayPaymentLinks } from "./razorpay/payment-links";
import { registerRazorpayRefunds } from "./razorpay/refunds";
import { registerRazorpay } from "./razorpay/routes";
import { Router } from "./router";
import { createSandboxServer } from "./server";
import { registerSlack } from "./slack/routes";
import { SandboxStore } from "./store";
import { registerZendesk } from "./zendesk/routes";

export interface StartedSandboxes {
  url: string;
  /** What the devstack env file gains: SANDBOX_URL, provider base URLs, app credentials. */
  env: Record<string, string>;
  stop: () => Promise<void>;
}

export interface SandboxOptions {
  reset: boolean;
  log: (line: string) => void;
}

/**
 * Starts the provider sandboxes (Zendesk, GitHub, Intercom, Razorpay, Slack) on `config.sandboxPort`.
 * Never deployed: nothing under app/ or lib/ imports this folder.
 */
export async function startSandboxes(
  config: DevstackConfig,
  opts: SandboxOptions,
): Promise<StartedSandboxes> {
  const store = new SandboxStore(config.home, { reset: opts.reset });
  const credentials = deriveCredentials(config.jwtSecret);
  const url = config.sandboxUrl;
  const redirectOrigins = [config.siteUrl, ...config.additionalRedirectUrls]
    .map((u) => {
      try {
        return new URL(u.replace(/\*+$/, "")).origin;
      } catch {
        return undefined;
      }
    })
    .filter((o): o is string => o !== undefined);
  const ctx: SandboxContext = {
    store,
    state: store.state,
    deliverer: new Deliverer(store, config.sandbox.retryBaseMs, opts.log),
    credentials,
    siteUrl: config.siteUrl.replace(/\/$/, ""),
    sandboxUrl: url,
    redirectOrigins: [...new Set(redirectOrigins)],
    accessTokenTtlSeconds: config.sandbox.accessTokenTtlSeconds,
    githubSetupUrl:
      config.sandbox.githubSetupUrl ??
      `${config.siteUrl.replace(/\/$/, "")}/api/integrations/github/setup`,
    log: opts.log,
  };
  const router = new Router();
  registerControl(router, ctx);
  registerZendesk(router, ctx);
  registerGithub(router, ctx);
  registerIntercom(router, ctx);
  registerRazorpay(router, ctx);
  registerRazorpayLifecycle(router, ctx);
  registerRazorpayAddons(router, ctx);
  registerRazorpayRefunds(router, ctx);
  registerRazorpayPaymentLinks(router, ctx);
  registerSlack(router, ctx);
  const llmKeys = deriveLlmKeys(config.jwtSecret);
  registerLlm(router, llmKeys);
  registerPage(router, ctx);
  await ensureDemoRepo(ctx).catch((err: Error) =>
    opts.log(`sandboxes: demo repository not served: ${err.message}`),
  );

  const server: Server = createSandboxServer(ctx, router);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.sandboxPort, config.host, () => resolve());
  });
  // Deliveries still being retried when the devstack stopped carry on, as a provider's queue would.
  for (const d of store.state.deliveries) {
    if (d.state === "pending" || d.state === "retrying") ctx.deliverer.redeliver(d);
  }
  return {
    url,
    env: {
      SANDBOX_URL: url,
      ZENDESK_BASE_URL: `${url}/zendesk/{subdomain}`,
      INTERCOM_API_BASE: `${url}/intercom/api`,
      INTERCOM_OAUTH_BASE: `${url}/intercom/app`,
      GITHUB_API_BASE: `${url}/github/api`,
      GITHUB_WEB_BASE: `${url}/github/web`,
      RAZORPAY_API_BASE: `${url}/razorpay`,
      // @slack/web-api appends the method name to this URL
      SLACK_API_URL: `${url}/slack/api/`,
      SLACK_OAUTH_BASE: `${url}/slack`,
      ...llmEnv(url, llmKeys),
      ...credentials,
      // One line in the env file: newlines written as \n, as hosting dashboards store PEM keys.
      GITHUB_APP_PRIVATE_KEY: store.state.github.privateKeyPem.trim().replaceAll("\n", "\\n"),
    },
    stop: async () => {
      ctx.deliverer.stop();
      store.flush();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
