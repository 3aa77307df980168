import type { Octokit } from "@octokit/rest";
import type { SupabaseClient } from "@supabase/supabase-js";
import { loadRepository } from "@/lib/pipeline/jobs/code-index-store";
import { repositoryHead, splitFullName } from "@/lib/pipeline/jobs/github-source";
import type { Database } from "@/lib/supabase/database.types";
import type { RepositoryOwnersTables } from "@/lib/supabase/repository-owners.types";
import { readFileAt } from "../attempts/github-writes";
import { CODEOWNERS_LOCATIONS } from "../codeowners";
import { type CommitRecord, coAuthors, isBot, SYNTHESIS_WINDOW_DAYS } from "../owner-synthesis";
import {
  type HistoryEntry,
  mergeHistory,
  parseHistory,
  synthesizeFromHistory,
  toHistoryEntry,
  toStoredHistory,
} from "./history";
import { toStoredOwners } from "./stored";

/**
 * The owner-synthesis job for one repository at one commit (docs/fixes.md): when the commit has
 * a CODEOWNERS file, that fact is stored and nothing is synthesised (reviewers come from the
 * file); otherwise the last 365 days of commits are listed through the GitHub App a page at a
 * time, each commit's changed files read, progress written after every page, and the owners per
 * path stored with the window's history. A re-run reads only the commits that history lacks and
 * re-scores the window at its own time. A second run at the commit already done does nothing.
 */

export interface SynthesisOutcome {
  status: "synthesized" | "codeowners" | "unchanged" | "not-selected";
  commit?: string;
  /** Whether only the commits since the last synthesised one were read. */
  incremental?: boolean;
  pages?: number;
  commits?: number;
  paths?: number;
}

const DAY_MS = 86_400_000;
const PER_PAGE = 100;
/** Commits read at most (a very busy repository's last year is plenty at that). */
export const MAX_SYNTHESIS_COMMITS = 5000;
/** Commit detail requests in flight at once. */
const CONCURRENCY = 8;

type Admin = SupabaseClient<Database>;

function fail(what: string, error: { message: string; code?: string }): never {
  throw new Error(`${what}: ${error.code ?? ""} ${error.message}`);
}

async function write(
  admin: Admin,
  organizationId: string,
  repositoryId: string,
  patch: RepositoryOwnersTables["repository_owners"]["Update"],
) {
  const { error } = await admin
    .from("repository_owners")
    .update(patch)
    .eq("organization_id", organizationId)
    .eq("repository_id", repositoryId);
  if (error) fail("write repository owners", error);
}

/** Runs `fn` over `items`, `limit` at a time, keeping the order of results. */
async function mapLimited<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>) {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** GitHub's count of the commits a listing will return: the `rel="last"` page at one per page. */
async function countCommits(
  octokit: Octokit,
  r: { owner: string; repo: string },
  sha: string,
  since: Date,
): Promise<number | null> {
  try {
    const res = await octokit.rest.repos.listCommits({
      ...r,
      sha,
      since: since.toISOString(),
      per_page: 1,
    });
    const last = /<[^>]*[?&]page=(\d+)[^>]*>;\s*rel="last"/.exec(res.headers.link ?? "");
    return last ? Number(last[1]) : res.data.length;
  } catch {
    return null; // progress without a total is still progress
  }
}

/**
 * The Compare API's answer for `base...head`: how many commits `head` has that `base` lacks, and
 * whether `head` still contains `base` (`ahead`/`identical`); null when it cannot compare.
 */
async function compareWithLast(
  octokit: Octokit,
  r: { owner: string; repo: string },
  base: string,
  head: string,
): Promise<{ total: number; contains: boolean } | null> {
  try {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      ...r,
      basehead: `${base}...${head}`,
      per_page: 1,
    });
    return {
      total: data.total_commits,
      contains: data.status === "ahead" || data.status === "identical",
    };
  } catch {
    return null;
  }
}

export async function synthesizeRepositoryOwners(
  admin: Admin,
  /** An Octokit acting as the repository's installation (its integration id). */
  octokitFor: (integrationId: string) => Promise<Octokit>,
  organizationId: string,
  repositoryId: string,
  commit?: string,
  now = new Date(),
): Promise<SynthesisOutcome> {
  const repo = await loadRepository(admin, organizationId, repositoryId);
  if (!repo?.selected) return { status: "not-selected" };
  const octokit = await octokitFor(repo.integration_id);
  const sha = commit ?? (await repositoryHead(octokit, repo.full_name, repo.default_branch)).sha;

  const { data: existing, error: readError } = await admin
    .from("repository_owners")
    .select("status, commit_sha, synthesized_sha, history")
    .eq("organization_id", organizationId)
    .eq("repository_id", repositoryId)
    .maybeSingle();
  if (readError) fail("read repository owners", readError);
  if (existing?.status === "done" && existing.commit_sha === sha)
    return { status: "unchanged", commit: sha };

  // the last result stays readable (owners, history, synthesized_*) while this run works
  const { error: startError } = await admin.from("repository_owners").upsert(
    {
      organization_id: organizationId,
      repository_id: repositoryId,
      commit_sha: sha,
      status: "running",
      codeowners_path: null,
      pages_read: 0,
      commits_counted: 0,
      commits_total: null,
      error: null,
      started_at: now.toISOString(),
      finished_at: null,
    },
    { onConflict: "repository_id" },
  );
  if (startError) fail("start owner synthesis", startError);

  const r = splitFullName(repo.full_name);
  try {
    for (const location of CODEOWNERS_LOCATIONS) {
      if ((await readFileAt(octokit, r, location, sha)) === null) continue;
      await write(admin, organizationId, repositoryId, {
        status: "done",
        codeowners_path: location,
        owners: {},
        history: [],
        synthesized_sha: null,
        synthesized_at: null,
        finished_at: new Date().toISOString(),
      });
      return { status: "codeowners", commit: sha };
    }

    const since = new Date(now.getTime() - SYNTHESIS_WINDOW_DAYS * DAY_MS);
    // a re-run reads only the commits the stored window lacks (docs/fixes.md), but only while the
    // branch still contains the last synthesised commit: after a force-push the stored window may
    // hold commits the branch no longer has, so the year is read again
    const lastSha = existing?.synthesized_sha ?? null;
    const compared = lastSha ? await compareWithLast(octokit, r, lastSha, sha) : null;
    const stored = compared?.contains ? parseHistory(existing?.history) : [];
    const incremental = lastSha !== null && stored.length > 0;
    const prior = incremental ? stored : [];
    const known = new Set(prior.map((e) => e.sha));
    const total = incremental
      ? (compared?.total ?? null)
      : await countCommits(octokit, r, sha, since);
    if (total !== null)
      await write(admin, organizationId, repositoryId, {
        commits_total: Math.min(total, MAX_SYNTHESIS_COMMITS),
      });

    const fresh: HistoryEntry[] = [];
    let pages = 0;
    let read = 0;
    const listing = octokit.paginate.iterator(octokit.rest.repos.listCommits, {
      ...r,
      sha,
      since: since.toISOString(),
      per_page: PER_PAGE,
    });
    for await (const { data } of listing) {
      pages++;
      const recent = data.filter((c) => new Date(c.commit.author?.date ?? 0) >= since);
      const unseen = recent.filter((c) => !known.has(c.sha));
      const records = await mapLimited(unseen, CONCURRENCY, async (c) => {
        const author = {
          name: c.commit.author?.name ?? "",
          email: c.commit.author?.email ?? "",
          login: c.author?.login ?? null,
        };
        // a bot's commit without human co-authors credits nobody: no need for its files
        const credited = !isBot(author) || coAuthors(c.commit.message).length > 0;
        const files = credited
          ? ((await octokit.rest.repos.getCommit({ ...r, ref: c.sha })).data.files ?? []).map(
              (f) => f.filename,
            )
          : [];
        return toHistoryEntry({
          sha: c.sha,
          authoredAt: c.commit.author?.date ?? now.toISOString(),
          author,
          message: c.commit.message,
          files,
        } satisfies CommitRecord);
      });
      fresh.push(...records);
      read += records.length;
      await write(admin, organizationId, repositoryId, {
        pages_read: pages,
        commits_counted: read,
      });
      // GitHub filters by `since`; stop anyway once a whole page is older (or at the cap), and a
      // re-run once it reaches the commits it already has
      if (recent.length === 0 || read >= MAX_SYNTHESIS_COMMITS) break;
      if (incremental && (recent.some((c) => c.sha === lastSha) || unseen.length === 0)) break;
    }

    const window = mergeHistory(prior, fresh, now);
    const result = synthesizeFromHistory(window, now);
    await write(admin, organizationId, repositoryId, {
      status: "done",
      owners: toStoredOwners(result),
      history: toStoredHistory(window),
      synthesized_sha: sha,
      synthesized_at: now.toISOString(),
      commits_total: read,
      finished_at: new Date().toISOString(),
    });
    return {
      status: "synthesized",
      commit: sha,
      incremental,
      pages,
      commits: read,
      paths: result.byPath.size,
    };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await write(admin, organizationId, repositoryId, {
      status: "failed",
      error: message.slice(0, 500) || "failed",
      finished_at: new Date().toISOString(),
    }).catch(() => {});
    throw err;
  }
}
