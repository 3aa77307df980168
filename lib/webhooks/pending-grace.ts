/**
 * How old a `pending` webhook delivery must be before the re-send sweep takes it: younger rows
 * belong to the request that is still sending their event. Shared with the load run, which
 * brings the sweep's tick forward only once some row is past it.
 */
export const PENDING_GRACE_MS = 15_000;
