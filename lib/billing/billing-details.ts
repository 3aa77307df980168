import { z } from "zod";
import { gstinSchema } from "./gstin";

/**
 * The billing details form (Settings → Billing): who the invoice is addressed to. Mirrors the
 * checks of `billing_details` in the database; the GSTIN is optional, India only, and checked by
 * format and check character.
 */

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === "" ? null : v))
    .nullable()
    .optional()
    .transform((v) => v ?? null);

export const billingDetailsSchema = z
  .object({
    contactName: z.string().trim().min(1, "Enter the name invoices are addressed to").max(200),
    contactEmail: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.email("Enter a valid email address").max(320)),
    addressLine1: optionalText(300),
    addressLine2: optionalText(300),
    city: optionalText(100),
    region: optionalText(100),
    postalCode: optionalText(20),
    country: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, "Choose a country"),
    // empty means "no GSTIN"; anything else must be a valid one
    gstin: z
      .string()
      .nullable()
      .optional()
      .transform((v) => (v?.trim() ? v : null))
      .pipe(gstinSchema.nullable()),
  })
  .superRefine((details, ctx) => {
    if (details.gstin !== null && details.country !== "IN") {
      ctx.addIssue({
        code: "custom",
        path: ["gstin"],
        message: "A GSTIN applies to Indian billing addresses only",
      });
    }
  });

export type BillingDetailsInput = z.input<typeof billingDetailsSchema>;
export type BillingDetails = z.output<typeof billingDetailsSchema>;
