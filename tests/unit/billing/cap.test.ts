import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { admitBug, type HeldBug, releaseHeld } from "@/lib/billing/cap";

const held = (...ids: string[]): HeldBug[] =>
  ids.map((bugId, i) => ({ bugId, heldAt: new Date(Date.UTC(2026, 11, 1, 0, i)) }));

describe("overage cap: hold, release, bill once", () => {
  it("bills as included below the allowance", () => {
    expect(admitBug(0, 50, 50)).toBe("included");
    expect(admitBug(49, 50, 50)).toBe("included");
  });

  it("holds new bugs past the allowance when the cap equals it", () => {
    expect(admitBug(50, 50, 50)).toBe("held");
    expect(admitBug(51, 50, 50)).toBe("held");
  });

  it("bills overage up to a higher cap, then holds", () => {
    expect(admitBug(50, 50, 60)).toBe("overage");
    expect(admitBug(59, 50, 60)).toBe("overage");
    expect(admitBug(60, 50, 60)).toBe("held");
  });

  it("treats a cap below the allowance as the allowance", () => {
    expect(admitBug(40, 50, 10)).toBe("included");
    expect(admitBug(50, 50, 10)).toBe("held");
  });

  it("releases the oldest held bugs when the cap rises, as overage", () => {
    const out = releaseHeld(held("a", "b", "c"), 50, 50, 52);
    expect(out).toEqual({
      release: [
        { bugId: "a", as: "overage" },
        { bugId: "b", as: "overage" },
      ],
      stillHeld: ["c"],
    });
  });

  it("releases held bugs into a new period as included", () => {
    const out = releaseHeld(held("c", "a", "b").reverse(), 0, 50, 50);
    expect(out.release.map((r) => [r.bugId, r.as])).toEqual([
      ["c", "included"],
      ["a", "included"],
      ["b", "included"],
    ]);
    expect(out.stillHeld).toEqual([]);
  });

  it("releases nothing while the cap still equals the allowance in the same period", () => {
    expect(releaseHeld(held("a"), 50, 50, 50)).toEqual({ release: [], stillHeld: ["a"] });
  });

  it("never bills a bug twice: duplicates and already billed bugs are skipped", () => {
    const twice = [...held("a", "b"), ...held("a")];
    const out = releaseHeld(twice, 0, 50, 50, new Set(["b"]));
    expect(out.release).toEqual([{ bugId: "a", as: "included" }]);
    expect(out.stillHeld).toEqual([]);
  });

  it("a release never exceeds the cap, loses no bug and bills each at most once", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 40 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 80 }),
        (ids, billed, allowance, cap) => {
          const out = releaseHeld(held(...ids), billed, allowance, cap);
          const released = out.release.map((r) => r.bugId);
          expect(new Set(released).size).toBe(released.length);
          expect([...released, ...out.stillHeld].sort()).toEqual([...ids].sort());
          const room = Math.max(0, Math.max(cap, allowance) - billed);
          expect(released.length).toBe(Math.min(room, ids.length));
          // after the release the next bug is held unless room remains
          if (out.stillHeld.length) {
            expect(admitBug(billed + released.length, allowance, cap)).toBe("held");
          }
        },
      ),
    );
  });
});
