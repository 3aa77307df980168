import { randomUUID } from "node:crypto";
import type { Delivery, Provider } from "./state";
import type { SandboxStore } from "./store";

/** Attempts per delivery: the first, then retries after base, 2×, 4×, 8× base. */
export const MAX_ATTEMPTS = 5;
const ATTEMPT_TIMEOUT_MS = 10_000;

export interface DeliveryRequest {
  provider: Provider;
  event: string;
  url: string;
  body: string;
  /** Signature and event headers, computed once: a retry carries the very same bytes and headers. */
  headers: Record<string, string>;
  /** Keeps a delivery id the provider chose (GitHub's X-GitHub-Delivery). */
  id?: string;
}

/**
 * Sends webhooks like the providers do: POST, provider headers, any non-2xx answer (or no answer)
 * retried with exponential backoff, every attempt and its answer recorded for the page and tests.
 */
export class Deliverer {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly store: SandboxStore,
    private readonly retryBaseMs: number,
    private readonly log: (line: string) => void,
  ) {}

  /** Records the delivery and makes its first attempt in the background. */
  enqueue(req: DeliveryRequest): Delivery {
    const delivery: Delivery = {
      id: req.id ?? randomUUID(),
      provider: req.provider,
      event: req.event,
      url: req.url,
      headers: {
        "content-type": "application/json",
        "user-agent": USER_AGENTS[req.provider],
        ...req.headers,
      },
      body: req.body,
      state: "pending",
      attempts: [],
      createdAt: new Date().toISOString(),
    };
    this.store.state.deliveries.push(delivery);
    this.store.changed();
    this.schedule(delivery, 0);
    return delivery;
  }

  /** Sends a recorded delivery again, same id, body and headers (GitHub's "Redeliver"). */
  redeliver(delivery: Delivery): void {
    delivery.state = "pending";
    this.schedule(delivery, 0);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private schedule(delivery: Delivery, delayMs: number): void {
    if (this.stopped) return;
    delivery.nextAttemptAt = new Date(Date.now() + delayMs).toISOString();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(delivery);
    }, delayMs);
    this.timers.add(timer);
  }

  private async attempt(delivery: Delivery): Promise<void> {
    const started = performance.now();
    const record = { at: new Date().toISOString(), durationMs: 0 } as Delivery["attempts"][number];
    try {
      const res = await fetch(delivery.url, {
        method: "POST",
        headers: delivery.headers,
        body: delivery.body,
        redirect: "manual",
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      });
      record.status = res.status;
      record.responseBody = (await res.text().catch(() => "")).slice(0, 500);
    } catch (err) {
      record.error = (err as Error).cause
        ? String((err as { cause: { code?: string; message?: string } }).cause.code ?? err)
        : (err as Error).message;
    }
    record.durationMs = Math.round(performance.now() - started);
    delivery.attempts.push(record);
    const ok = record.status !== undefined && record.status >= 200 && record.status < 300;
    if (ok) {
      delivery.state = "delivered";
      delivery.nextAttemptAt = undefined;
    } else if (delivery.attempts.length >= MAX_ATTEMPTS) {
      delivery.state = "failed";
      delivery.nextAttemptAt = undefined;
      this.log(
        `sandbox: ${delivery.provider} ${delivery.event} to ${delivery.url} failed after ${MAX_ATTEMPTS} attempts`,
      );
    } else {
      delivery.state = "retrying";
      this.schedule(delivery, this.retryBaseMs * 2 ** (delivery.attempts.length - 1));
    }
    this.store.changed();
  }
}

const USER_AGENTS: Record<Provider, string> = {
  zendesk: "Zendesk Webhook",
  intercom: "Intercom-Webhooks/1.0",
  github: "GitHub-Hookshot/sandbox",
  razorpay: "Razorpay-Webhook/v1",
  slack: "Slackbot 1.0 (+https://api.slack.com/robots)",
};
