import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { buildDemoRepo } from "../../demo-repo/build";
import type { SandboxContext } from "../context";
import type { GithubRepo } from "../state";
import { cloneBare, git, gitDirOf } from "./git";

const NAME = /^[A-Za-z0-9_.-]{1,100}$/;

export class RepoError extends Error {}

/**
 * Adds a repository from any local git directory (work tree or bare): the sandbox keeps its own
 * bare clone under `<DEVSTACK_HOME>/sandboxes/git/`, so nothing it does writes to the original.
 */
export async function addRepo(
  ctx: SandboxContext,
  opts: { path: string; fullName?: string; private?: boolean },
): Promise<{ repo: GithubRepo; created: boolean }> {
  const source = await gitDirOf(path.resolve(opts.path)).catch((err: Error) => {
    throw new RepoError(err.message);
  });
  const dirName =
    path.basename(source) === ".git" ? path.basename(path.dirname(source)) : path.basename(source);
  const [owner, name] = (opts.fullName ?? `sandbox/${dirName.replace(/\.git$/, "")}`).split("/");
  if (!owner || !name || !NAME.test(owner) || !NAME.test(name)) {
    throw new RepoError(`"${opts.fullName}" is not owner/name`);
  }
  const existing = ctx.state.github.repos.find((r) => r.owner === owner && r.name === name);
  if (existing) return { repo: existing, created: false };
  const gitDir = path.join(ctx.store.dir, "git", owner, `${name}.git`);
  await mkdir(path.dirname(gitDir), { recursive: true });
  if (!existsSync(gitDir)) await cloneBare(source, gitDir);
  const head = (
    await git(gitDir, ["symbolic-ref", "--short", "HEAD"]).catch(() => Buffer.from("main"))
  )
    .toString()
    .trim();
  const repo: GithubRepo = {
    id: ctx.store.nextId() * 7,
    owner,
    name,
    gitDir,
    source,
    defaultBranch: head || "main",
    private: opts.private ?? true,
  };
  ctx.state.github.repos.push(repo);
  ctx.store.changed();
  return { repo, created: true };
}

/**
 * Serves the project's demo repository (`acme/storefront`, built by devstack/demo-repo) when no
 * repository is registered yet, so a fresh devstack has real code to install the App on.
 */
export async function ensureDemoRepo(ctx: SandboxContext): Promise<GithubRepo | undefined> {
  if (ctx.state.github.repos.length > 0) return undefined;
  const built = await buildDemoRepo(path.join(ctx.store.dir, "demo-source"));
  return (await addRepo(ctx, { path: built.gitDir, fullName: built.fullName, private: true })).repo;
}
