import "server-only";
import type { Octokit } from "@octokit/rest";
import type { SupabaseClient } from "@supabase/supabase-js";
import { log } from "@/lib/log";
import type { LlmClient } from "@/lib/pipeline/llm/types";
import { redactPii } from "@/lib/pipeline/redact";
import type { Database, Json } from "@/lib/supabase/database.types";
import type {
  FixReviewRoundFailureKind,
  FixReviewRoundReason,
} from "@/lib/supabase/fix-review-rounds.types";
import type { FileChange } from "../attempts/check-patch";
import { commitOnBranch, readFileAt } from "../attempts/github-writes";
import { loadAttemptContext } from "../attempts/load";
import { askForPatch, type Failure, type FixCallRecord } from "../attempts/run";
import { fixSettingsFromRow } from "../settings";
import { REVISE_SYSTEM, type ReviewComment, revisePrompt } from "./prompt";
import type { ChangesRequested } from "./trigger";

/**
 * A review round (docs/fixes.md): a review asking for changes on a pull request Patchline drafted
 * → a new commit on the same branch, in three steps the job memoizes: `claimRound` records the
 * review once (the row is the idempotency key) and decides whether it gets a round (a provider,
 * and fewer rounds than the workspace allows) or is only shown; `proposeRound` asks the model with
 * the files as they are on the branch and the reviewer's comments (redacted) and checks the patch;
 * `pushRound` commits it on top of the branch (a fast-forward, never a force-push). Every query is
 * scoped by the organization; only call records are logged.
 */

const roundLog = log.child({ module: "fix-review-round" });

export interface RoundDeps {
  admin: SupabaseClient<Database>;
  organizationId: string;
  octokitFor(integrationId: string): Promise<Octokit>;
}

export interface RoundTarget {
  roundId: string;
  round: number;
  max: number;
  bugId: string;
  pullRequestId: string;
  number: number;
  branch: string;
  repositoryId: string;
  fullName: string;
  integrationId: string;
  defaultBranch: string;
  reviewId: number;
  reviewer: string;
}

export type ClaimOutcome =
  | { kind: "ignored"; why: string }
  | { kind: "duplicate" }
  | { kind: "shown"; reason: FixReviewRoundReason; roundId: string }
  | ({ kind: "round" } & RoundTarget);

function fail(what: string, error: { message: string; code?: string }): never {
  throw new Error(`${what}: ${error.code ?? ""} ${error.message}`);
}

const splitName = (fullName: string) => {
  const [owner = "", repo = ""] = fullName.split("/");
  return { owner, repo };
};

/**
 * Records the review once per (pull request, review id) and decides: a round (numbered after the
 * rounds already taken), or shown only (no provider, limit reached). Reviews on pull requests
 * Patchline did not draft, or that are merged or closed, are ignored: the review state on the
 * bug page already shows them.
 */
export async function claimRound(
  deps: RoundDeps,
  integrationId: string,
  review: ChangesRequested,
  hasProvider: boolean,
): Promise<ClaimOutcome> {
  const { admin, organizationId } = deps;
  const { data: repo, error: repoError } = await admin
    .from("integration_repositories")
    .select("id, full_name, default_branch")
    .eq("organization_id", organizationId)
    .eq("integration_id", integrationId)
    .eq("github_repository_id", review.githubRepositoryId)
    .maybeSingle();
  if (repoError) fail("read repository", repoError);
  if (!repo) return { kind: "ignored", why: "repository not connected" };
  const { data: prs, error: prError } = await admin
    .from("pull_requests")
    .select("id, bug_id, origin, state, head_branch")
    .eq("organization_id", organizationId)
    .eq("repository_id", repo.id)
    .eq("number", review.number);
  if (prError) fail("read pull requests", prError);
  const pr = (prs ?? []).find((p) => p.origin === "drafted");
  if (!pr) return { kind: "ignored", why: "not a pull request Patchline drafted" };
  if (pr.state !== "draft" && pr.state !== "open")
    return { kind: "ignored", why: `pull request is ${pr.state}` };
  if (!pr.head_branch) return { kind: "ignored", why: "pull request has no branch on record" };

  const { data: existing, error: existingError } = await admin
    .from("fix_review_rounds")
    .select("id")
    .eq("organization_id", organizationId)
    .eq("pull_request_id", pr.id)
    .eq("github_review_id", review.reviewId)
    .maybeSingle();
  if (existingError) fail("read review rounds", existingError);
  if (existing) return { kind: "duplicate" };

  const { data: settingsRow, error: settingsError } = await admin
    .from("fix_settings")
    .select("*")
    .eq("organization_id", organizationId)
    .maybeSingle();
  if (settingsError) fail("read fix settings", settingsError);
  const max = fixSettingsFromRow(settingsRow).reviewRoundsMax;

  const base = {
    organization_id: organizationId,
    bug_id: pr.bug_id,
    pull_request_id: pr.id,
    github_review_id: review.reviewId,
    reviewer: review.reviewer.slice(0, 100),
  };
  for (let attempt = 1; attempt <= 5; attempt++) {
    const { count, error: countError } = await admin
      .from("fix_review_rounds")
      .select("id", { count: "exact", head: true })
      .eq("organization_id", organizationId)
      .eq("pull_request_id", pr.id)
      .not("round", "is", null);
    if (countError) fail("count review rounds", countError);
    const used = count ?? 0;
    const reason: FixReviewRoundReason | null = !hasProvider
      ? "no_provider"
      : used >= max
        ? "limit_reached"
        : null;
    const row: Database["public"]["Tables"]["fix_review_rounds"]["Insert"] = reason
      ? { ...base, status: "shown", reason, finished_at: new Date().toISOString() }
      : { ...base, status: "running", round: used + 1 };
    const { data, error } = await admin.from("fix_review_rounds").insert(row).select("id").single();
    if (error?.code === "23505") {
      // the same review recorded meanwhile: nothing to do; round n taken meanwhile: count again
      if (error.message.includes("fix_review_rounds_review_key")) return { kind: "duplicate" };
      continue;
    }
    if (error || !data) fail("record review round", error ?? { message: "no row" });
    if (reason) return { kind: "shown", reason, roundId: data.id };
    return {
      kind: "round",
      roundId: data.id,
      round: used + 1,
      max,
      bugId: pr.bug_id,
      pullRequestId: pr.id,
      number: review.number,
      branch: pr.head_branch,
      repositoryId: repo.id,
      fullName: repo.full_name,
      integrationId,
      defaultBranch: repo.default_branch ?? "main",
      reviewId: review.reviewId,
      reviewer: review.reviewer,
    };
  }
  throw new Error("review rounds kept changing; retrying the delivery");
}

/** Ends a round as failed: it takes no slot, so the next review may try again. */
export async function failRound(
  admin: SupabaseClient<Database>,
  organizationId: string,
  roundId: string,
  failure: { kind: FixReviewRoundFailureKind; detail: string },
  calls: FixCallRecord[] = [],
): Promise<void> {
  const { error } = await admin
    .from("fix_review_rounds")
    .update({
      status: "failed",
      round: null,
      failure_kind: failure.kind,
      failure_detail: failure.detail.slice(0, 1000),
      ...(calls.length ? { llm_call: { calls } as unknown as Json } : {}),
      finished_at: new Date().toISOString(),
    })
    .eq("organization_id", organizationId)
    .eq("id", roundId)
    .eq("status", "running");
  if (error) fail("record failed review round", error);
}

export type RoundProposal = {
  ok: true;
  headSha: string;
  summary: string;
  changes: FileChange[];
};

const MAX_FILES = 8;
const MAX_FILE_BYTES = 200_000;

/** The reviewer's words: the review's body and its inline comments (a 404 means none). */
async function reviewComments(
  octokit: Octokit,
  r: { owner: string; repo: string },
  t: RoundTarget,
  body: string,
): Promise<ReviewComment[]> {
  const comments: ReviewComment[] = [];
  if (body.trim()) comments.push({ author: t.reviewer, body });
  try {
    const { data } = await octokit.rest.pulls.listCommentsForReview({
      ...r,
      pull_number: t.number,
      review_id: t.reviewId,
      per_page: 50,
    });
    for (const c of data)
      comments.push({
        author: c.user?.login ?? t.reviewer,
        body: c.body,
        path: c.path,
        line: c.line ?? c.original_line ?? null,
      });
  } catch (err) {
    if ((err as { status?: number }).status !== 404) throw err;
  }
  return comments;
}

/**
 * Asks the model for the round's patch against the branch as it is now: the mapped files and
 * the files the pull request already changes (its test among them), with the review's comments.
 * A Failure ends the round (failed, no slot taken).
 */
export async function proposeRound(
  deps: RoundDeps,
  t: RoundTarget,
  reviewBody: string,
  llm: LlmClient | null,
): Promise<RoundProposal | Failure> {
  const { admin, organizationId } = deps;
  const finish = async (f: Failure, calls: FixCallRecord[] = []) => {
    const kind = f.kind === "no_provider" || f.kind === "no_locations" ? "no_fix" : f.kind;
    await failRound(admin, organizationId, t.roundId, { kind, detail: f.detail }, calls);
    return f;
  };
  if (!llm)
    return finish({
      ok: false,
      kind: "no_provider",
      detail: "The workspace's LLM provider was removed before the round ran.",
    });
  const ctx = await loadAttemptContext(admin, organizationId, t.bugId, {
    keepRepositoryId: t.repositoryId,
  });
  if (!ctx) return finish({ ok: false, kind: "no_locations", detail: "The bug is gone." });
  const target = ctx.repositories.find((x) => x.repositoryId === t.repositoryId);
  const octokit = await deps.octokitFor(t.integrationId);
  const r = splitName(t.fullName);
  const { data: ref } = await octokit.rest.git.getRef({ ...r, ref: `heads/${t.branch}` });
  const headSha = ref.object.sha;
  const { data: compared } = await octokit.rest.repos.compareCommitsWithBasehead({
    ...r,
    basehead: `${t.defaultBranch}...${headSha}`,
  });
  const paths = [
    ...new Set([
      ...(target?.locations ?? []).map((l) => l.path),
      ...(compared.files ?? []).filter((f) => f.status !== "removed").map((f) => f.filename),
    ]),
  ].slice(0, MAX_FILES);
  const files: Array<{ path: string; content: string }> = [];
  for (const path of paths) {
    const content = await readFileAt(octokit, r, path, headSha);
    if (content !== null && Buffer.byteLength(content) <= MAX_FILE_BYTES)
      files.push({ path, content });
  }
  const comments = await reviewComments(octokit, r, t, reviewBody);
  const prompt = revisePrompt({
    repository: t.fullName,
    round: t.round,
    bug: ctx.bug,
    locations: target?.locations ?? [],
    files,
    comments,
  });
  const { result, call } = await askForPatch(llm, {
    task: "revise",
    system: REVISE_SYSTEM,
    prompt,
    repository: t.fullName,
    read: async (path) => {
      const inPrompt = files.find((f) => f.path === path);
      return inPrompt ? inPrompt.content : readFileAt(octokit, r, path, headSha);
    },
  });
  const { inputTokens, outputTokens, ...rest } = call;
  roundLog.info(
    {
      organizationId,
      bugId: t.bugId,
      round: t.round,
      llm: { ...rest, usage: { input: inputTokens, output: outputTokens } },
    },
    `llm revise: ${call.outcome}`,
  );
  if ("ok" in result)
    return finish({ ...result, detail: `${t.fullName}: ${result.detail}` }, [call]);
  const { error } = await admin
    .from("fix_review_rounds")
    .update({ llm_call: { calls: [call] } as unknown as Json })
    .eq("organization_id", organizationId)
    .eq("id", t.roundId);
  if (error) fail("record review round call", error);
  return { ok: true, headSha, summary: result.summary, changes: result.changes };
}

/** The trailer that makes a retried push find its own commit instead of writing a second one. */
export const reviewMarker = (reviewId: number) => `Patchline-Review: ${reviewId}`;

/** Commits the round's patch on top of the branch and records it; a moved branch fails the round. */
export async function pushRound(
  deps: RoundDeps,
  t: RoundTarget,
  proposal: RoundProposal,
): Promise<{ sha: string } | Failure> {
  const { admin, organizationId } = deps;
  const octokit = await deps.octokitFor(t.integrationId);
  const summary = redactPii(proposal.summary).text.slice(0, 2000);
  const pushed = await commitOnBranch(octokit, splitName(t.fullName), {
    branch: t.branch,
    expectedHead: proposal.headSha,
    changes: proposal.changes,
    message: `fix: address review by @${t.reviewer} (round ${t.round})\n\n${summary}\n\n${reviewMarker(t.reviewId)}`,
    marker: reviewMarker(t.reviewId),
  });
  if (!pushed) {
    const f: Failure = {
      ok: false,
      kind: "patch_does_not_apply",
      detail: `${t.branch} moved while the patch was made; the next review asking for changes tries again.`,
    };
    await failRound(admin, organizationId, t.roundId, {
      kind: "patch_does_not_apply",
      detail: f.detail,
    });
    return f;
  }
  const { error } = await admin
    .from("fix_review_rounds")
    .update({ status: "pushed", commit_sha: pushed.sha, finished_at: new Date().toISOString() })
    .eq("organization_id", organizationId)
    .eq("id", t.roundId);
  if (error) fail("record pushed review round", error);
  return { sha: pushed.sha };
}
