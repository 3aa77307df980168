import type { Octokit } from "@octokit/rest";
import type { LlmClient } from "@/lib/pipeline/llm/types";
import type { FixAttemptFailureKind } from "@/lib/supabase/fix-attempts.types";
import type { SynthesizedOwners } from "../owner-synthesis";
import { parseFixAnswer } from "./answer";
import { checkPatch, type FileChange, type PatchProblem } from "./check-patch";
import { type DraftPullRequest, openDraftPullRequest, readFileAt } from "./github-writes";
import type { AttemptContext, RepositoryTarget } from "./load";
import { FIX_SYSTEM, fixPrompt } from "./prompt";
import { conventionalTitle, fixBranchName, pullRequestBody } from "./pull-request-text";
import { chooseReviewers } from "./reviewers";

/**
 * A fix attempt in two halves, so the job can memoize each (docs/fixes.md): `proposeFixes` asks the model once per repository and checks every patch
 * before anything is written to GitHub (nothing half-opened: one bad patch fails the attempt),
 * then `openFix` opens one repository's draft PR.
 */

export type Failure = { ok: false; kind: FixAttemptFailureKind; detail: string };

/** What is recorded about a model call: never the prompt or the answer. */
export interface FixCallRecord {
  task: "fix" | "revise";
  repository: string;
  provider: string;
  model: string;
  outcome: "used" | "refused" | "malformed" | "failed" | "no_fix";
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  piiRisks: string[];
  error?: string;
}

export interface Proposal {
  target: RepositoryTarget;
  summary: string;
  changes: FileChange[];
}

const MAX_FILE_BYTES = 200_000;
const FIX_MAX_TOKENS = 8000;
const splitName = (fullName: string) => {
  const [owner = "", repo = ""] = fullName.split("/");
  return { owner, repo };
};

const PATCH_KIND: Record<PatchProblem, FixAttemptFailureKind> = {
  empty: "no_fix",
  unparsable: "patch_unparsable",
  outside_repository: "patch_outside_repository",
  does_not_apply: "patch_does_not_apply",
};

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return "unknown";
  const status = (err as { status?: unknown }).status;
  return typeof status === "number" ? `${err.constructor.name} ${status}` : err.constructor.name;
}

/** One repository's patch: read the mapped files at the indexed commit, ask, check. */
export async function proposeForRepository(
  octokit: Octokit,
  llm: LlmClient,
  ctx: AttemptContext,
  target: RepositoryTarget,
): Promise<{ result: Proposal | Failure; call: FixCallRecord | null }> {
  const r = splitName(target.fullName);
  const paths = [...new Set(target.locations.map((l) => l.path))].slice(0, 5);
  const files: Array<{ path: string; content: string }> = [];
  for (const path of paths) {
    const content = await readFileAt(octokit, r, path, target.indexedSha);
    if (content !== null && Buffer.byteLength(content) <= MAX_FILE_BYTES)
      files.push({ path, content });
  }
  if (files.length === 0)
    return {
      result: {
        ok: false,
        kind: "no_locations",
        detail: `None of the mapped files of ${target.fullName} could be read at the indexed commit.`,
      },
      call: null,
    };
  const prompt = fixPrompt({
    repository: target.fullName,
    bug: ctx.bug,
    locations: target.locations,
    files,
  });
  const { result, call } = await askForPatch(llm, {
    task: "fix",
    system: FIX_SYSTEM,
    prompt,
    repository: target.fullName,
    read: async (path) => {
      const inPrompt = files.find((f) => f.path === path);
      return inPrompt ? inPrompt.content : readFileAt(octokit, r, path, target.indexedSha);
    },
  });
  if ("ok" in result) return { result, call };
  return { result: { target, ...result }, call };
}

/**
 * One model call for a patch and its check against the files as `read` returns them: the
 * answer's summary and the checked changes, or a Failure. Shared by the first fix and the review
 * rounds (lib/fixes/reviews); the record never holds the prompt or the answer.
 */
export async function askForPatch(
  llm: LlmClient,
  opts: {
    task: FixCallRecord["task"];
    system: string;
    prompt: { text: string; piiRisks: string[] };
    repository: string;
    read: (path: string) => Promise<string | null>;
  },
): Promise<{ result: { summary: string; changes: FileChange[] } | Failure; call: FixCallRecord }> {
  const started = performance.now();
  const call: FixCallRecord = {
    task: opts.task,
    repository: opts.repository,
    provider: llm.provider,
    model: llm.model,
    outcome: "failed",
    inputTokens: 0,
    outputTokens: 0,
    latencyMs: 0,
    piiRisks: opts.prompt.piiRisks,
  };
  let completion: Awaited<ReturnType<LlmClient["complete"]>>;
  try {
    completion = await llm.complete({
      system: opts.system,
      user: opts.prompt.text,
      maxTokens: FIX_MAX_TOKENS,
    });
  } catch (err) {
    call.latencyMs = Math.round(performance.now() - started);
    call.error = describeError(err);
    return {
      result: {
        ok: false,
        kind: "llm_failed",
        detail: `The LLM provider did not answer (${call.error}).`,
      },
      call,
    };
  }
  Object.assign(call, {
    latencyMs: Math.round(performance.now() - started),
    model: completion.model,
    inputTokens: completion.inputTokens,
    outputTokens: completion.outputTokens,
  });
  if (completion.refused) {
    call.outcome = "refused";
    return {
      result: { ok: false, kind: "llm_refused", detail: "The model declined to propose a patch." },
      call,
    };
  }
  const answer = parseFixAnswer(completion.text);
  if (!answer) {
    call.outcome = "malformed";
    return {
      result: {
        ok: false,
        kind: "llm_malformed",
        detail: "The model's answer was not the patch asked for.",
      },
      call,
    };
  }
  const check = await checkPatch(answer.diff, opts.read);
  call.outcome = !check.ok && check.reason === "empty" ? "no_fix" : "used";
  if (!check.ok)
    return {
      result: { ok: false, kind: PATCH_KIND[check.reason], detail: check.detail },
      call,
    };
  return { result: { summary: answer.summary, changes: check.changes }, call };
}

/**
 * Opens one repository's draft PR: the patch re-applied to the default branch's head (the
 * change was checked at the indexed commit; if the file moved on since, it must still apply),
 * reviewers from CODEOWNERS else history, the Conventional Commits title and the body.
 */
export async function openFix(
  octokit: Octokit,
  ctx: AttemptContext,
  proposal: Proposal,
  opts: { appLogin: string; bugUrl: string; storedOwners?: SynthesizedOwners | null },
): Promise<DraftPullRequest | Failure> {
  const { target } = proposal;
  const r = splitName(target.fullName);
  const { data: head } = await octokit.rest.git.getRef({
    ...r,
    ref: `heads/${target.defaultBranch}`,
  });
  const baseSha = head.object.sha;
  const changes: FileChange[] = [];
  for (const change of proposal.changes) {
    if (baseSha === target.indexedSha) {
      changes.push(change);
      continue;
    }
    const [atIndex, atHead] = await Promise.all([
      readFileAt(octokit, r, change.path, target.indexedSha),
      readFileAt(octokit, r, change.path, baseSha),
    ]);
    if (atIndex !== atHead)
      return {
        ok: false,
        kind: "patch_does_not_apply",
        detail: `${change.path} changed on ${target.defaultBranch} since it was indexed; the patch was checked against the indexed commit. Re-index, then retry.`,
      };
    changes.push(change);
  }
  const paths = changes.map((c) => c.path);
  const reviewers = await chooseReviewers(
    octokit,
    r,
    baseSha,
    paths,
    opts.appLogin,
    new Date(),
    opts.storedOwners ?? null,
  );
  const title = conventionalTitle(ctx.bug.title, paths);
  const body = pullRequestBody({
    bugTitle: ctx.bug.title,
    severity: ctx.bug.severity,
    expected: ctx.bug.expected,
    actual: ctx.bug.actual,
    steps: ctx.bug.steps,
    changeSummary: proposal.summary,
    changedPaths: paths,
    locations: target.locations,
    tickets: ctx.tickets,
    customerNames: ctx.customerNames,
    reviewersFrom: reviewers.from,
    bugUrl: opts.bugUrl,
  });
  return openDraftPullRequest(octokit, r, {
    baseBranch: target.defaultBranch,
    baseSha,
    branch: fixBranchName(ctx.bugId, ctx.bug.title),
    changes,
    commitMessage: `${title}\n\nDrafted by Patchline from a mapped bug; see the pull request for details.`,
    title,
    body,
    reviewers: { users: reviewers.users, teams: reviewers.teams },
  });
}
