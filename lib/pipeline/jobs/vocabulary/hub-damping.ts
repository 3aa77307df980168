import type { BridgeTable, FixPair } from "../../mapping/vocabulary/types";

/**
 * Damping of hub files in a workspace's own table (docs/code-map.md "Each workspace's
 * vocabulary"). A repository's own commits touch its much-changed files most (`main.rs`,
 * `node_ng.py`), so those files' terms become targets of many report words and the bridge
 * lifts the hub over the right file. Each variant is measured with `eval:mapping --repo-vocabulary
 * --repo-vocabulary-damping …`; `WORKSPACE_DAMPING` is the one the job uses. Corrections (merged
 * fixes, mismapped marks) are never damped: a person chose that code.
 *
 * - `none`: the pairs and table as learned.
 * - `hub-targets`: after learning, a code term that is a target of more than `maxShare` of the
 *   table's words (and of more than `MIN_HUB` words) is dropped from every word.
 * - `hub-files`: before learning, the places in a file that more than `maxShare` of the commit
 *   pairs change (and more than `MIN_HUB` pairs) are left out of the commit pairs; a pair left
 *   with no place is left out.
 * - `inverse-file`: each commit pair weighs the inverse of the mean number of commit pairs that
 *   change its files (a pair of rarely changed files counts most).
 */
export type HubDamping =
  | { kind: "none" }
  | { kind: "hub-targets"; maxShare: number }
  | { kind: "hub-files"; maxShare: number }
  | { kind: "inverse-file" };

/** The damping the workspace learner applies (see docs/code-map.md for the measurement). */
export const WORKSPACE_DAMPING: HubDamping = { kind: "none" };

/** A hub is more than this many words (or pairs) whatever the share: small tables keep theirs. */
export const MIN_HUB = 3;

/** `none`, `hub-targets:0.1`, `hub-files:0.05`, `inverse-file` (the evaluation's option). */
export function parseDamping(spec: string): HubDamping {
  const [kind, share] = spec.split(":");
  const maxShare = Number(share);
  if (kind === "none" && share === undefined) return { kind: "none" };
  if (kind === "inverse-file" && share === undefined) return { kind: "inverse-file" };
  if ((kind === "hub-targets" || kind === "hub-files") && maxShare > 0 && maxShare < 1)
    return { kind, maxShare };
  throw new Error(
    `unknown damping "${spec}" (none, hub-targets:<share>, hub-files:<share>, inverse-file; 0 < share < 1)`,
  );
}

export function dampingName(d: HubDamping): string {
  return d.kind === "hub-targets" || d.kind === "hub-files" ? `${d.kind}:${d.maxShare}` : d.kind;
}

/** How many of `pairs` change each file (a pair counts a file once). */
function pairsPerFile(pairs: readonly FixPair[]): Map<string, number> {
  const n = new Map<string, number>();
  for (const p of pairs)
    for (const f of new Set(p.code.map((c) => c.path))) n.set(f, (n.get(f) ?? 0) + 1);
  return n;
}

/** The commit pairs as the damping hands them to the learner (before learning). */
export function dampPairs(pairs: readonly FixPair[], damping: HubDamping): FixPair[] {
  if (damping.kind === "hub-files") {
    const n = pairsPerFile(pairs);
    const limit = Math.max(MIN_HUB, damping.maxShare * pairs.length);
    return pairs.flatMap((p) => {
      const code = p.code.filter((c) => (n.get(c.path) ?? 0) <= limit);
      return code.length === 0 ? [] : [{ ...p, code }];
    });
  }
  if (damping.kind === "inverse-file") {
    const n = pairsPerFile(pairs);
    return pairs.map((p) => {
      const files = [...new Set(p.code.map((c) => c.path))];
      const mean = files.reduce((s, f) => s + (n.get(f) ?? 1), 0) / Math.max(1, files.length);
      return { ...p, weight: (p.weight ?? 1) / Math.max(1, mean) };
    });
  }
  return [...pairs];
}

/** The learned table as the damping leaves it (after learning). */
export function dampTable(table: BridgeTable, damping: HubDamping): BridgeTable {
  if (damping.kind !== "hub-targets") return table;
  const linked = new Map<string, number>();
  for (const targets of table.words.values())
    for (const [t] of targets) linked.set(t, (linked.get(t) ?? 0) + 1);
  const limit = Math.max(MIN_HUB, damping.maxShare * table.words.size);
  const words = new Map<string, BridgeTable["words"] extends Map<string, infer V> ? V : never>();
  for (const [w, targets] of table.words) {
    const kept = targets.filter(([t]) => (linked.get(t) ?? 0) <= limit);
    if (kept.length > 0) words.set(w, kept);
  }
  return { ...table, words };
}
