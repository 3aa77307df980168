import type { Inngest } from "inngest";
import { log } from "@/lib/log";
import { inngest } from "../client";
import { bugMapped, fixAttemptRequested } from "../events";
import { fixJobDeps, fixJobLlmClient } from "../fix-job-deps";

const fixLog = log.child({ module: "inngest.fix-attempt" });

/**
 * A fix attempt (issue 17, lib/fixes/attempts): `fix/attempt.requested` (a person's click) or
 * `bug/mapped` at or above the workspace's auto-fix threshold → the mapped files read at the
 * indexed commit through the GitHub App → the workspace's LLM asked for a patch and a test per
 * repository → every patch checked (applies exactly, only that repository's files) → one draft PR
 * per repository on a new branch, reviewers from CODEOWNERS else history → `pull_requests`. The
 * model call is not deterministic, so proposing is one memoized step; each PR is its own step,
 * and a retried one finds its branch and PR again. One attempt per bug at a time.
 */
export const fixAttemptFunction = defineFixAttempt(inngest);

/** The function on a given client (the app's; a test serves it on its own app id). */
export function defineFixAttempt(client: Inngest) {
  return client.createFunction(
    {
      id: "fix-attempt",
      triggers: [fixAttemptRequested, bugMapped],
      concurrency: [
        { limit: 1, key: "event.data.bugId" },
        { limit: 2, key: "event.data.organizationId" },
      ],
      retries: 3,
      onFailure: async ({ event, error }) => {
        const original = event.data.event.data as { organizationId: string; bugId: string };
        const deps = await fixJobDeps(original.organizationId, "record a failed fix attempt");
        // whatever the step, the person sees that it failed and can retry
        await deps.admin
          .from("fix_attempts")
          .update({
            status: "failed",
            failure_kind: "github_error",
            failure_detail: `The attempt stopped after retries (${error.name}). Retry it from the bug page.`,
            progress: null,
            finished_at: new Date().toISOString(),
          })
          .eq("organization_id", original.organizationId)
          .eq("bug_id", original.bugId)
          .in("status", ["queued", "running"]);
      },
    },
    async ({ event, step }) => {
      const { organizationId, bugId } = event.data;
      const requested = "attemptId" in event.data ? event.data.attemptId : null;
      const attemptId = await step.run("claim", async () => {
        const { claimAttempt } = await import("@/lib/fixes/attempts/job");
        const deps = await fixJobDeps(organizationId, "claim a fix attempt");
        const hasProvider = requested ? true : (await fixJobLlmClient(deps)) !== null;
        return claimAttempt(deps, bugId, requested, hasProvider);
      });
      if (!attemptId) return { kind: "skipped" as const };

      const proposed = await step.run("propose", async () => {
        const { proposeAll } = await import("@/lib/fixes/attempts/job");
        const deps = await fixJobDeps(organizationId, "propose a fix");
        return proposeAll(deps, bugId, attemptId, await fixJobLlmClient(deps));
      });
      if (!proposed.ok) {
        fixLog.info(
          { organizationId, bugId, attemptId, failure: proposed.kind },
          "fix attempt failed",
        );
        return { kind: "failed" as const, failure: proposed.kind };
      }

      const opened: Array<{ number: number; url: string }> = [];
      for (const proposal of proposed.proposals) {
        const pr = await step.run(`open-pr-${proposal.target.repositoryId}`, async () => {
          const [{ openOne }, { serverEnv, siteUrl }] = await Promise.all([
            import("@/lib/fixes/attempts/job"),
            import("@/lib/env"),
          ]);
          const deps = await fixJobDeps(organizationId, "open a draft pull request");
          const { data: org } = await deps.admin
            .from("organizations")
            .select("slug")
            .eq("id", organizationId)
            .single();
          return openOne(deps, bugId, attemptId, proposal, {
            appLogin: `${serverEnv().GITHUB_APP_SLUG ?? "patchline"}[bot]`,
            bugUrl: `${siteUrl()}/${org?.slug ?? ""}/bugs/${bugId}`,
          });
        });
        if ("ok" in pr) return { kind: "failed" as const, failure: pr.kind };
        opened.push(pr);
      }

      await step.run("finish", async () => {
        const store = await import("@/lib/fixes/attempts/store");
        const deps = await fixJobDeps(organizationId, "finish a fix attempt");
        await store.finishAttempt(deps.admin, organizationId, attemptId, { ok: true });
      });
      fixLog.info(
        { organizationId, bugId, attemptId, pullRequests: opened.length },
        "fix attempt opened draft pull requests",
      );
      return { kind: "opened" as const, pullRequests: opened };
    },
  );
}
