import { describe, expect, it } from "vitest";
import {
  indexPhase,
  isMoving,
  PROGRESS_BOUND_MS,
  WAIT_BOUND_MS,
} from "@/lib/pipeline/index-health";

/** The Codebase page's "is this index moving?" rule: never spin forever. */

const now = Date.parse("2026-12-06T12:00:00Z");
const ago = (ms: number) => new Date(now - ms).toISOString();
const base = { targetSha: null, requestedAt: null, startedAt: null, updatedAt: null };

describe("indexPhase", () => {
  it("a selected repository with no run is waiting, then stalled after the bound", () => {
    const fresh = indexPhase({ ...base, status: "not_indexed", requestedAt: ago(30_000) }, now);
    expect(fresh).toEqual({ phase: "waiting", since: ago(30_000), stalled: false });
    expect(isMoving(fresh)).toBe(true);
    const old = indexPhase(
      { ...base, status: "not_indexed", requestedAt: ago(WAIT_BOUND_MS + 1) },
      now,
    );
    expect(old).toMatchObject({ phase: "waiting", stalled: true });
    expect(isMoving(old)).toBe(false);
  });

  it("a run is stalled once its row has not moved for the bound, not before", () => {
    const running = {
      ...base,
      status: "indexing" as const,
      startedAt: ago(20 * 60_000),
      updatedAt: ago(1_000),
    };
    expect(indexPhase(running, now)).toMatchObject({ phase: "running", stalled: false });
    const stuck = { ...running, updatedAt: ago(PROGRESS_BOUND_MS + 1) };
    expect(indexPhase(stuck, now)).toMatchObject({
      phase: "running",
      stalled: true,
      startedAt: ago(20 * 60_000),
      lastProgressAt: ago(PROGRESS_BOUND_MS + 1),
    });
  });

  it("a ready index re-indexing a newer commit is running; ready and failed are idle", () => {
    expect(
      indexPhase({ ...base, status: "ready", targetSha: "a".repeat(40), updatedAt: ago(0) }, now),
    ).toMatchObject({ phase: "running", stalled: false });
    expect(indexPhase({ ...base, status: "ready" }, now)).toEqual({ phase: "idle" });
    expect(indexPhase({ ...base, status: "error", updatedAt: ago(10 * 60_000) }, now)).toEqual({
      phase: "idle",
    });
    expect(isMoving({ phase: "idle" })).toBe(false);
  });
});
