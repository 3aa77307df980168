/**
 * Whether a repository's index is moving, for the Codebase page: an index that never starts (the
 * event was lost, the executor is down) or stops reporting progress must not read "Indexing…"
 * forever. Pure: the page passes the row's times and now.
 *
 * - waiting: selected, no run has started yet; stalled once nothing started within WAIT_BOUND_MS.
 * - running: a run is writing progress (files_done every 0.5 s bumps `updated_at`); stalled once
 *   the row has not moved for PROGRESS_BOUND_MS (a live run on the largest repository writes
 *   progress far more often; a job's retries back off for well under this).
 * - idle: ready or failed, nothing in flight.
 */

export const WAIT_BOUND_MS = 2 * 60_000;
export const PROGRESS_BOUND_MS = 5 * 60_000;

export type IndexPhase =
  | { phase: "idle" }
  | { phase: "waiting"; since: string | null; stalled: boolean }
  | { phase: "running"; startedAt: string | null; lastProgressAt: string | null; stalled: boolean };

export interface IndexTimes {
  status: "queued" | "indexing" | "ready" | "error" | "not_indexed";
  /** Set while a newer commit of a ready index is being indexed. */
  targetSha: string | null;
  /** When the repository was selected (no index row yet) or the row was queued. */
  requestedAt: string | null;
  startedAt: string | null;
  /** The row's last write: progress, start, finish. */
  updatedAt: string | null;
}

const age = (at: string | null, now: number) => (at ? now - Date.parse(at) : 0);

export function indexPhase(t: IndexTimes, now: number = Date.now()): IndexPhase {
  if (t.status === "not_indexed" || t.status === "queued") {
    const since = t.requestedAt;
    return { phase: "waiting", since, stalled: since !== null && age(since, now) > WAIT_BOUND_MS };
  }
  if (t.status === "indexing" || (t.status === "ready" && t.targetSha)) {
    const last = t.updatedAt ?? t.startedAt;
    return {
      phase: "running",
      startedAt: t.startedAt,
      lastProgressAt: last,
      stalled: last !== null && age(last, now) > PROGRESS_BOUND_MS,
    };
  }
  return { phase: "idle" };
}

/** Whether the page should keep re-rendering: something is in flight and not stalled. */
export function isMoving(p: IndexPhase): boolean {
  return p.phase !== "idle" && !p.stalled;
}
