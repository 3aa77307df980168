/**
 * Waiting for the REST gateway's schema cache after DDL and `NOTIFY pgrst, 'reload schema'`.
 *
 * The reload is asynchronous (as in PostgREST) and, with the integration files running in
 * parallel, queues behind other files' reloads: on a loaded CI machine that took more than the
 * five seconds these waits once allowed, and a loop that then gave up silently let the first test
 * fail with PGRST202 instead. So: one deadline long enough for a busy machine, and a clear error.
 */
const DEADLINE_MS = 30_000;

/** Polls `ready` until it holds; throws naming `what` after the deadline. */
export async function untilSchemaShows(
  what: string,
  ready: () => Promise<boolean>,
  deadlineMs = DEADLINE_MS,
): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await ready())) {
    if (Date.now() > end) throw new Error(`${what} never appeared in the REST schema cache`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
