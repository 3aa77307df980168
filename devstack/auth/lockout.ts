import { AuthError } from "./errors";

/**
 * Brute-force protection for password sign-in, keyed by lower-cased email (whether or not the
 * account exists, so the lock reveals nothing). After `attempts` failures within `seconds`, the
 * email is locked for `seconds`: every password attempt, right or wrong, is refused with
 * 429 `over_request_rate_limit`, the code GoTrue uses when its /token rate limit trips. A success
 * clears the count. In memory: a devstack restart forgets locks.
 */
export class Lockout {
  private failures = new Map<string, number[]>();
  private lockedUntil = new Map<string, number>();

  constructor(
    private readonly attempts: number,
    private readonly seconds: number,
  ) {}

  /** Seconds until the email may try again, or 0 when it is not locked. */
  remaining(email: string, now: Date): number {
    const until = this.lockedUntil.get(email.toLowerCase());
    if (until === undefined) return 0;
    const left = Math.ceil((until - now.getTime()) / 1000);
    if (left <= 0) {
      this.lockedUntil.delete(email.toLowerCase());
      return 0;
    }
    return left;
  }

  /** Throws the 429 when the email is locked. */
  assertOpen(email: string, now: Date): void {
    const left = this.remaining(email, now);
    if (left > 0) throw lockedError(left);
  }

  /** Records a failure; returns true when this failure locked the email. */
  recordFailure(email: string, now: Date): boolean {
    const key = email.toLowerCase();
    const windowStart = now.getTime() - this.seconds * 1000;
    const recent = (this.failures.get(key) ?? []).filter((t) => t > windowStart);
    recent.push(now.getTime());
    if (recent.length >= this.attempts) {
      this.failures.delete(key);
      this.lockedUntil.set(key, now.getTime() + this.seconds * 1000);
      return true;
    }
    this.failures.set(key, recent);
    return false;
  }

  recordSuccess(email: string): void {
    this.failures.delete(email.toLowerCase());
  }

  /** Forgets every lock (admin password reset of the user, tests). */
  clear(email?: string): void {
    if (email === undefined) {
      this.failures.clear();
      this.lockedUntil.clear();
    } else {
      this.failures.delete(email.toLowerCase());
      this.lockedUntil.delete(email.toLowerCase());
    }
  }
}

/** The refusal a locked email gets; the message says when to retry. */
export class LockedError extends AuthError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      429,
      "over_request_rate_limit",
      `Too many failed sign-in attempts. Try again in ${retryAfterSeconds} seconds.`,
    );
  }
}

function lockedError(seconds: number): LockedError {
  return new LockedError(seconds);
}
