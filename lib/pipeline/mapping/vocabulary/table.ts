import { z } from "zod";
import type { BridgeTable, BridgeTarget } from "./types";

/**
 * A bridge table as stored (the shipped file, a workspace's row): plain JSON, words sorted so the
 * same table always serialises to the same bytes.
 */

export const bridgeJsonSchema = z.object({
  version: z.literal(1),
  source: z.string(),
  pairs: z.number().int().nonnegative(),
  words: z.record(z.string(), z.array(z.tuple([z.string(), z.number().min(0).max(1)]))),
});
export type BridgeJson = z.infer<typeof bridgeJsonSchema>;

export function toBridgeJson(table: BridgeTable): BridgeJson {
  const words: Record<string, [string, number][]> = {};
  for (const w of [...table.words.keys()].sort()) {
    words[w] = (table.words.get(w) ?? []).map(([t, s]) => [t, s]);
  }
  return { version: 1, source: table.source, pairs: table.pairs, words };
}

export function fromBridgeJson(json: unknown): BridgeTable {
  const parsed = bridgeJsonSchema.parse(json);
  const words = new Map<string, readonly BridgeTarget[]>();
  for (const [w, targets] of Object.entries(parsed.words)) words.set(w, targets);
  return { version: 1, source: parsed.source, pairs: parsed.pairs, words };
}

/**
 * Two tables as one: a workspace's own (`local`) beside the shipped public one. A target both
 * know keeps the stronger of `global` and `local × localWeight`; `perWord` targets are kept.
 */
export function mergeBridges(
  global: BridgeTable,
  local: BridgeTable | null,
  localWeight = 1,
  perWord = 16,
): BridgeTable {
  if (!local || local.words.size === 0) return global;
  const words = new Map<string, readonly BridgeTarget[]>(global.words);
  for (const [w, targets] of local.words) {
    const merged = new Map<string, number>(global.words.get(w) ?? []);
    for (const [t, s] of targets) merged.set(t, Math.max(merged.get(t) ?? 0, s * localWeight));
    words.set(
      w,
      [...merged.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, perWord),
    );
  }
  return {
    version: 1,
    source: `${global.source}; ${local.source}`,
    pairs: global.pairs + local.pairs,
    words,
  };
}
