/**
 * Where a delivery's time went inside the handler, as a `Server-Timing` header
 * (`read;dur=0.3, verify;dur=0.1, parse;dur=0.2, record;dur=9.8, send;dur=4.1, total;dur=14.6`):
 * the load bench (`npm run bench:webhooks`) reads it to tell the handler's own phases from what
 * Next.js and queueing add around them. Only verified deliveries get it (their sender holds the
 * secret), so a forger learns nothing from timings, such as whether a Zendesk webhook id exists.
 */
export class PhaseTimer {
  private readonly started = performance.now();
  private last = this.started;
  private readonly phases: Array<[string, number]> = [];

  /** Ends the phase called `name` (it began where the previous one ended). */
  mark(name: string): void {
    const now = performance.now();
    this.phases.push([name, now - this.last]);
    this.last = now;
  }

  /** Milliseconds since the timer was made. */
  elapsed(): number {
    return performance.now() - this.started;
  }

  header(): string {
    return [...this.phases, ["total", this.elapsed()] as [string, number]]
      .map(([name, ms]) => `${name};dur=${ms.toFixed(1)}`)
      .join(", ");
  }
}
