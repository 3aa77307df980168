import { describe, expect, it } from "vitest";
import { type CommitRecord, synthesizeOwners } from "@/lib/fixes/owner-synthesis";
import {
  inWindow,
  mergeHistory,
  parseHistory,
  synthesizeFromHistory,
  toHistoryEntry,
} from "@/lib/fixes/owners/history";

/**
 * An incremental re-run (the stored window plus only the commits since, scored at the re-run's
 * time) gives the same owners as a full run over the whole history at that time: commits that
 * left the 365-day window drop out, the decay is applied from the new date, co-authors and bots
 * survive the stored form.
 */

const DAY = 86_400_000;
const T0 = new Date("2026-01-01T00:00:00Z");
const at = (day: number) => new Date(T0.getTime() + day * DAY);
const people = ["ana", "bo", "cy", "dee"];
const files = ["src/a.ts", "src/b.ts", "lib/c.ts", "docs/d.md", "src/deep/e.ts"];

/** A deterministic history: one commit every 3 days over 600 days, some co-authored, some bots. */
function history(): CommitRecord[] {
  const out: CommitRecord[] = [];
  for (let day = 0, i = 0; day < 600; day += 3, i++) {
    const who = people[i % people.length] as string;
    const bot = i % 11 === 0;
    out.push({
      sha: i.toString(16).padStart(40, "0"),
      authoredAt: at(day).toISOString(),
      author: bot
        ? { name: "dependabot[bot]", email: "49699333+dependabot[bot]@users.noreply.github.com" }
        : { name: who, email: `${who}@acme.test`, login: i % 2 ? who : null },
      message:
        i % 7 === 0
          ? `feat: x\n\nCo-authored-by: Fay Lo <3003+fay@users.noreply.github.com>`
          : "fix: y",
      files: bot
        ? []
        : [files[i % files.length] as string, files[(i * 3) % files.length] as string],
    });
  }
  return out;
}

function normalized(result: ReturnType<typeof synthesizeOwners>) {
  return Object.fromEntries(
    [...result.byPath].map(([path, owners]) => [
      path,
      owners.map((o) => ({ ...o, weight: Number(o.weight.toPrecision(12)) })),
    ]),
  );
}

describe("incremental owner synthesis", () => {
  const all = history();
  const upTo = (when: Date) => all.filter((c) => new Date(c.authoredAt) <= when);

  it("a re-run from the stored history equals a full run at the re-run's time", () => {
    const t1 = at(420);
    const t2 = at(600);
    // the first run stored the window at t1 (through JSON, as the database keeps it)
    const first = mergeHistory(
      [],
      upTo(t1)
        .filter((c) => inWindow(c.authoredAt, t1))
        .map(toHistoryEntry),
      t1,
    );
    const stored = parseHistory(JSON.parse(JSON.stringify(first)));
    expect(stored).toHaveLength(first.length);
    // the re-run reads only the commits after t1
    const fresh = all.filter((c) => new Date(c.authoredAt) > t1).map(toHistoryEntry);
    const window = mergeHistory(stored, fresh, t2);
    const incremental = synthesizeFromHistory(window, t2);
    const full = synthesizeOwners(all, { now: t2 });

    expect(normalized(incremental)).toEqual(normalized(full));
    expect(incremental.commitsConsidered).toBe(full.commitsConsidered);
    // commits older than 365 days at t2 are gone from the stored window
    expect(window.every((e) => inWindow(e.at, t2))).toBe(true);
    expect(window.length).toBeLessThan(stored.length + fresh.length);
    // the co-author survived the stored form
    expect(incremental.byPath.get("src/a.ts")?.some((o) => o.id === "@fay")).toBe(true);
  });

  it("with no new commits the weights decay by exp(-Δdays / 180) from the earlier run", () => {
    const t1 = at(300);
    const t2 = at(330); // nothing leaves the window: the oldest commit is 330 days old
    const window = mergeHistory([], upTo(t1).map(toHistoryEntry), t1);
    const before = synthesizeFromHistory(window, t1);
    const after = synthesizeFromHistory(mergeHistory(window, [], t2), t2);
    const factor = Math.exp(-30 / 180);
    for (const [path, owners] of before.byPath) {
      const later = new Map((after.byPath.get(path) ?? []).map((o) => [o.id, o.weight]));
      for (const o of owners) expect(later.get(o.id)).toBeCloseTo(o.weight * factor, 10);
    }
  });

  it("a commit read again replaces its entry; a malformed history reads as empty", () => {
    const c = toHistoryEntry(all[1] as CommitRecord);
    const merged = mergeHistory([c], [{ ...c, files: ["other.ts"] }], at(10));
    expect(merged).toEqual([{ ...c, files: ["other.ts"] }]);
    expect(parseHistory([{ sha: "nope" }])).toEqual([]);
    expect(parseHistory(null)).toEqual([]);
  });
});
