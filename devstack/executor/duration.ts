const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * Parses the time strings the SDK emits (`"1s"`, `"1m30s"`, `"2h"`, `"500ms"`) into milliseconds.
 * Returns undefined for anything else.
 */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (/^\d+$/.test(s)) return Number(s);
  const re = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    matched = re.lastIndex;
  }
  return matched === s.length && matched > 0 ? total : undefined;
}

/**
 * When a `step.sleep`/`sleepUntil` wakes: the op's `opts.duration` or `name` holds either a
 * duration (`"2s"`) or an ISO date (sleepUntil).
 */
export function wakeTime(value: string, now: number): number {
  const d = parseDuration(value);
  if (d !== undefined) return now + d;
  const t = Date.parse(value);
  if (!Number.isNaN(t)) return t;
  throw new Error(`cannot read the sleep "${value}" as a duration or a date`);
}

/** `Retry-After` as the SDK sends it: whole seconds, or an ISO date (RetryAfterError with a Date). */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const t = Date.parse(header);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}
