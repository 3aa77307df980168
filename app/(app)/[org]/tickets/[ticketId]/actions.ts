"use server";

import { revalidatePath } from "next/cache";
import { inngest } from "@/inngest/client";
import { ticketReceived } from "@/inngest/events";
import { orgAction } from "@/lib/auth/guards";
import { orgRoutes } from "@/lib/auth/routes";
import { AppError } from "@/lib/errors";
import { ticketExists } from "@/lib/pipeline-data/exists";
import { reprocessTicketInput } from "@/lib/pipeline-data/schemas";

/**
 * Runs the stored ticket through the pipeline again (members): the same `ticket/received` event
 * the intake sends, with cause `reprocess`. The job is idempotent: a ticket already linked to a
 * bug keeps that bug and is never metered twice; a skipped or failed ticket is decided afresh.
 */
export const reprocessTicket = orgAction(
  { permission: "bugs.write", schema: reprocessTicketInput },
  async ({ org, input, supabase }) => {
    // the member must see the ticket: another workspace's id is not found, like a missing one
    if (!(await ticketExists(supabase, org.id, input.ticketId))) throw new AppError("not_found");
    try {
      await inngest.send(
        ticketReceived.create({
          organizationId: org.id,
          ticketId: input.ticketId,
          cause: "reprocess",
        }),
      );
    } catch (error) {
      throw new AppError("unavailable", "The pipeline could not be reached. Try again.", {
        cause: error,
      });
    }
    revalidatePath(orgRoutes(org.slug).ticket(input.ticketId));
    return {
      status: "success" as const,
      data: undefined,
      message: "Sent for processing. Refresh in a few seconds to see the outcome.",
    };
  },
);
