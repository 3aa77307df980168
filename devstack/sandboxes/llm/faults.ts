import { z } from "zod";

/**
 * Failures the control API can script, so the app's retry, timeout and fallback paths run over
 * real HTTP: `rate-limit` (429), `server-error` (500), `overloaded` (Anthropic 529 / OpenAI 503),
 * `malformed` (200 whose text is not the JSON asked for), `refusal` (the provider's refusal
 * shape), `slow` (answers after `delayMs`, for the client's timeout).
 */
export const FAULT_MODES = [
  "rate-limit",
  "server-error",
  "overloaded",
  "malformed",
  "refusal",
  "slow",
] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export const faultSchema = z.object({
  /** Omitted: both providers. */
  provider: z.enum(["anthropic", "openai"]).optional(),
  mode: z.enum(FAULT_MODES),
  /** How many requests fail this way; 0 means every request until the faults are cleared. */
  times: z.number().int().min(0).max(1000).default(1),
  delayMs: z.number().int().min(0).max(60_000).default(2_000),
});
export type Fault = z.infer<typeof faultSchema> & { used: number };

/** In memory only: a restart (and `devstack reset`) clears them. */
export class FaultQueue {
  private faults: Fault[] = [];

  add(fault: z.infer<typeof faultSchema>): Fault {
    const f = { ...fault, used: 0 };
    this.faults.push(f);
    return f;
  }

  /** The first live fault for `provider`, counted as used. */
  take(provider: "anthropic" | "openai"): Fault | undefined {
    const f = this.faults.find(
      (x) => (!x.provider || x.provider === provider) && (x.times === 0 || x.used < x.times),
    );
    if (f) f.used++;
    return f;
  }

  list(): Fault[] {
    return this.faults.filter((x) => x.times === 0 || x.used < x.times);
  }

  clear(): void {
    this.faults = [];
  }
}
