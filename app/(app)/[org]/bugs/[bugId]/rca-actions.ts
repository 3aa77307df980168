"use server";

import { revalidatePath } from "next/cache";
import { inngest } from "@/inngest/client";
import { rcaPublishRequested } from "@/inngest/events";
import { orgAction } from "@/lib/auth/guards";
import { orgRoutes } from "@/lib/auth/routes";
import { AppError, toAppError } from "@/lib/errors";
import { RCA_SECTION_KEYS } from "@/lib/fixes/rca/sections";
import { rcaActionInput, saveRcaInput } from "@/lib/fixes/rca-jobs/panel-inputs";

/**
 * The RCA panel's actions, through the member's own client (RLS and the rcas trigger decide):
 * members save the five sections (a new version, which withdraws an approval); owners and admins
 * approve the current version, which asks the publishing job to post it if the fix is already in
 * production; after publishing, an edited version goes out only on "Publish update".
 */

async function askPublish(
  organizationId: string,
  bugId: string,
  cause: "approved" | "publish_update",
  version: number,
) {
  try {
    await inngest.send(
      rcaPublishRequested.create(
        { organizationId, bugId, cause },
        // a double click asks once per version
        { id: `rca-publish:${bugId}:${cause}:${version}` },
      ),
    );
  } catch (error) {
    throw new AppError(
      "unavailable",
      "Saved, but publishing could not start. Try again in a moment.",
      { cause: error },
    );
  }
}

export const saveRca = orgAction(
  { permission: "bugs.write", schema: saveRcaInput },
  async ({ org, input, supabase }) => {
    const sections = Object.fromEntries(RCA_SECTION_KEYS.map((k) => [k, input[k]]));
    const { data, error } = await supabase
      .from("rcas")
      .update({ sections })
      .eq("organization_id", org.id)
      .eq("bug_id", input.bugId)
      .eq("version", input.version)
      .select("version");
    if (error) throw toAppError(error);
    if (!data?.length) {
      throw new AppError(
        "conflict",
        "Someone changed this RCA while you were editing. Reload the page to see their version.",
      );
    }
    revalidatePath(orgRoutes(org.slug).bug(input.bugId));
    return { status: "success" as const, data: undefined, message: "RCA saved." };
  },
);

export const approveRca = orgAction(
  { permission: "rcas.approve", schema: rcaActionInput },
  async ({ org, input, supabase }) => {
    const { data, error } = await supabase
      .from("rcas")
      .update({ status: "approved" })
      .eq("organization_id", org.id)
      .eq("bug_id", input.bugId)
      .eq("version", input.version)
      .eq("status", "draft")
      .select("id");
    if (error) throw toAppError(error);
    if (!data?.length) {
      throw new AppError(
        "conflict",
        "This version changed or is already approved. Reload the page.",
      );
    }
    await askPublish(org.id, input.bugId, "approved", input.version);
    revalidatePath(orgRoutes(org.slug).bug(input.bugId));
    return {
      status: "success" as const,
      data: undefined,
      message: "Approved. It is posted to the tickets once the fix runs in production.",
    };
  },
);

export const publishRcaUpdate = orgAction(
  { permission: "rcas.approve", schema: rcaActionInput },
  async ({ org, input, supabase }) => {
    const { data, error } = await supabase
      .from("rcas")
      .select("version, published_version")
      .eq("organization_id", org.id)
      .eq("bug_id", input.bugId)
      .maybeSingle();
    if (error) throw toAppError(error);
    if (!data) throw new AppError("not_found");
    if (data.version !== input.version || data.published_version === null) {
      throw new AppError("conflict", "There is no new version to publish. Reload the page.");
    }
    await askPublish(org.id, input.bugId, "publish_update", input.version);
    revalidatePath(orgRoutes(org.slug).bug(input.bugId));
    return {
      status: "success" as const,
      data: undefined,
      message: "Publishing the update to every linked ticket…",
    };
  },
);
