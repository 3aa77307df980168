"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { orgAction } from "@/lib/auth/guards";
import { orgRoutes } from "@/lib/auth/routes";
import { billingDetailsSchema } from "@/lib/billing/billing-details";
import {
  cancelSubscription,
  changePlan as changeRazorpayPlan,
  subscribeInput,
  subscribe as subscribeOnRazorpay,
} from "@/lib/billing/razorpay/subscriptions";
import { siteUrl } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { createAdminClient } from "@/lib/supabase/admin";

/**
 * Settings → Billing. Subscribing, changing plan, cancelling and the cap are the owner's
 * (billing.manage); the billing details are owners' and admins' (billing.update). Razorpay calls
 * use the audited admin client after the guard's membership and role check, because only the
 * service role writes the subscription's Razorpay state.
 */

/** Creates the Razorpay subscription and sends the owner to Razorpay's checkout page. */
export const subscribe = orgAction(
  { permission: "billing.manage", schema: subscribeInput },
  async ({ org, user, input }) => {
    const admin = await createAdminClient({
      reason: "create the workspace's Razorpay subscription",
      organizationId: org.id,
      actorId: user.id,
    });
    const { checkoutUrl } = await subscribeOnRazorpay(
      admin,
      org.id,
      input.plan,
      `${siteUrl()}${orgRoutes(org.slug).billing}?checkout=done`,
    );
    redirect(checkoutUrl);
  },
);

/** Moves the live subscription to another plan. */
export const changePlan = orgAction(
  { permission: "billing.manage", schema: subscribeInput },
  async ({ org, user, input }) => {
    const admin = await createAdminClient({
      reason: "change the workspace's Razorpay plan",
      organizationId: org.id,
      actorId: user.id,
    });
    await changeRazorpayPlan(admin, org.id, input.plan);
    revalidatePath(orgRoutes(org.slug).billing);
    return { status: "success" as const, data: undefined, message: "Plan changed." };
  },
);

/** Cancels the subscription on Razorpay; its delivery marks it cancelled here. */
export const cancel = orgAction(
  {
    permission: "billing.manage",
    schema: z.object({ confirm: z.literal("cancel", "Type cancel to confirm.") }),
  },
  async ({ org, user }) => {
    const admin = await createAdminClient({
      reason: "cancel the workspace's Razorpay subscription",
      organizationId: org.id,
      actorId: user.id,
    });
    await cancelSubscription(admin, org.id);
    revalidatePath(orgRoutes(org.slug).billing);
    return {
      status: "success" as const,
      data: undefined,
      message: "Cancellation sent to Razorpay. The status updates in a moment.",
    };
  },
);

/** The overage cap: total Mapped Bugs per period the workspace accepts (RLS: owner only). */
export const saveCap = orgAction(
  {
    permission: "billing.manage",
    schema: z.object({
      cap: z.coerce
        .number("Enter a number of Mapped Bugs.")
        .int("Enter a whole number.")
        .min(1, "At least 1.")
        .max(1_000_000, "At most 1,000,000."),
    }),
  },
  async ({ org, supabase, input }) => {
    const { data, error } = await supabase
      .from("subscriptions")
      .update({ overage_cap: input.cap })
      .eq("organization_id", org.id)
      .select("organization_id");
    if (error) throw new AppError("internal", undefined, { cause: error });
    if (!data?.length) throw new AppError("forbidden");
    revalidatePath(orgRoutes(org.slug).billing);
    return { status: "success" as const, data: undefined, message: "Cap saved." };
  },
);

/** Contact, address, country and GSTIN for the invoices (owners and admins). */
export const saveBillingDetails = orgAction(
  { permission: "billing.update", schema: billingDetailsSchema },
  async ({ org, supabase, input }) => {
    const row = {
      contact_name: input.contactName,
      contact_email: input.contactEmail,
      address_line1: input.addressLine1,
      address_line2: input.addressLine2,
      city: input.city,
      region: input.region,
      postal_code: input.postalCode,
      country: input.country,
      gstin: input.gstin,
    };
    // update, else insert: clients may not update organization_id, which an upsert would set
    const updated = await supabase
      .from("billing_details")
      .update(row)
      .eq("organization_id", org.id)
      .select("organization_id");
    if (updated.error) throw new AppError("internal", undefined, { cause: updated.error });
    if (!updated.data.length) {
      const { error } = await supabase
        .from("billing_details")
        .insert({ organization_id: org.id, ...row });
      if (error) throw new AppError("internal", undefined, { cause: error });
    }
    revalidatePath(orgRoutes(org.slug).billing);
    return { status: "success" as const, data: undefined, message: "Billing details saved." };
  },
);
