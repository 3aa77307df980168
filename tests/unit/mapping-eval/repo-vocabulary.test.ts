import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIndex } from "@/lib/pipeline/code-index/builder";
import { gitSourceFiles } from "@/lib/pipeline/code-index/git-source";
import { tokenize } from "@/lib/pipeline/code-index/tokenize";
import type { BridgeTable } from "@/lib/pipeline/mapping/vocabulary/types";
import { RepoHistory, repoVocabulary } from "@/lib/pipeline/mapping-eval/repo-vocabulary";
import { buildClockHistory, type ClockHistory } from "./clock-history";

/**
 * The evaluation's per-repository vocabulary reads only the history before an instance's commit:
 * a repository made here has two fixes before the instance's commit, the instance's own fix
 * after it, and a side branch that never reached it; only the first two may teach the table
 * anything. (Two, because a commit that only adds files is no fix, and one pair alone teaches
 * nothing: every word of it goes with every term.) The git reading itself is tested in
 * `git-commits.test.ts`.
 */
let h: ClockHistory;
let root = "";
let bare = "";
let initial = "";
let otherFix = "";
let earlierFix = "";
let instance = "";
let laterFix = "";

beforeAll(() => {
  h = buildClockHistory("repo-vocabulary-");
  ({ root, bare, initial, otherFix, earlierFix, instance, laterFix } = h);
});

afterAll(() => h.remove());

const stems = (text: string) => [...new Set(tokenize(text))];

describe("repoVocabulary", () => {
  const empty: BridgeTable = { version: 1, source: "shipped", pairs: 0, words: new Map() };

  it("learns from the history before the instance's commit and nothing after it", async () => {
    const index = await buildIndex(gitSourceFiles(bare, instance), { repo: "acme/clock" });
    const history = new RepoHistory(bare, "acme/clock");
    const v = repoVocabulary(index, history.window(instance, 300), empty);
    expect(v.commitsRead).toBe(4);
    expect(v.pairs).toBeGreaterThan(0);
    const words = [...v.bridge.words.keys()];
    // the earlier fix's words predict the code it changed
    for (const w of stems("summary timezone greenwich")) expect(words).toContain(w);
    const targets = (v.bridge.words.get(stems("timezone")[0] as string) ?? []).map(([t]) => t);
    expect(targets).toContain("localdaystart");
    // neither the instance's fix (later) nor the side branch's taught anything
    for (const w of stems("narwhal platypus axolotl zebra quagga okapi"))
      expect(words).not.toContain(w);
  });

  it("the same window read later teaches the later fix (the filter, not the data, kept it out)", async () => {
    const index = await buildIndex(gitSourceFiles(bare, laterFix), { repo: "acme/clock" });
    const v = repoVocabulary(
      index,
      new RepoHistory(bare, "acme/clock").window(laterFix, 300),
      empty,
    );
    expect([...v.bridge.words.keys()]).toContain(stems("narwhal")[0]);
  });

  it("merges over the shipped table, keeping its words", async () => {
    const index = await buildIndex(gitSourceFiles(bare, instance), { repo: "acme/clock" });
    const shipped: BridgeTable = {
      version: 1,
      source: "shipped",
      pairs: 10,
      words: new Map([["crash", [["panic", 0.8]] as const]]),
    };
    const v = repoVocabulary(
      index,
      new RepoHistory(bare, "acme/clock").window(instance, 300),
      shipped,
    );
    expect(v.bridge.words.get("crash")).toEqual([["panic", 0.8]]);
    expect(v.bridge.source).toBe("shipped; acme/clock");
    // nothing learned: the shipped table itself
    expect(repoVocabulary(index, [], shipped).bridge).toBe(shipped);
  });
});

describe("RepoHistory", () => {
  it("reads the windows once and serves them from its cache file afterwards", () => {
    const cacheDir = path.join(root, "cache");
    const h = new RepoHistory(bare, "acme/clock", cacheDir);
    h.prefetch([instance, laterFix], 300);
    const file = path.join(cacheDir, "acme+clock.json");
    expect(existsSync(file)).toBe(true);
    // a new reader starts from the file: the union of both windows, and no other branch
    const again = new RepoHistory(bare, "acme/clock", cacheDir);
    expect(again.cachedShas().sort()).toEqual(
      [initial, otherFix, earlierFix, instance, laterFix].sort(),
    );
    expect(again.window(instance, 300)).toEqual(h.window(instance, 300));
    expect(again.window(instance, 300).map((c) => c.sha)).toEqual([
      instance,
      earlierFix,
      otherFix,
      initial,
    ]);
  });
});
