import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "vitest";
import { control } from "@/tests/integration/sandboxes/helpers";

/**
 * Small git repositories of a test's own, under an account of its own, served by the GitHub
 * sandbox (so installing on that account and indexing touch nothing another test uses).
 */

const source = (name: string) =>
  `/** ${name} module. */\nexport function ${name}(input: number): number {\n  return input + 1;\n}\n`;

export interface OwnRepository {
  fullName: string;
  githubRepositoryId: number;
}

/** Creates `owner/<name>` for each name (three small TypeScript files each); returns them. */
export async function ownRepositories(
  owner: string,
  names: string[],
): Promise<{ repositories: OwnRepository[]; cleanup(): void }> {
  const dirs: string[] = [];
  const repositories: OwnRepository[] = [];
  for (const name of names) {
    const work = mkdtempSync(path.join(os.tmpdir(), `pl-${name}-`));
    dirs.push(work);
    mkdirSync(path.join(work, "src"));
    for (const part of ["alpha", "beta", "gamma"]) {
      writeFileSync(path.join(work, "src", `${part}.ts`), source(`${name}${part}`));
    }
    const git = (...args: string[]) =>
      execFileSync("git", ["-C", work, ...args], {
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: "t",
          GIT_AUTHOR_EMAIL: "t@t",
          GIT_COMMITTER_NAME: "t",
          GIT_COMMITTER_EMAIL: "t@t",
        },
      });
    git("init", "-q", "-b", "main");
    git("add", ".");
    git("commit", "-q", "-m", "first");
    const fullName = `${owner}/${name}`;
    const added = await control<{ repository: { id: number } }>("POST", "/github/repositories", {
      path: work,
      full_name: fullName,
    });
    expect(added.status).toBeLessThan(300);
    repositories.push({ fullName, githubRepositoryId: added.json.repository.id });
  }
  return {
    repositories,
    cleanup: () => {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}
