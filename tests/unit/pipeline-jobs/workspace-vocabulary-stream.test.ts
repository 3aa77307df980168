import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDemoRepo, type DemoRepo } from "@/devstack/demo-repo/build";
import { commitPatches, log as gitLog } from "@/devstack/sandboxes/github/git";
import { buildIndex } from "@/lib/pipeline/code-index/builder";
import { gitSourceFiles } from "@/lib/pipeline/code-index/git-source";
import type { CodeIndex } from "@/lib/pipeline/code-index/types";
import {
  type CommitWithPatches,
  commitPair,
  isPair,
} from "@/lib/pipeline/jobs/vocabulary/commit-pairs";
import {
  fixPairsAsRead,
  type ListedCommit,
  worthReading,
} from "@/lib/pipeline/jobs/vocabulary/learn-workspace";

/**
 * The vocabulary step turns each commit into its pair as its files arrive and drops the patches
 * (bounded memory beside the index): on the demo repository's history, as the GitHub sandbox
 * serves it, the streamed pairs are the pairs of reading every commit first and pairing after,
 * in the same order, whatever order the requests finish in; and no more requests are in flight
 * than the limit.
 */

let tmp: string;
let demo: DemoRepo;
let index: CodeIndex;
let listed: ListedCommit[];

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "vocab-stream-"));
  demo = await buildDemoRepo(tmp);
  index = await buildIndex(gitSourceFiles(demo.gitDir, demo.headSha), { repo: demo.fullName });
  listed = (await gitLog(demo.gitDir, demo.headSha, { max: 300 })).map((c) => ({
    sha: c.sha,
    message: c.message,
    parents: c.parents.length,
    author: { name: c.author.name, email: c.author.email },
  }));
}, 60_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const filesOf = (c: ListedCommit) => commitPatches(demo.gitDir, c.sha);

/** What the step did before: every wanted commit read with its patches, then paired. */
async function readAllThenPair(): Promise<ReturnType<typeof commitPair>[]> {
  const commits: CommitWithPatches[] = [];
  for (const c of worthReading(listed)) commits.push({ ...c, files: await filesOf(c) });
  const byPath = new Map(index.files.map((f) => [f.path, f]));
  return commits.map((c) => commitPair(c, index, byPath)).filter(isPair);
}

describe("the vocabulary step's pairs, streamed", () => {
  it("are the pairs of reading the whole history first, in the same order", async () => {
    const before = await readAllThenPair();
    // the fixture has fixes to compare (the demo's three fix commits)
    expect(before.length).toBe(3);
    const streamed = await fixPairsAsRead(worthReading(listed), filesOf, index);
    expect(streamed).toEqual(before);
    // the message filter only spares requests: pairing every listed commit gives the same
    expect(await fixPairsAsRead(listed, filesOf, index)).toEqual(before);
  });

  it("keep the listing's order when later requests finish first, within the limit", async () => {
    const before = await readAllThenPair();
    let inFlight = 0;
    let most = 0;
    const wanted = worthReading(listed);
    const slow = async (c: ListedCommit) => {
      inFlight++;
      most = Math.max(most, inFlight);
      // the newest commits answer last
      const at = wanted.indexOf(c);
      await new Promise((r) => setTimeout(r, (wanted.length - at) * 15));
      const files = await filesOf(c);
      inFlight--;
      return files;
    };
    const streamed = await fixPairsAsRead(wanted, slow, index, 3);
    expect(streamed).toEqual(before);
    expect(most).toBe(Math.min(3, wanted.length));
  });

  it("makes nothing of an empty listing and asks for no files", async () => {
    let asked = 0;
    const pairs = await fixPairsAsRead(
      [],
      async () => {
        asked++;
        return [];
      },
      index,
    );
    expect(pairs).toEqual([]);
    expect(asked).toBe(0);
  });
});
