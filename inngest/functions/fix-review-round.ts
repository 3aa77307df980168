import type { Inngest } from "inngest";
import { changesRequested, REVIEW_ROUND_EVENT_TYPE } from "@/lib/fixes/reviews/trigger";
import { log } from "@/lib/log";
import { inngest } from "../client";
import { webhookDeliveryReceived } from "../events";
import { fixJobDeps, fixJobLlmClient } from "../fix-job-deps";

const roundLog = log.child({ module: "inngest.fix-review-round" });

/**
 * A review round (issue 17, lib/fixes/reviews): a GitHub review asking for changes on a pull
 * request Patchline drafted → with the workspace's LLM provider, and fewer rounds than
 * `fix_settings.review_rounds_max`, a new patch with the reviewer's comments (redacted),
 * committed on top of the same branch; otherwise the request is recorded as shown. Claiming is
 * its own step and the row is unique per (pull request, review id), so the same review delivered
 * again asks nothing. The model call is one memoized step, the push another (a retried push
 * finds its own commit by its trailer). One run per workspace at a time, so two reviews never
 * take the same round.
 */
export const fixReviewRound = defineFixReviewRound(inngest);

/** The function on a given client (the app's; a test serves it on its own app id). */
export function defineFixReviewRound(client: Inngest) {
  return client.createFunction(
    {
      id: "fix-review-round",
      triggers: [
        {
          event: webhookDeliveryReceived,
          if: `event.data.provider == 'github' && event.data.eventType == '${REVIEW_ROUND_EVENT_TYPE}'`,
        },
      ],
      concurrency: { limit: 1, key: "event.data.organizationId" },
      retries: 3,
      onFailure: async ({ event, error }) => {
        // a round that still threw after its retries takes no slot and says so on the bug page
        const original = event.data.event.data as {
          organizationId: string;
          payload?: { review?: { id?: number } };
        };
        const reviewId = original.payload?.review?.id;
        if (!reviewId) return;
        const deps = await fixJobDeps(original.organizationId, "record a failed review round");
        await deps.admin
          .from("fix_review_rounds")
          .update({
            status: "failed",
            round: null,
            failure_kind: "github_error",
            failure_detail: `The round stopped after retries (${error.name}).`,
            finished_at: new Date().toISOString(),
          })
          .eq("organization_id", original.organizationId)
          .eq("github_review_id", reviewId)
          .eq("status", "running");
      },
    },
    async ({ event, step }) => {
      const data = event.data;
      if (data.provider !== "github") return { ignored: "not github" };
      const { organizationId, integrationId, deliveryId } = data;
      const review = changesRequested(data.eventType, data.payload);
      if (!review || !integrationId)
        return { ignored: "not a review asking for changes", deliveryId };

      const claim = await step.run("claim", async () => {
        const { claimRound } = await import("@/lib/fixes/reviews/round");
        const deps = await fixJobDeps(organizationId, "record a review asking for changes");
        const hasProvider = (await fixJobLlmClient(deps)) !== null;
        return claimRound(deps, integrationId, review, hasProvider);
      });
      roundLog.info(
        { organizationId, deliveryId, reviewId: review.reviewId, claim: claim.kind },
        "review asking for changes",
      );
      if (claim.kind !== "round") return { ...claim, deliveryId };

      const proposal = await step.run("propose", async () => {
        const { proposeRound } = await import("@/lib/fixes/reviews/round");
        const deps = await fixJobDeps(organizationId, "propose a review round's patch");
        return proposeRound(deps, claim, review.body, await fixJobLlmClient(deps));
      });
      if (!proposal.ok) return { kind: "failed" as const, failure: proposal.kind, deliveryId };

      const pushed = await step.run("push", async () => {
        const { pushRound } = await import("@/lib/fixes/reviews/round");
        const deps = await fixJobDeps(organizationId, "push a review round's commit");
        return pushRound(deps, claim, proposal);
      });
      if ("ok" in pushed) return { kind: "failed" as const, failure: pushed.kind, deliveryId };
      return { kind: "pushed" as const, round: claim.round, sha: pushed.sha, deliveryId };
    },
  );
}
