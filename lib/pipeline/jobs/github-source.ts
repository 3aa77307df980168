import type { Octokit } from "@octokit/rest";
import type { SourceFile } from "../code-index/builder";
import { languageOf } from "../code-index/languages";
import { skipByPath, skipRules } from "../code-index/skip-rules";

/**
 * A repository's default branch at its head commit, read through the GitHub API with an
 * installation token: one recursive tree listing (paths, sizes, blob ids), then the raw content
 * of only the files the index needs, a few at a time. The blob ids let a push re-index only the
 * files whose content changed, without a compare call.
 */

export interface RepositoryHead {
  owner: string;
  repo: string;
  branch: string;
  sha: string;
}

export interface TreeEntry {
  path: string;
  size: number;
  /** Git blob id (what FileRecord.hash stores). */
  sha: string;
}

const CONCURRENCY = 8;

/**
 * Whether the builder will read the file's content: files it skips by path or size (vendored,
 * tests, docs, over 1 MB, unknown extensions) are never downloaded; it still lists them.
 */
export function needsContent(entry: TreeEntry): boolean {
  return languageOf(entry.path) !== undefined && !skipByPath(entry.path, entry.size, skipRules());
}

export function splitFullName(fullName: string): { owner: string; repo: string } {
  const [owner, repo] = fullName.split("/");
  if (!owner || !repo) throw new Error("a repository is named owner/name");
  return { owner, repo };
}

/** The default branch (or `branch`) and its head commit. */
export async function repositoryHead(
  octokit: Octokit,
  fullName: string,
  branch?: string | null,
): Promise<RepositoryHead> {
  const { owner, repo } = splitFullName(fullName);
  const name = branch ?? (await octokit.rest.repos.get({ owner, repo })).data.default_branch;
  const { data } = await octokit.rest.repos.getBranch({ owner, repo, branch: name });
  return { owner, repo, branch: name, sha: data.commit.sha };
}

/** Every blob of the commit's tree (recursive). */
export async function listTree(octokit: Octokit, head: RepositoryHead): Promise<TreeEntry[]> {
  const { data } = await octokit.rest.git.getTree({
    owner: head.owner,
    repo: head.repo,
    tree_sha: head.sha,
    recursive: "1",
  });
  if (data.truncated) {
    // GitHub cuts recursive listings at 100,000 entries / 7 MB; say so rather than index half
    throw new Error("the repository's tree is too large for one listing");
  }
  return data.tree
    .filter((e) => e.type === "blob" && e.path && e.sha)
    .map((e) => ({ path: e.path as string, size: e.size ?? 0, sha: e.sha as string }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Source files for the index builder. Contents are fetched lazily when the builder reads a file
 * (after its path and size rules have passed), in bounded parallel batches prefetched ahead.
 */
export function sourceFiles(
  octokit: Octokit,
  head: RepositoryHead,
  entries: readonly TreeEntry[],
): SourceFile[] {
  const wanted = entries.filter(needsContent);
  const listedOnly = entries.filter((e) => !needsContent(e));
  const cache = new Map<string, Promise<Uint8Array>>();
  const fetchOne = (entry: TreeEntry): Promise<Uint8Array> => {
    let p = cache.get(entry.path);
    if (!p) {
      p = octokit.rest.repos
        .getContent({
          owner: head.owner,
          repo: head.repo,
          path: entry.path,
          ref: head.sha,
          mediaType: { format: "raw" },
          request: { parseSuccessResponseBody: false },
        })
        .then(async (res) => toBytes(res.data as unknown));
      cache.set(entry.path, p);
    }
    return p;
  };
  const never = (): Uint8Array => {
    throw new Error("the index skips this file by path; its content is not fetched");
  };
  const skipped: SourceFile[] = listedOnly.map((e) => ({
    path: e.path,
    size: e.size,
    hash: e.sha,
    read: never,
  }));
  const fetched: SourceFile[] = wanted.map((entry, i) => ({
    path: entry.path,
    size: entry.size,
    hash: entry.sha,
    async read() {
      // prefetch the next few while this one is read; drop it once taken (bounded memory)
      for (const next of wanted.slice(i + 1, i + CONCURRENCY)) void fetchOne(next).catch(() => {});
      const bytes = await fetchOne(entry);
      cache.delete(entry.path);
      return bytes;
    },
  }));
  return [...fetched, ...skipped];
}

async function toBytes(body: unknown): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (typeof body === "string") return new TextEncoder().encode(body);
  if (body && typeof (body as ReadableStream).getReader === "function") {
    return new Uint8Array(await new Response(body as ReadableStream).arrayBuffer());
  }
  throw new Error("unexpected content body");
}
