import type { Octokit } from "@octokit/rest";
import type { FileChange } from "./check-patch";

/**
 * The GitHub calls a fix attempt makes through the App's installation token, and only these:
 * read a file, then a new branch from the default branch, one commit (Git Data API: blobs, a tree
 * on the base tree, a commit, the ref) and a **draft** pull request with requested reviewers.
 * Never a merge, a forced ref update, a branch deletion or a settings change: a retried step
 * that finds its branch already there commits on top of it (a fast-forward) or reuses its PR.
 */

export interface RepoRef {
  owner: string;
  repo: string;
}

const statusOf = (err: unknown) => (err as { status?: number }).status;

/** A file's text at `ref`, or null when it is not there (404) or is not a file. */
export async function readFileAt(
  octokit: Octokit,
  r: RepoRef,
  path: string,
  ref: string,
): Promise<string | null> {
  try {
    const res = await octokit.rest.repos.getContent({ ...r, path, ref });
    const data = res.data as { type?: string; content?: string; encoding?: string };
    if (Array.isArray(res.data) || data.type !== "file" || data.content === undefined) return null;
    return Buffer.from(data.content, data.encoding === "base64" ? "base64" : "utf8").toString(
      "utf8",
    );
  } catch (err) {
    if (statusOf(err) === 404) return null;
    throw err;
  }
}

export async function branchHead(octokit: Octokit, r: RepoRef, branch: string) {
  try {
    const { data } = await octokit.rest.git.getRef({ ...r, ref: `heads/${branch}` });
    return data.object.sha;
  } catch (err) {
    if (statusOf(err) === 404) return null;
    throw err;
  }
}

export interface DraftPullRequest {
  number: number;
  url: string;
  headSha: string;
  branch: string;
  title: string;
  reviewers: { users: string[]; teams: string[]; refused: boolean };
}

/**
 * Commits `changes` on `branch` (created from `baseSha`, the default branch's head) and opens a
 * draft pull request against `baseBranch`, or returns the one already open for that branch.
 */
export async function openDraftPullRequest(
  octokit: Octokit,
  r: RepoRef,
  opts: {
    baseBranch: string;
    baseSha: string;
    branch: string;
    changes: readonly FileChange[];
    commitMessage: string;
    title: string;
    body: string;
    reviewers: { users: string[]; teams: string[] };
  },
): Promise<DraftPullRequest> {
  const existingHead = await branchHead(octokit, r, opts.branch);
  let headSha = existingHead;
  if (!existingHead || !(await alreadyOpen(octokit, r, opts.branch))) {
    const parent = existingHead ?? opts.baseSha;
    const { data: parentCommit } = await octokit.rest.git.getCommit({ ...r, commit_sha: parent });
    const tree = await Promise.all(
      opts.changes.map(async (c) => {
        if (c.content === null)
          return { path: c.path, mode: "100644" as const, type: "blob" as const, sha: null };
        const { data: blob } = await octokit.rest.git.createBlob({
          ...r,
          content: Buffer.from(c.content, "utf8").toString("base64"),
          encoding: "base64",
        });
        return { path: c.path, mode: "100644" as const, type: "blob" as const, sha: blob.sha };
      }),
    );
    const { data: newTree } = await octokit.rest.git.createTree({
      ...r,
      base_tree: parentCommit.tree.sha,
      tree,
    });
    const { data: commit } = await octokit.rest.git.createCommit({
      ...r,
      message: opts.commitMessage,
      tree: newTree.sha,
      parents: [parent],
    });
    if (existingHead) {
      // a fast-forward on our own branch; never `force`
      await octokit.rest.git.updateRef({ ...r, ref: `heads/${opts.branch}`, sha: commit.sha });
    } else {
      await octokit.rest.git.createRef({ ...r, ref: `refs/heads/${opts.branch}`, sha: commit.sha });
    }
    headSha = commit.sha;
  }
  let pull = await alreadyOpen(octokit, r, opts.branch);
  if (!pull) {
    const { data } = await octokit.rest.pulls.create({
      ...r,
      title: opts.title,
      body: opts.body,
      head: opts.branch,
      base: opts.baseBranch,
      draft: true,
      maintainer_can_modify: true,
    });
    pull = { number: data.number, html_url: data.html_url, head: { sha: data.head.sha } };
  }
  const reviewers = { ...opts.reviewers, refused: false };
  if (reviewers.users.length || reviewers.teams.length) {
    try {
      await octokit.rest.pulls.requestReviewers({
        ...r,
        pull_number: pull.number,
        reviewers: reviewers.users,
        team_reviewers: reviewers.teams,
      });
    } catch (err) {
      // 422: a reviewer GitHub will not request (not a collaborator, the author): the PR stands
      if (statusOf(err) !== 422) throw err;
      reviewers.refused = true;
    }
  }
  return {
    number: pull.number,
    url: pull.html_url,
    headSha: pull.head.sha || headSha || "",
    branch: opts.branch,
    title: opts.title,
    reviewers,
  };
}

async function alreadyOpen(octokit: Octokit, r: RepoRef, branch: string) {
  const { data } = await octokit.rest.pulls.list({
    ...r,
    head: `${r.owner}:${branch}`,
    state: "open",
    per_page: 1,
  });
  const p = data[0];
  return p ? { number: p.number, html_url: p.html_url, head: { sha: p.head.sha } } : null;
}

/**
 * A review round's commit: `changes` as one new commit on top of `branch`, whose head must still
 * be `expectedHead` (the commit the patch was checked against), moved by a fast-forward, never
 * `force`. A commit whose message carries `marker` already at the head is this round's own,
 * written by an earlier try of the same step: it is returned, not written twice. Null: someone
 * pushed to the branch meanwhile (the patch was made for the old head).
 */
export async function commitOnBranch(
  octokit: Octokit,
  r: RepoRef,
  opts: {
    branch: string;
    expectedHead: string;
    changes: readonly FileChange[];
    message: string;
    marker: string;
  },
): Promise<{ sha: string; reused: boolean } | null> {
  const head = await branchHead(octokit, r, opts.branch);
  if (!head) return null;
  const { data: headCommit } = await octokit.rest.git.getCommit({ ...r, commit_sha: head });
  if (headCommit.message.includes(opts.marker)) return { sha: head, reused: true };
  if (head !== opts.expectedHead) return null;
  const tree = await Promise.all(
    opts.changes.map(async (c) => {
      if (c.content === null)
        return { path: c.path, mode: "100644" as const, type: "blob" as const, sha: null };
      const { data: blob } = await octokit.rest.git.createBlob({
        ...r,
        content: Buffer.from(c.content, "utf8").toString("base64"),
        encoding: "base64",
      });
      return { path: c.path, mode: "100644" as const, type: "blob" as const, sha: blob.sha };
    }),
  );
  const { data: newTree } = await octokit.rest.git.createTree({
    ...r,
    base_tree: headCommit.tree.sha,
    tree,
  });
  const { data: commit } = await octokit.rest.git.createCommit({
    ...r,
    message: opts.message,
    tree: newTree.sha,
    parents: [head],
  });
  // a fast-forward: GitHub refuses it (422) if the branch moved since `head`; never `force`
  await octokit.rest.git.updateRef({ ...r, ref: `heads/${opts.branch}`, sha: commit.sha });
  return { sha: commit.sha, reused: false };
}
