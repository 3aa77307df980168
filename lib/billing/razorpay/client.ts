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

/**
 * Whether Razorpay refused the request for good: a 4xx other than 429 answers the same on a
 * retry (the subscription ended, the payment is refunded already), so the caller logs and leaves it.
 */
export function razorpayRefused(error: unknown): boolean {
  const status =
    error && typeof error === "object" && "statusCode" in error
      ? Number((error as { statusCode?: number }).statusCode)
      : undefined;
  return status !== undefined && status >= 400 && status < 500 && status !== 429;
}

/** How far back a retry looks for what it may have created (newest first, 100 a page). */
const LOOKBACK_PAGES = 3;

/**
 * Finds, among Razorpay's most recent objects of a list (newest first), the one `match` names:
 * Razorpay has no idempotency key for add-ons or refunds, so a retry that lost Razorpay's answer
 * looks for its marker instead of creating a second one.
 */
export async function findRecent<T>(
  page: (options: { count: number; skip: number }) => Promise<{ items: T[] }>,
  match: (item: T) => boolean,
): Promise<T | undefined> {
  for (let p = 0; p < LOOKBACK_PAGES; p++) {
    const list = await page({ count: 100, skip: p * 100 });
    const found = list.items.find(match);
    if (found || list.items.length < 100) return found;
  }
  return undefined;
}
