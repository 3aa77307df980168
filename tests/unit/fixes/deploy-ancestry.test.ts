import { describe, expect, it } from "vitest";
import {
  assessDeployment,
  type CompareStatus,
  containsMerge,
  type DeploymentFacts,
  type DeployVerdict,
  decide,
  type FixFacts,
  stackVerdict,
} from "@/lib/fixes/deploy-ancestry";

const sha = (c: string) => c.repeat(40);
const MERGE = sha("m");
const at = (minute: number) => new Date(Date.UTC(2026, 11, 6, 9, minute));
const prod = (s: string, minute: number, state = "success"): DeploymentFacts => ({
  environment: "production",
  state,
  sha: s,
  at: at(minute),
});

/**
 * A tiny history to answer the Compare API like GitHub would: each commit's parent; `ahead` when
 * the head descends from the base, `behind` when the base descends from the head.
 */
const PARENT: Record<string, string | undefined> = {
  [sha("a")]: undefined, // before the fix
  [MERGE]: sha("a"), // the fix's merge commit
  [sha("b")]: MERGE, // a later commit on main
  [sha("x")]: sha("a"), // a hotfix branch cut before the merge
};
function ancestors(c: string): string[] {
  const out: string[] = [];
  for (let p: string | undefined = c; p; p = PARENT[p]) out.push(p);
  return out;
}
function compare(base: string, head: string): CompareStatus {
  if (base === head) return "identical";
  if (ancestors(head).includes(base)) return "ahead";
  if (ancestors(base).includes(head)) return "behind";
  return "diverged";
}

/** Runs one deployment through both steps, as the job would; returns the new stored state. */
function deliver(
  fix: FixFacts,
  deployment: DeploymentFacts,
  production = "production",
): { fix: FixFacts; rca: string; ignored?: string } {
  const step = assessDeployment(fix, deployment, production);
  if (step.kind === "ignore") return { fix, rca: "none", ignored: step.reason };
  const result = decide(fix, step.head, compare(step.base, step.head));
  return {
    fix: { ...fix, previous: result.verdict, lastCheckedAt: deployment.at },
    rca: result.rca,
  };
}

const merged = (previous: DeployVerdict = "not_yet"): FixFacts => ({
  mergeSha: MERGE,
  previous,
  lastCheckedAt: null,
});

describe("lib/fixes/deploy-ancestry", () => {
  it("merge then deploy: a production deploy of a descendant ships the fix, once", () => {
    const first = deliver(merged(), prod(sha("b"), 10));
    expect(first.fix.previous).toBe("shipped");
    expect(first.rca).toBe("publish");
    // the same deployment delivered twice publishes nothing more
    const again = deliver(first.fix, prod(sha("b"), 10));
    expect(again.fix.previous).toBe("shipped");
    expect(again.rca).toBe("none");
    // deploying exactly the merge commit ships it too
    expect(deliver(merged(), prod(MERGE, 10)).fix.previous).toBe("shipped");
  });

  it("deploy before merge: nothing ships until a deploy contains the merge", () => {
    const unmerged: FixFacts = { mergeSha: null, previous: "not_yet", lastCheckedAt: null };
    expect(deliver(unmerged, prod(sha("a"), 1)).ignored).toBe("not_merged");
    // merged afterwards, re-checked against the deploy that ran before it: not yet
    const recheck = deliver(merged(), prod(sha("a"), 1));
    expect(recheck.fix.previous).toBe("not_yet");
    expect(recheck.rca).toBe("none");
    // the next production deploy contains it
    const next = deliver(recheck.fix, prod(sha("b"), 20));
    expect(next.fix.previous).toBe("shipped");
    expect(next.rca).toBe("publish");
  });

  it("rollback: a later production deploy without the merge parks the RCA", () => {
    const shipped = deliver(merged(), prod(sha("b"), 10)).fix;
    const rollback = deliver(shipped, prod(sha("a"), 30)); // back to before the fix
    expect(rollback.fix.previous).toBe("rolled_back");
    expect(rollback.rca).toBe("park");
    // a hotfix branch cut before the merge is a rollback of the fix too (diverged)
    const hotfix = deliver(shipped, prod(sha("x"), 31));
    expect(hotfix.fix.previous).toBe("rolled_back");
    expect(hotfix.rca).toBe("park");
    // a second rollback deploy changes nothing more
    expect(deliver(rollback.fix, prod(sha("x"), 32)).rca).toBe("none");
  });

  it("re-deploy: a production deploy containing the merge again ships it again", () => {
    const shipped = deliver(merged(), prod(sha("b"), 10)).fix;
    const rolledBack = deliver(shipped, prod(sha("a"), 30)).fix;
    const redeploy = deliver(rolledBack, prod(sha("b"), 40));
    expect(redeploy.fix.previous).toBe("shipped");
    expect(redeploy.rca).toBe("publish");
  });

  it("judges only successful deploys of the production environment", () => {
    expect(deliver(merged(), { ...prod(sha("b"), 10), environment: "staging" }).ignored).toBe(
      "not_production",
    );
    expect(deliver(merged(), prod(sha("b"), 10, "failure")).ignored).toBe("not_success");
    expect(deliver(merged(), prod(sha("b"), 10, "in_progress")).ignored).toBe("not_success");
    // the repository's own production environment name, compared without case
    const custom = { ...prod(sha("b"), 10), environment: "Live" };
    expect(deliver(merged(), custom, "live").fix.previous).toBe("shipped");
    expect(deliver(merged(), prod(sha("b"), 10), "live").ignored).toBe("not_production");
  });

  it("ignores a deploy older than the last one judged (out-of-order delivery)", () => {
    const rolledBack = deliver(deliver(merged(), prod(sha("b"), 10)).fix, prod(sha("a"), 30)).fix;
    // the delivery of the 10:10 deploy arriving late must not un-park anything
    const late = deliver(rolledBack, prod(sha("b"), 10));
    expect(late.ignored).toBe("stale");
    expect(late.fix.previous).toBe("rolled_back");
  });

  it("reads the Compare API's statuses as GitHub defines them", () => {
    expect(containsMerge(MERGE, sha("b"), "ahead")).toBe(true);
    expect(containsMerge(MERGE, MERGE, "identical")).toBe(true);
    expect(containsMerge(MERGE, sha("a"), "behind")).toBe(false);
    expect(containsMerge(MERGE, sha("x"), "diverged")).toBe(false);
    expect(containsMerge(MERGE, MERGE.toUpperCase(), "diverged")).toBe(true);
    expect(decide({ mergeSha: null, previous: "not_yet" }, sha("b"), "ahead").verdict).toBe(
      "not_yet",
    );
  });

  it("ships a bug's stack only when every repository's PR is shipped", () => {
    expect(stackVerdict([])).toBe("not_yet");
    expect(stackVerdict(["shipped", "shipped"])).toBe("shipped");
    expect(stackVerdict(["shipped", "not_yet"])).toBe("not_yet");
    expect(stackVerdict(["shipped", "rolled_back"])).toBe("rolled_back");
  });
});
