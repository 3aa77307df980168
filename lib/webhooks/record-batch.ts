/**
 * Coalesces the intake's "record" round trips: the deliveries that reach recording in the same
 * turn of the event loop go to the database as one `record_webhook_deliveries` RPC (one gateway
 * request, one transaction) instead of one `record_webhook_delivery` each. Under load dozens of
 * deliveries arrive together, and each RPC through the REST gateway cost the gateway and
 * Postgres about as much CPU as the app's whole handler (docs/webhooks.md "Where the CPU goes").
 * A delivery alone is a batch of one, sent with the single-delivery RPC, and waits for nothing.
 *
 * Nothing is weakened: every element goes through the same per-delivery function in the
 * database (tenant, dedupe insert under the unique key, event data), and every caller gets its
 * own outcome. A batch that fails as a whole (one transaction: nothing of it was written) is
 * retried one delivery at a time, so an element the database refuses, or a deadlock between two
 * batches, costs only its own delivery a 5xx (the provider retries), never its neighbours.
 */

/** Deliveries per request (the database function refuses more than 200). */
export const MAX_RECORD_BATCH = 50;
/** Bytes of delivery JSON per request, well under the gateway's request size limit. */
export const MAX_RECORD_BATCH_BYTES = 1_000_000;

interface Waiter<C, I, O> {
  client: C;
  item: I;
  bytes: number;
  resolve: (outcome: O) => void;
  reject: (error: unknown) => void;
}

export class RecordBatcher<C, I, O> {
  private queue: Waiter<C, I, O>[] = [];
  private queuedBytes = 0;
  private scheduled = false;

  constructor(
    /** Records many in one transaction; outcomes in the order of `items`. */
    private readonly recordMany: (client: C, items: I[]) => Promise<O[]>,
    /** Records one (a batch of one, and each element of a batch that failed). */
    private readonly recordOne: (client: C, item: I) => Promise<O>,
    private readonly maxBatch: number = MAX_RECORD_BATCH,
    private readonly maxBytes: number = MAX_RECORD_BATCH_BYTES,
  ) {}

  /** Records `item` together with the items queued alongside it; rejects if it is not recorded. */
  record(client: C, item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      const bytes = JSON.stringify(item)?.length ?? 0;
      if (this.queue.length > 0 && this.queuedBytes + bytes > this.maxBytes) this.flushNow();
      this.queue.push({ client, item, bytes, resolve, reject });
      this.queuedBytes += bytes;
      if (this.queue.length >= this.maxBatch) {
        this.flushNow();
      } else if (!this.scheduled) {
        this.scheduled = true;
        // after the I/O callbacks of this turn: the requests whose bodies were read together
        setImmediate(() => {
          this.scheduled = false;
          this.flushNow();
        });
      }
    });
  }

  private flushNow(): void {
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    this.queuedBytes = 0;
    void this.flush(batch);
  }

  private async one(w: Waiter<C, I, O>): Promise<void> {
    try {
      w.resolve(await this.recordOne(w.client, w.item));
    } catch (error) {
      w.reject(error);
    }
  }

  private async flush(batch: Waiter<C, I, O>[]): Promise<void> {
    const [first] = batch;
    if (!first) return;
    if (batch.length === 1) return this.one(first);
    let outcomes: O[];
    try {
      outcomes = await this.recordMany(
        first.client,
        batch.map((w) => w.item),
      );
      if (outcomes.length !== batch.length) {
        throw new Error(`recorded ${outcomes.length} of a batch of ${batch.length}`);
      }
    } catch {
      // Nothing of the batch was written (one transaction), or the answer was unusable (a
      // recording that did happen is then reported as a duplicate: the unique key holds). Each
      // delivery alone: a bad one fails only itself.
      await Promise.all(batch.map((w) => this.one(w)));
      return;
    }
    for (const [i, w] of batch.entries()) w.resolve(outcomes[i] as O);
  }
}
