"use server";

import { revalidatePath } from "next/cache";
import { orgAction } from "@/lib/auth/guards";
import { orgRoutes } from "@/lib/auth/routes";
import {
  linkPullRequest as link,
  unlinkPullRequest as unlink,
} from "@/lib/fixes/pull-requests/link";
import { linkPullRequestInput, unlinkPullRequestInput } from "@/lib/fixes/pull-requests/reference";

/**
 * Links an existing pull request (URL, owner/repo#n, or a number with its repository) to a bug:
 * members and up (bugs.write). GitHub is asked through the GitHub App; from then on the PR's CI
 * and review state follow GitHub's deliveries (inngest/functions/github-pr-activity.ts).
 */
export const linkPullRequest = orgAction(
  { permission: "bugs.write", schema: linkPullRequestInput },
  async ({ org, input, supabase }) => {
    const linked = await link(supabase, org.id, input);
    revalidatePath(orgRoutes(org.slug).bug(input.bugId));
    return {
      status: "success" as const,
      data: undefined,
      message: `Linked ${linked.repository}#${linked.number}.`,
    };
  },
);

/** Unlinks a pull request a person linked (a drafted one stays on record). */
export const unlinkPullRequest = orgAction(
  { permission: "bugs.write", schema: unlinkPullRequestInput },
  async ({ org, input, supabase }) => {
    await unlink(supabase, org.id, input);
    revalidatePath(orgRoutes(org.slug).bug(input.bugId));
    return { status: "success" as const, data: undefined, message: "Pull request unlinked." };
  },
);
