import { describe, expect, it } from "vitest";
import { stem } from "@/lib/pipeline/code-index/tokenize";
import {
  dampingName,
  dampPairs,
  dampTable,
  parseDamping,
  WORKSPACE_DAMPING,
} from "@/lib/pipeline/jobs/vocabulary/hub-damping";
import { learnWorkspaceTable, minPairsFor } from "@/lib/pipeline/jobs/vocabulary/learn-workspace";
import { learnBridge } from "@/lib/pipeline/mapping/vocabulary/learn";
import type { BridgeTable, FixPair } from "@/lib/pipeline/mapping/vocabulary/types";

/**
 * Hub damping in the workspace learner: a repository's much-changed file (here `src/main.rs`,
 * changed by most commits) must not become the target of every report word.
 */

const at = (path: string, name: string, terms: string[]) => ({ path, name, terms });
const MAIN = (n: number) => at("src/main.rs", "main", ["main", "cli", "args", `opt${n}`]);
const pair = (i: number, text: string, code: FixPair["code"]): FixPair => ({
  source: `acme/tool@${String(i).padStart(40, "0")}`,
  text,
  code,
});

/** Ten commits: eight touch main.rs beside their real place, two only their place. */
const PAIRS: FixPair[] = [
  pair(1, "Pager hangs on wide output", [MAIN(1), at("src/pager.rs", "Pager.run", ["pager"])]),
  pair(2, "Pager hangs when piped", [MAIN(2), at("src/pager.rs", "Pager.run", ["pager"])]),
  pair(3, "Theme colours wrong on light terminal", [
    MAIN(3),
    at("src/theme.rs", "Theme.load", ["theme", "palette"]),
  ]),
  pair(4, "Theme colours reset", [MAIN(4), at("src/theme.rs", "Theme.load", ["palette"])]),
  pair(5, "Syntax mapping for yaml files", [MAIN(5), at("src/syntax.rs", "map", ["syntax"])]),
  pair(6, "Syntax mapping for toml files", [MAIN(6), at("src/syntax.rs", "map", ["syntax"])]),
  pair(7, "Wrap long lines at width", [MAIN(7), at("src/wrap.rs", "wrap", ["wrap", "width"])]),
  pair(8, "Wrap breaks words", [MAIN(8), at("src/wrap.rs", "wrap", ["wrap"])]),
  pair(9, "Git diff markers missing", [at("src/diff.rs", "marks", ["diff", "hunk"])]),
  pair(10, "Git diff markers misplaced", [at("src/diff.rs", "marks", ["diff", "hunk"])]),
];

/** Report words are stemmed as the index stems them (`theme` → `them`). */
const targetsOf = (t: BridgeTable, word: string) => (t.words.get(stem(word)) ?? []).map(([x]) => x);

describe("hub damping in the workspace learner", () => {
  it("reads its variants by name and refuses anything else", () => {
    expect(parseDamping("none")).toEqual({ kind: "none" });
    expect(parseDamping("hub-targets:0.1")).toEqual({ kind: "hub-targets", maxShare: 0.1 });
    expect(parseDamping("hub-files:0.25")).toEqual({ kind: "hub-files", maxShare: 0.25 });
    expect(parseDamping("inverse-file")).toEqual({ kind: "inverse-file" });
    for (const bad of ["hub-files", "hub-files:0", "hub-targets:1.5", "cap:0.1", "none:1", ""])
      expect(() => parseDamping(bad)).toThrow(/unknown damping/);
    expect(dampingName(parseDamping("hub-files:0.25"))).toBe("hub-files:0.25");
  });

  it("undamped, the hub file's terms are targets of words that never name it", () => {
    const t = learnWorkspaceTable("acme/tool", PAIRS, [], { kind: "none" });
    expect(targetsOf(t, "pager")).toEqual(expect.arrayContaining(["cli", "args"]));
    // `none` is the learner as it was: learnBridge over the pairs as given
    expect(t).toEqual(
      learnBridge(PAIRS, { minPairs: minPairsFor(PAIRS.length), source: "acme/tool" }),
    );
  });

  it("hub-files leaves out the places of a file most commits change, and pairs left empty", () => {
    const damped = dampPairs(PAIRS, { kind: "hub-files", maxShare: 0.5 });
    expect(damped).toHaveLength(10);
    expect(damped.flatMap((p) => p.code.map((c) => c.path))).not.toContain("src/main.rs");
    const t = learnWorkspaceTable("acme/tool", PAIRS, [], { kind: "hub-files", maxShare: 0.5 });
    expect(targetsOf(t, "pager")).not.toContain("cli");
    expect(targetsOf(t, "theme")).toContain("palette");
    // a pair whose only place is the hub is left out
    const onlyHub = [...PAIRS, pair(11, "Main flag parsing", [MAIN(11)])];
    expect(dampPairs(onlyHub, { kind: "hub-files", maxShare: 0.5 })).toHaveLength(10);
    // below the share, or under MIN_HUB pairs, nothing is left out
    expect(dampPairs(PAIRS, { kind: "hub-files", maxShare: 0.9 })).toEqual(PAIRS);
    expect(dampPairs(PAIRS.slice(0, 3), { kind: "hub-files", maxShare: 0.1 })).toEqual(
      PAIRS.slice(0, 3),
    );
  });

  it("hub-targets drops a code term most words point at, and words left with none", () => {
    const table: BridgeTable = {
      version: 1,
      source: "acme/tool",
      pairs: 10,
      words: new Map([
        [
          "pager",
          [
            ["cli", 0.3],
            ["pagerrun", 0.9],
          ] as const,
        ],
        [
          "theme",
          [
            ["cli", 0.3],
            ["palette", 0.8],
          ] as const,
        ],
        ["syntax", [["cli", 0.3]] as const],
        [
          "wrap",
          [
            ["cli", 0.3],
            ["width", 0.7],
          ] as const,
        ],
        [
          "diff",
          [
            ["cli", 0.2],
            ["hunk", 0.9],
          ] as const,
        ],
      ]),
    };
    const d = dampTable(table, { kind: "hub-targets", maxShare: 0.5 });
    // `cli` is a target of all five words; the limit is max(3, 2.5)
    expect([...d.words.keys()]).toEqual(["pager", "theme", "wrap", "diff"]);
    expect(d.words.get("pager")).toEqual([["pagerrun", 0.9]]);
    // under MIN_HUB words a target is no hub, whatever its share; other dampings leave tables be
    const small: BridgeTable = { ...table, words: new Map([...table.words].slice(0, 3)) };
    expect(dampTable(small, { kind: "hub-targets", maxShare: 0.1 })).toEqual(small);
    expect(dampTable(table, { kind: "hub-files", maxShare: 0.1 })).toBe(table);
  });

  it("inverse-file weighs a pair by how rarely its files change", () => {
    const d = dampPairs(PAIRS, { kind: "inverse-file" });
    // pair 1: main.rs (8 pairs) and pager.rs (2) → 1 / 5
    expect(d[0]?.weight).toBeCloseTo(1 / 5);
    // pair 9: diff.rs alone (2 pairs) → 1 / 2
    expect(d[8]?.weight).toBeCloseTo(1 / 2);
  });

  it("never damps corrections: a person chose that code", () => {
    const fix: FixPair = {
      source: "bug:1",
      text: "Pager hangs",
      code: [MAIN(99)],
      weight: 3,
    };
    const t = learnWorkspaceTable("acme/tool", PAIRS, [fix, { ...fix, source: "bug:2" }], {
      kind: "hub-files",
      maxShare: 0.5,
    });
    expect(targetsOf(t, "pager")).toContain("opt99");
  });

  it("ships the damping the measurement chose", () => {
    expect(["none", "hub-targets", "hub-files", "inverse-file"]).toContain(WORKSPACE_DAMPING.kind);
  });
});
