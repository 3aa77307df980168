import type { PlanRow } from "@/lib/supabase/billing.types";
import { type Currency, GST_RATE_BP } from "./money";

/**
 * A plan's prices in one currency. The plans themselves live in the `plans` table (seeded by
 * migration); this only picks the columns that apply to a currency.
 */
export interface PlanPrices {
  name: string;
  includedBugs: number;
  currency: Currency;
  /** The period's price before tax. */
  baseMinor: number;
  /** Each Mapped Bug past the allowance (and the value of one credit). */
  overageUnitMinor: number;
  /** GST for INR; 0 for USD. */
  taxRateBp: number;
}

type PlanPriceColumns = Pick<
  PlanRow,
  | "name"
  | "included_bugs"
  | "price_inr_paise"
  | "gst_rate_bp"
  | "price_usd_cents"
  | "overage_inr_paise"
  | "overage_usd_cents"
>;

/** The prices of `plan` billed in `currency`: INR with the plan's GST rate, USD untaxed. */
export function planPrices(plan: PlanPriceColumns, currency: Currency): PlanPrices {
  const inr = currency === "INR";
  return {
    name: plan.name,
    includedBugs: plan.included_bugs,
    currency,
    baseMinor: Number(inr ? plan.price_inr_paise : plan.price_usd_cents),
    overageUnitMinor: Number(inr ? plan.overage_inr_paise : plan.overage_usd_cents),
    taxRateBp: inr ? (plan.gst_rate_bp ?? GST_RATE_BP) : 0,
  };
}

/** India bills in INR with GST; everywhere else in USD. */
export function currencyForCountry(country: string): Currency {
  return country.toUpperCase() === "IN" ? "INR" : "USD";
}
