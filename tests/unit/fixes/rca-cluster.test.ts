import { describe, expect, it, vi } from "vitest";
import { whyNoRca } from "@/lib/fixes/rca/draft";
import { clusterDraftEventId, clusterPosition } from "@/lib/fixes/rca-jobs/cluster";

vi.mock("server-only", () => ({}));

/**
 * The cluster trigger of the customer RCA (one draft request per bug and minimum, from the ticket
 * at the minimum's place) and the bug page's sentence for a bug without an RCA.
 */

const at = (s: number) => new Date(Date.UTC(2026, 11, 6, 9, 0, s)).toISOString();
const links = [
  { ticket_id: "c", linked_at: at(3) },
  { ticket_id: "a", linked_at: at(1) },
  { ticket_id: "b2", linked_at: at(2) },
  { ticket_id: "b1", linked_at: at(2) },
];

describe("clusterPosition", () => {
  it("orders links by time then ticket id; only the ticket at the minimum reaches it", () => {
    expect(clusterPosition(links, "a", 3)).toMatchObject({ position: 1, size: 4, reached: false });
    expect(clusterPosition(links, "b1", 3)).toMatchObject({ position: 2, reached: false });
    expect(clusterPosition(links, "b2", 3)).toMatchObject({ position: 3, reached: true });
    expect(clusterPosition(links, "c", 3)).toMatchObject({ position: 4, reached: false });
  });

  it("answers the same whatever order the rows come in and however often it is asked", () => {
    const reversed = [...links].reverse();
    for (const id of ["a", "b1", "b2", "c"]) {
      expect(clusterPosition(reversed, id, 3)).toEqual(clusterPosition(links, id, 3));
    }
    const reachedBy = ["a", "b1", "b2", "c"].filter((id) => clusterPosition(links, id, 3).reached);
    expect(reachedBy).toEqual(["b2"]);
  });

  it("a minimum of one: the ticket that created the bug; a ticket not linked never", () => {
    expect(clusterPosition(links, "a", 1).reached).toBe(true);
    expect(clusterPosition(links, "zz", 1)).toMatchObject({ position: 0, reached: false });
    expect(clusterPosition([], "a", 1).reached).toBe(false);
  });

  it("one event id per bug and minimum", () => {
    expect(clusterDraftEventId("bug-1", 3)).toBe("rca-draft-cluster:bug-1:3");
    expect(clusterDraftEventId("bug-1", 5)).not.toBe(clusterDraftEventId("bug-1", 3));
  });
});

describe("whyNoRca (the bug page without an RCA)", () => {
  const base = { linkedTickets: 1, minClusterSize: 3, pullRequests: 0, merged: false };

  it("a medium bug with a linked PR: below the severity rule and the cluster, not 'link a PR'", () => {
    const why = whyNoRca({ ...base, severity: "medium", pullRequests: 1 });
    expect(why.reason).toBe("below_rules");
    expect(why.text).toContain("critical or high");
    expect(why.text).toContain("3 tickets report it");
    expect(why.text).toContain("1 ticket reports it, 2 more are needed");
    expect(why.text).not.toMatch(/link the fix/i);
  });

  it("a merged medium fix still short of the cluster says so", () => {
    const why = whyNoRca({
      ...base,
      severity: "low",
      linkedTickets: 2,
      pullRequests: 1,
      merged: true,
    });
    expect(why.reason).toBe("below_rules");
    expect(why.text).toContain("The fix merged");
    expect(why.text).toContain("1 more is needed");
  });

  it("a high bug: waits for a PR, then for its merge, then for the draft", () => {
    expect(whyNoRca({ ...base, severity: "high" })).toMatchObject({
      reason: "no_pull_request",
      text: expect.stringContaining("Link the fix's pull request"),
    });
    expect(whyNoRca({ ...base, severity: "high", pullRequests: 1 })).toMatchObject({
      reason: "not_merged",
      text: expect.stringContaining("once the linked pull request merges"),
    });
    expect(whyNoRca({ ...base, severity: "high", pullRequests: 1, merged: true }).reason).toBe(
      "drafting",
    );
  });

  it("a medium bug at the cluster minimum qualifies like a high one", () => {
    const why = whyNoRca({ ...base, severity: "medium", linkedTickets: 3, pullRequests: 1 });
    expect(why.reason).toBe("not_merged");
    expect(why.text).toContain("3 tickets report it");
  });
});
