import "server-only";
import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import { markManySent } from "./ledger";

/**
 * Coalesces the intake's "mark sent" writes: every delivery whose event Inngest accepted is
 * marked sent after its response, and under load dozens of those run at once, each a REST
 * request (a gateway transaction) competing with the next deliveries' recording. Marks queued
 * in the same turn of the event loop, up to MAX_BATCH, go out as one `update … where id in (…)`
 * per attempt count; each caller's promise settles with its batch.
 *
 * Nothing is weakened: a mark is bookkeeping whose loss is harmless (a row left pending is
 * re-sent under the same event id, which Inngest drops), the update only moves pending rows,
 * and a batch that fails rejects every caller in it (the intake logs it; the re-send job
 * covers the rows). One delivery alone costs what it did: a batch of one.
 */

const MAX_BATCH = 200;

interface Waiter {
  id: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class MarkSentBatcher {
  private queue = new Map<number, Waiter[]>();
  private scheduled = false;

  constructor(private readonly write: typeof markManySent = markManySent) {}

  /** Marks row `id` sent with `sendAttempts`, together with the marks queued alongside it. */
  mark(admin: AdminSupabaseClient, id: string, sendAttempts: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const list = this.queue.get(sendAttempts) ?? [];
      list.push({ id, resolve, reject });
      this.queue.set(sendAttempts, list);
      if (list.length >= MAX_BATCH) {
        this.queue.delete(sendAttempts);
        void this.flush(admin, sendAttempts, list);
      } else if (!this.scheduled) {
        this.scheduled = true;
        // after the I/O callbacks of this turn: the responses that finished together
        setImmediate(() => {
          this.scheduled = false;
          const queued = this.queue;
          this.queue = new Map();
          for (const [attempts, waiters] of queued) void this.flush(admin, attempts, waiters);
        });
      }
    });
  }

  private async flush(admin: AdminSupabaseClient, attempts: number, waiters: Waiter[]) {
    try {
      await this.write(
        admin,
        waiters.map((w) => w.id),
        attempts,
      );
      for (const w of waiters) w.resolve();
    } catch (error) {
      for (const w of waiters) w.reject(error);
    }
  }
}
