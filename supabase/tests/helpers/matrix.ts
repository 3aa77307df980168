import { expect, it } from "vitest";
import { as, PERSONAS, type Persona, summary, type World } from "./db";

/**
 * One RLS expectation per persona for one statement. Expected values:
 *   "ok:<n>"       the statement succeeds and touches/returns exactly n rows
 *   "ok:>0"        succeeds with at least one row
 *   "error:<code>" fails with that SQLSTATE (42501 = permission denied / RLS violation)
 * Writes are rolled back, so every case starts from the same world.
 */
export type Expectation = `ok:${number}` | "ok:>0" | `error:${string}`;

export function matrix<W extends World>(
  getWorld: () => W,
  command: string,
  sql: (world: W) => { text: string; params?: unknown[] },
  expected: Record<Persona, Expectation>,
): void {
  for (const persona of PERSONAS) {
    it(`${command} as ${persona} → ${expected[persona]}`, async () => {
      const world = getWorld();
      const { text, params } = sql(world);
      const outcome = await as(world.actor(persona), text, params ?? [], { rollback: true });
      const got = summary(outcome);
      const want = expected[persona];
      if (want === "ok:>0") {
        expect(outcome.ok, got).toBe(true);
        expect(outcome.ok && outcome.rowCount > 0, got).toBe(true);
      } else {
        expect(got, outcome.ok ? "" : outcome.error.message).toBe(want);
      }
    });
  }
}

/** Every persona gets the same answer (e.g. no grant at all). */
export function everyone(expectation: Expectation): Record<Persona, Expectation> {
  return Object.fromEntries(PERSONAS.map((p) => [p, expectation])) as Record<Persona, Expectation>;
}
