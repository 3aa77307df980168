import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Activity,
  applyActivity,
  EMPTY_SNAPSHOT,
  type PullRequestSnapshot,
  type PullState,
} from "@/lib/fixes/pull-requests/activity";
import {
  type CheckEntry,
  checkRunOutcome,
  summarizeChecks,
} from "@/lib/fixes/pull-requests/checks";

/**
 * How GitHub activity moves a linked pull request's row: checks latest per name, review state
 * latest per reviewer, open/closed/merged by GitHub's updated_at; a redelivery changes nothing and
 * an older delivery arriving late never undoes a newer state.
 */

const HEAD = "a".repeat(40);
const NEXT_HEAD = "b".repeat(40);
const MERGE = "c".repeat(40);
const t = (s: number) => new Date(Date.UTC(2026, 11, 6, 10, 0, s)).toISOString();

const pull = (over: Partial<PullState> = {}): Activity => ({
  kind: "pull",
  pull: {
    state: "open",
    draft: false,
    merged: false,
    mergeSha: null,
    mergedAt: null,
    closedAt: null,
    title: "fix: rounding",
    headBranch: "fix/rounding",
    headSha: HEAD,
    at: t(0),
    ...over,
  },
});
const check = (
  name: string,
  id: number,
  at: number,
  conclusion: string | null,
  sha = HEAD,
): Activity => ({
  kind: "check",
  check: {
    name,
    source: "check_run",
    id,
    sha,
    outcome: checkRunOutcome(conclusion ? "completed" : "in_progress", conclusion),
    conclusion,
    at: t(at),
    url: null,
    app: "actions",
  },
});
const review = (login: string, state: string, id: number, at: number): Activity => ({
  kind: "review",
  review: { kind: "review", login, state, id, at: t(at) },
});
const requested = (login: string, at: number): Activity => ({
  kind: "review",
  review: { kind: "requested", login, at: t(at) },
});

function run(activities: Activity[], start: PullRequestSnapshot = EMPTY_SNAPSHOT) {
  return activities.reduce((s, a) => applyActivity(s, a).snapshot, start);
}

describe("pull request activity", () => {
  const opened = run([pull()]);

  it("checks: fail then pass on the same name, latest wins; names kept", () => {
    const failing = run([check("ci", 1, 1, "failure"), check("lint", 2, 1, "success")], opened);
    expect(failing.checksState).toBe("failing");
    const passing = run([check("ci", 3, 5, "success")], failing);
    expect(passing.checksState).toBe("passing");
    expect(passing.checks.map((c) => [c.name, c.outcome])).toEqual([
      ["ci", "passing"],
      ["lint", "passing"],
    ]);
    // a run still in progress makes the whole pending
    expect(run([check("e2e", 4, 6, null)], passing).checksState).toBe("pending");
  });

  it("checks: an older run delivered late, and a redelivery, change nothing", () => {
    const passing = run([check("ci", 3, 5, "success")], opened);
    const late = applyActivity(passing, check("ci", 1, 1, "failure"));
    expect(late.changed).toBe(false);
    expect(late.snapshot.checksState).toBe("passing");
    expect(applyActivity(passing, check("ci", 3, 5, "success")).changed).toBe(false);
  });

  it("checks: same second, the higher GitHub id is the newer run", () => {
    const s = run([check("ci", 10, 1, "failure"), check("ci", 11, 1, "success")], opened);
    expect(s.checksState).toBe("passing");
    expect(
      run([check("ci", 11, 1, "success"), check("ci", 10, 1, "failure")], opened).checksState,
    ).toBe("passing");
  });

  it("checks of another commit do not count until the head moves there", () => {
    const s = run([check("ci", 1, 1, "failure", NEXT_HEAD)], opened);
    expect(s.checksState).toBe("none");
    const moved = run(
      [pull({ headSha: NEXT_HEAD, at: t(2) })],
      run([check("ci", 2, 1, "success")], s),
    );
    expect(moved.checksState).toBe("failing");
    expect(moved.checks.every((c) => c.sha === NEXT_HEAD)).toBe(true);
  });

  it("a check suite counts only for an app that reported no check run", () => {
    const suite = (outcome: CheckEntry["outcome"], app: string): CheckEntry => ({
      name: app,
      source: "check_suite",
      id: 9,
      sha: HEAD,
      outcome,
      conclusion: null,
      at: t(1),
      url: null,
      app,
    });
    const run1 = run([check("ci", 1, 1, "success")], opened).checks;
    expect(summarizeChecks([...run1, suite("failing", "actions")], HEAD)).toBe("passing");
    expect(summarizeChecks([...run1, suite("failing", "circleci")], HEAD)).toBe("failing");
  });

  it("reviews: requested → changes requested → re-requested → approved", () => {
    let s = run([requested("alice", 1)], opened);
    expect(s.reviewState).toBe("review_requested");
    s = run([review("alice", "changes_requested", 100, 2)], s);
    expect(s.reviewState).toBe("changes_requested");
    s = run([requested("alice", 3)], s);
    expect(s.reviewState).toBe("review_requested");
    s = run([review("alice", "APPROVED", 101, 4)], s);
    expect(s.reviewState).toBe("approved");
  });

  it("reviews: a comment keeps a decision; another reviewer's change request wins", () => {
    let s = run([review("alice", "approved", 1, 1), review("alice", "commented", 2, 2)], opened);
    expect(s.reviewState).toBe("approved");
    s = run([review("bob", "changes_requested", 3, 3)], s);
    expect(s.reviewState).toBe("changes_requested");
    // bob's dismissal (it carries the review's own time) takes his request back
    s = run([review("bob", "dismissed", 3, 3)], s);
    expect(s.reviewState).toBe("approved");
  });

  it("reviews: an older review delivered after a newer one changes nothing", () => {
    const s = run([review("alice", "approved", 2, 5)], opened);
    const late = applyActivity(s, review("alice", "changes_requested", 1, 2));
    expect(late.changed).toBe(false);
    expect(late.snapshot.reviewState).toBe("approved");
    expect(applyActivity(s, review("alice", "approved", 2, 5)).changed).toBe(false);
  });

  it("state: closed, reopened, merged by updated_at; merged is final; late deliveries ignored", () => {
    const closed = run([pull({ state: "closed", closedAt: t(2), at: t(2) })], opened);
    expect(closed.state).toBe("closed");
    const reopened = run([pull({ at: t(3) })], closed);
    expect(reopened.state).toBe("open");
    expect(
      applyActivity(reopened, pull({ state: "closed", closedAt: t(2), at: t(2) })).changed,
    ).toBe(false);
    const merged = run(
      [
        pull({
          state: "closed",
          merged: true,
          mergeSha: MERGE,
          mergedAt: t(9),
          closedAt: t(9),
          at: t(9),
        }),
      ],
      reopened,
    );
    expect(merged).toMatchObject({ state: "merged", mergeSha: MERGE, mergedAt: t(9) });
    expect(applyActivity(merged, pull({ at: t(20) })).changed).toBe(false);
    expect(run([pull({ draft: true, at: t(1) })]).state).toBe("draft");
  });

  it("comments: kept once, edited in place, deleted, at most 20", () => {
    const comment = (id: number, at: number, body = `c${id}`): Activity => ({
      kind: "comment",
      action: "created",
      comment: {
        id,
        kind: "comment",
        author: "alice",
        at: t(at),
        excerpt: body,
        url: null,
        reviewState: null,
      },
    });
    let s = run([comment(1, 1), comment(1, 1)], opened);
    expect(s.comments).toHaveLength(1);
    s = run([comment(1, 2, "edited")], s);
    expect(s.comments[0]?.excerpt).toBe("edited");
    s = applyActivity(s, {
      ...(comment(1, 3) as Extract<Activity, { kind: "comment" }>),
      action: "deleted",
    }).snapshot;
    expect(s.comments).toHaveLength(0);
    s = run(
      Array.from({ length: 25 }, (_, i) => comment(i + 10, i)),
      s,
    );
    expect(s.comments).toHaveLength(20);
    expect(s.comments[0]?.id).toBe(15);
  });

  it("any order of the same deliveries ends in the same state (property)", () => {
    const all: Activity[] = [
      pull({ at: t(0) }),
      check("ci", 1, 1, "failure"),
      check("ci", 2, 3, "success"),
      check("lint", 3, 2, "success"),
      requested("alice", 1),
      review("alice", "changes_requested", 10, 2),
      requested("alice", 4),
      review("alice", "approved", 11, 5),
      pull({
        state: "closed",
        merged: true,
        mergeSha: MERGE,
        mergedAt: t(6),
        closedAt: t(6),
        at: t(6),
      }),
    ];
    const expected = run(all);
    expect(expected).toMatchObject({
      state: "merged",
      checksState: "passing",
      reviewState: "approved",
    });
    fc.assert(
      fc.property(
        fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }),
        (order) => {
          // twice each: redeliveries mixed in
          const s = run([...order, ...order]);
          expect(s.state).toBe(expected.state);
          expect(s.checksState).toBe(expected.checksState);
          expect(s.reviewState).toBe(expected.reviewState);
          expect(s.mergeSha).toBe(MERGE);
        },
      ),
      { numRuns: 200 },
    );
  });
});
