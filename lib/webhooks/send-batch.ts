/**
 * Coalesces the intake's Inngest event sends: the events of deliveries recorded in the same turn
 * of the event loop go out as one `inngest.send([...])` request. Under load, every delivery's
 * own send was an HTTP request through the Inngest SDK (about 1 ms of the app's CPU each, plus
 * the event API's work per request); a batch costs that once. A delivery alone is a batch of one
 * and waits for nothing.
 *
 * Nothing is weakened: each event keeps its own id (`webhook-delivery:<row id>`, so a re-send is
 * dropped by Inngest), every caller learns whether its batch was accepted within the timeout,
 * and a refused or slow batch answers false to all of its callers, whose rows stay pending for
 * the re-send job — exactly what a failed single send did.
 */

/** Events per request; Inngest takes arrays, and the byte cap below keeps a request small. */
export const MAX_SEND_BATCH = 50;
/** Bytes of event JSON per request, under the event API's request size limit (256 KB). */
export const MAX_SEND_BATCH_BYTES = 200_000;

interface Waiter<E> {
  event: E;
  bytes: number;
  resolve: (accepted: boolean) => void;
}

export class EventSendBatcher<E> {
  private queue: Waiter<E>[] = [];
  private queuedBytes = 0;
  private scheduled = false;

  constructor(
    private readonly sendMany: (events: E[]) => Promise<unknown>,
    private readonly timeoutMs: number,
    private readonly maxBatch: number = MAX_SEND_BATCH,
    private readonly maxBytes: number = MAX_SEND_BATCH_BYTES,
  ) {}

  /** True when Inngest accepted the batch holding `event` within the timeout; never throws. */
  send(event: E): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const bytes = JSON.stringify(event)?.length ?? 0;
      // a batch that this event would push over the byte cap goes first, without it
      if (this.queue.length > 0 && this.queuedBytes + bytes > this.maxBytes) this.flushNow();
      this.queue.push({ event, bytes, resolve });
      this.queuedBytes += bytes;
      if (this.queue.length >= this.maxBatch) {
        this.flushNow();
      } else if (!this.scheduled) {
        this.scheduled = true;
        // after the I/O callbacks of this turn: the deliveries whose records came back together
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

  private async flush(batch: Waiter<E>[]): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), this.timeoutMs);
    });
    let accepted: boolean;
    try {
      const sent = Promise.resolve()
        .then(() => this.sendMany(batch.map((w) => w.event)))
        .then(() => true as const)
        .catch(() => false as const);
      accepted = await Promise.race([sent, timeout]);
    } finally {
      clearTimeout(timer);
    }
    for (const w of batch) w.resolve(accepted);
  }
}
