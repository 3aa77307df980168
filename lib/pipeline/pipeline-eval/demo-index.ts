import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildDemoRepo } from "@/devstack/demo-repo/build";
import { buildIndex } from "../code-index/builder";
import { gitSourceFiles } from "../code-index/git-source";
import type { CodeIndex } from "../code-index/types";

/**
 * The demo repository built as a bare git repository in a temporary folder and indexed at its
 * head with the same builder the indexing job uses, then the folder removed. Returns the index,
 * the head commit (the eval set's gold refers to it) and how long indexing took.
 */
export async function indexDemoRepo(): Promise<{
  index: CodeIndex;
  commit: string;
  indexMs: number;
}> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "pipeline-eval-"));
  try {
    const repo = await buildDemoRepo(tmp);
    const started = performance.now();
    const index = await buildIndex(gitSourceFiles(repo.gitDir, repo.headSha), {
      repo: repo.fullName,
    });
    return { index, commit: repo.headSha, indexMs: performance.now() - started };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
