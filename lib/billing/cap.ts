import { assertMinor } from "./money";

/**
 * The overage cap decides what happens to a new Mapped Bug once the allowance is used:
 * - below the allowance: billed as included;
 * - at or past the allowance, below the cap: billed as overage;
 * - at the cap (the cap equal to the allowance is the default): held "over allowance". A held bug
 *   is never lost and never billed while held; it is released, oldest first, when the cap rises or
 *   the next period starts, and billed then, once.
 */

export type Admission = "included" | "overage" | "held";

/**
 * What to do with one more Mapped Bug when `billedInPeriod` bugs are already billed this period.
 * `cap` is the effective cap (never below the allowance; see `effectiveCap`).
 */
export function admitBug(billedInPeriod: number, allowance: number, cap: number): Admission {
  assertMinor(billedInPeriod, "billed in period");
  assertMinor(allowance, "allowance");
  assertMinor(cap, "cap");
  if (billedInPeriod < allowance) return "included";
  if (billedInPeriod < Math.max(cap, allowance)) return "overage";
  return "held";
}

export interface HeldBug {
  bugId: string;
  heldAt: Date;
}

export interface Release {
  /** Bugs to bill now, oldest first, each with how it is billed. */
  release: { bugId: string; as: Exclude<Admission, "held"> }[];
  /** Bugs still held, oldest first. */
  stillHeld: string[];
}

/**
 * Which held bugs to release when room appears (the cap rose, or a new period started and
 * `billedInPeriod` is back to 0): the oldest first, up to the cap. A bug listed twice, or already
 * billed (in `alreadyBilled`), is not released again: a retried release job bills nothing twice.
 */
export function releaseHeld(
  held: readonly HeldBug[],
  billedInPeriod: number,
  allowance: number,
  cap: number,
  alreadyBilled: ReadonlySet<string> = new Set(),
): Release {
  const seen = new Set<string>(alreadyBilled);
  const queue = [...held]
    .sort((a, b) => a.heldAt.getTime() - b.heldAt.getTime() || a.bugId.localeCompare(b.bugId))
    .filter((bug) => {
      if (seen.has(bug.bugId)) return false;
      seen.add(bug.bugId);
      return true;
    });
  const release: Release["release"] = [];
  const stillHeld: string[] = [];
  let billed = billedInPeriod;
  for (const bug of queue) {
    const admission = admitBug(billed, allowance, cap);
    if (admission === "held") {
      stillHeld.push(bug.bugId);
      continue;
    }
    release.push({ bugId: bug.bugId, as: admission });
    billed += 1;
  }
  return { release, stillHeld };
}
