import "server-only";
import Razorpay from "razorpay";
import { serverEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";

/**
 * Razorpay's official Node SDK, pointed at `RAZORPAY_API_BASE` (the real API by default, the
 * devstack's sandbox locally). Patchline only creates, changes and cancels subscriptions and
 * their plans; card data is entered on Razorpay's own checkout page (`short_url`) and never
 * reaches Patchline.
 */

/** The SDK's request layer: an axios instance whose base URL is fixed to api.razorpay.com. */
interface SdkInternals {
  api: { rq: { defaults: { baseURL?: string } } };
}

let cached: { key: string; client: Razorpay } | undefined;

/** The SDK client for the configured keys and base URL; 503 when billing is not configured. */
export function razorpayClient(): Razorpay {
  const env = serverEnv();
  if (!env.RAZORPAY_KEY_ID || !env.RAZORPAY_KEY_SECRET) {
    throw new AppError("unavailable", "Billing is not configured on this deployment.");
  }
  const key = `${env.RAZORPAY_API_BASE}|${env.RAZORPAY_KEY_ID}`;
  if (cached?.key === key) return cached.client;
  const client = new Razorpay({ key_id: env.RAZORPAY_KEY_ID, key_secret: env.RAZORPAY_KEY_SECRET });
  // The SDK has no base-URL option; its paths are `/v1/...` below this host, so only the host
  // moves (the sandbox serves the same paths under /razorpay).
  (client as unknown as SdkInternals).api.rq.defaults.baseURL = env.RAZORPAY_API_BASE.replace(
    /\/+$/,
    "",
  );
  cached = { key, client };
  return client;
}

/** The SDK rejects with `{ statusCode, error: { code, description } }`; never with card data. */
export function razorpayErrorMessage(error: unknown): string {
  if (error && typeof error === "object" && "error" in error) {
    const e = (error as { statusCode?: number; error?: { description?: string } }).error;
    const status = (error as { statusCode?: number }).statusCode;
    return `Razorpay ${status ?? "error"}: ${e?.description ?? "no description"}`;
  }
  return error instanceof Error ? error.message : "Razorpay request failed";
}
