import type pg from "pg";

/** A function config as the SDK registers it (`functionConfigSchema` in inngest/types.ts). */
export interface FunctionConfig {
  id: string;
  name?: string;
  triggers: Array<{ event?: string; expression?: string; cron?: string; jitter?: string }>;
  steps: Record<
    string,
    {
      id: string;
      name: string;
      runtime: { type: string; url: string };
      retries?: { attempts?: number };
    }
  >;
  idempotency?: string;
  batchEvents?: { maxSize: number; timeout: string; key?: string; if?: string };
  rateLimit?: { key?: string; limit: number; period: string };
  throttle?: { key?: string; limit: number; period: string; burst?: number };
  concurrency?: number | ConcurrencyOption | ConcurrencyOption[];
  debounce?: { key?: string; period: string; timeout?: string };
  priority?: { run?: string };
  timeouts?: { start?: string; finish?: string };
  singleton?: { key?: string; mode: "skip" | "cancel" };
  cancel?: Array<{ event: string; if?: string; timeout?: string }>;
}

export interface ConcurrencyOption {
  limit: number;
  key?: string;
  scope?: "fn" | "env" | "account";
}

/** What a queue row asks a worker to do. */
export type QueueKind =
  | "call"
  | "sleep"
  | "wait-timeout"
  | "invoke-timeout"
  | "timeout-start"
  | "timeout-finish";

/** A registered function and the app it belongs to. */
export interface RegisteredFunction {
  id: string;
  appUrl: string;
  appId: string;
  config: FunctionConfig;
}

/** One concurrency slot a queue item needs: at most `limit` calls with the same `k` at once. */
export interface ConcurrencySlot {
  k: string;
  limit: number;
}

/** An event as stored and sent to the SDK. */
export interface EventPayload {
  id: string;
  name: string;
  data: Record<string, unknown>;
  ts: number;
  user?: unknown;
  v?: string;
}

export interface ExecutorOptions {
  /** Port to listen on; defaults to config.executorPort. 0 picks a free port. */
  port?: number;
  host?: string;
  /** App serve URLs to sync at start; defaults to config.inngestAppUrls. */
  appUrls?: string[];
  /** Calls to the app in flight at once, across all functions. */
  slots?: number;
  /** How often idle workers look for due work (ms); new work also wakes them at once. */
  pollMs?: number;
  /** How long a claimed queue row stays leased without a heartbeat (ms). */
  leaseMs?: number;
  /** Delay before retry number `attempt` (1-based) when the app gives no Retry-After (ms). */
  backoffMs?: (attempt: number) => number;
  /** Re-sync period for app URLs once they answered (ms); 0 disables the periodic re-sync. */
  resyncMs?: number;
  /** Per-call HTTP timeout to the app (ms). */
  callTimeoutMs?: number;
}

export interface ResolvedOptions {
  port: number;
  host: string;
  appUrls: string[];
  slots: number;
  pollMs: number;
  leaseMs: number;
  backoffMs: (attempt: number) => number;
  resyncMs: number;
  callTimeoutMs: number;
}

/** What every executor module shares. */
export interface ExecCtx {
  pool: pg.Pool;
  log: (line: string) => void;
  opts: ResolvedOptions;
  workerId: string;
  /** The executor's own base URL (event API and register endpoint). */
  baseUrl: () => string;
  functions: () => Map<string, RegisteredFunction>;
  reloadFunctions: () => Promise<void>;
  /** Wake the workers: new work may be due. */
  wakeQueue: () => void;
  /** Wake the event processor: new events arrived. */
  wakeEvents: () => void;
}

export const TERMINAL_STATUSES = ["completed", "failed", "cancelled", "skipped"] as const;

/** Default retries when a function declares none: Inngest retries 4 times after the first attempt. */
export const DEFAULT_RETRIES = 4;

export function maxAttempts(fn: FunctionConfig): number {
  const retries = fn.steps.step?.retries?.attempts;
  return (typeof retries === "number" ? retries : DEFAULT_RETRIES) + 1;
}
