import "server-only";
import type { Octokit } from "@octokit/rest";
import type { SupabaseClient } from "@supabase/supabase-js";
import { log } from "@/lib/log";
import type { LlmClient } from "@/lib/pipeline/llm/types";
import type { Database, Json } from "@/lib/supabase/database.types";
import { loadStoredOwners } from "../owners/stored";
import { fixSettingsFromRow } from "../settings";
import { loadAttemptContext } from "./load";
import {
  type Failure,
  type FixCallRecord,
  openFix,
  type Proposal,
  proposeForRepository,
} from "./run";
import * as store from "./store";

/**
 * The fix-attempt job's steps (inngest/functions/fix-attempt.ts) as plain functions: claim the
 * attempt, propose every repository's patch, open each draft PR, finish. Every query is scoped by
 * the organization the event named. Only call records are logged (never prompts, answers or
 * ticket text).
 */

const attemptLog = log.child({ module: "fix-attempt" });

export interface JobDeps {
  admin: SupabaseClient<Database>;
  organizationId: string;
  octokitFor(integrationId: string): Promise<Octokit>;
}

/**
 * The attempt this run works on, now running, or null: for `bug/mapped`, only when the bug's
 * mapping confidence reaches the workspace's auto-fix threshold and an LLM provider is set.
 */
export async function claimAttempt(
  deps: JobDeps,
  bugId: string,
  attemptId: string | null,
  hasProvider: boolean,
): Promise<string | null> {
  const { admin, organizationId } = deps;
  let id = attemptId;
  if (!id) {
    if (!hasProvider) return null; // offline: the bug page offers the fix brief instead
    const [{ data: settings }, { data: bug }] = await Promise.all([
      admin.from("fix_settings").select("*").eq("organization_id", organizationId).maybeSingle(),
      admin
        .from("bugs")
        .select("status, mapping_confidence")
        .eq("organization_id", organizationId)
        .eq("id", bugId)
        .maybeSingle(),
    ]);
    const threshold = fixSettingsFromRow(settings).autoFixThreshold;
    if (bug?.status !== "mapped" || Number(bug.mapping_confidence ?? 0) < threshold) return null;
    id = await store.createAutoAttempt(admin, organizationId, bugId);
    if (!id) return null;
  }
  return (await store.markRunning(admin, organizationId, id)) ? id : null;
}

export type ProposeOutcome = { ok: true; proposals: Proposal[] } | Failure;

export async function proposeAll(
  deps: JobDeps,
  bugId: string,
  attemptId: string,
  llm: LlmClient | null,
): Promise<ProposeOutcome> {
  const { admin, organizationId } = deps;
  const finish = async (f: Failure, calls: FixCallRecord[] = []) => {
    if (calls.length)
      await store.setProgress(admin, organizationId, attemptId, "Done", {
        calls,
      } as unknown as Json);
    await store.finishAttempt(admin, organizationId, attemptId, f);
    return f;
  };
  if (!llm)
    return finish({
      ok: false,
      kind: "no_provider",
      detail:
        "No LLM provider is set for this workspace, so Patchline proposes no patch. Use the fix brief, or set a provider in Settings.",
    });
  const ctx = await loadAttemptContext(admin, organizationId, bugId);
  if (ctx?.bug.status !== "mapped")
    return finish({
      ok: false,
      kind: "no_locations",
      detail: "Only a Mapped Bug gets a fix attempt.",
    });
  if (ctx.repositories.length === 0)
    return finish({
      ok: false,
      kind: "no_locations",
      detail: ctx.alreadyInPullRequest.length
        ? `Every mapped repository already has a pull request for this bug (${ctx.alreadyInPullRequest.join(", ")}).`
        : "The bug has no mapped location in a connected repository.",
    });
  const proposals: Proposal[] = [];
  const calls: FixCallRecord[] = [];
  for (const target of ctx.repositories) {
    await store.setProgress(
      admin,
      organizationId,
      attemptId,
      `Asking ${llm.provider} for a patch to ${target.fullName}`,
    );
    const octokit = await deps.octokitFor(target.integrationId);
    const { result, call } = await proposeForRepository(octokit, llm, ctx, target);
    if (call) {
      calls.push(call);
      const { inputTokens, outputTokens, ...rest } = call;
      attemptLog.info(
        {
          organizationId,
          bugId,
          llm: { ...rest, usage: { input: inputTokens, output: outputTokens } },
        },
        `llm fix: ${call.outcome}`,
      );
    }
    if ("ok" in result)
      return finish({ ...result, detail: `${target.fullName}: ${result.detail}` }, calls);
    proposals.push(result);
  }
  await store.setProgress(admin, organizationId, attemptId, "Patches checked", {
    calls,
  } as unknown as Json);
  return { ok: true, proposals };
}

/** Opens one proposal's draft PR and records it; a Failure finishes the attempt. */
export async function openOne(
  deps: JobDeps,
  bugId: string,
  attemptId: string,
  proposal: Proposal,
  opts: { appLogin: string; bugUrl: string },
): Promise<{ number: number; url: string } | Failure> {
  const { admin, organizationId } = deps;
  await store.setProgress(
    admin,
    organizationId,
    attemptId,
    `Opening a draft pull request on ${proposal.target.fullName}`,
  );
  const ctx = await loadAttemptContext(admin, organizationId, bugId);
  if (!ctx) return { ok: false, kind: "no_locations", detail: "The bug is gone." };
  const octokit = await deps.octokitFor(proposal.target.integrationId);
  const storedOwners = await loadStoredOwners(admin, organizationId, proposal.target.repositoryId);
  const pr = await openFix(octokit, ctx, proposal, { ...opts, storedOwners });
  if ("ok" in pr) {
    await store.finishAttempt(admin, organizationId, attemptId, pr);
    return pr;
  }
  await store.recordDraftPullRequest(
    admin,
    organizationId,
    bugId,
    proposal.target.repositoryId,
    pr,
  );
  return { number: pr.number, url: pr.url };
}
