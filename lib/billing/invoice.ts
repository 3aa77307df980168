import type { InvoiceLineKind } from "@/lib/supabase/billing.types";
import { applyRate, assertMinor, type Currency, formatMinor } from "./money";
import type { PlanPrices } from "./plans";

/**
 * Invoice arithmetic, in integer minor units: the plan's base price, the overage (Mapped Bugs past
 * the allowance × the plan's per-bug price), credits for mismapped bugs (each worth one bug at
 * the per-bug price, never taking the invoice below zero; what does not fit is carried to the
 * next invoice), then GST on what remains for INR and no tax for USD. The lines add up to the
 * total, and the totals satisfy the same equations the `invoices` table checks.
 */

export interface InvoiceLine {
  kind: InvoiceLineKind;
  description: string;
  quantity: number;
  unitMinor: number;
  amountMinor: number;
}

export interface InvoiceDraft {
  currency: Currency;
  includedBugs: number;
  bugsCount: number;
  overageBugs: number;
  /** Credits applied to this invoice, and those carried to the next one. */
  creditedBugs: number;
  creditsCarried: number;
  baseMinor: number;
  overageMinor: number;
  creditsMinor: number;
  subtotalMinor: number;
  taxRateBp: number;
  taxMinor: number;
  totalMinor: number;
  lines: InvoiceLine[];
}

export interface InvoiceInput {
  plan: PlanPrices;
  /** Mapped Bugs billed in the period (held bugs are not billed, so they are not here). */
  bugsCount: number;
  /** Credits owed: this period's and any carried from earlier invoices. */
  creditsOwed: number;
}

function line(
  kind: InvoiceLineKind,
  description: string,
  quantity: number,
  unitMinor: number,
): InvoiceLine {
  return { kind, description, quantity, unitMinor, amountMinor: quantity * unitMinor };
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Builds the invoice for one period. Throws on a count or amount that is not a safe integer. */
export function buildInvoice(input: InvoiceInput): InvoiceDraft {
  const { plan } = input;
  const bugsCount = assertMinor(input.bugsCount, "bugs count");
  const creditsOwed = assertMinor(input.creditsOwed, "credits owed");
  const includedBugs = assertMinor(plan.includedBugs, "included bugs");
  const baseMinor = assertMinor(plan.baseMinor, "base price");
  const unit = assertMinor(plan.overageUnitMinor, "per-bug price");
  const taxRateBp = plan.currency === "USD" ? 0 : plan.taxRateBp;

  const overageBugs = Math.max(0, bugsCount - includedBugs);
  const overageMinor = assertMinor(overageBugs * unit, "overage");
  const beforeCredits = baseMinor + overageMinor;
  // whole credits only: a credit that would take the invoice below zero waits for the next one
  const creditedBugs = unit === 0 ? 0 : Math.min(creditsOwed, Math.floor(beforeCredits / unit));
  const creditsMinor = creditedBugs * unit;
  const subtotalMinor = assertMinor(beforeCredits - creditsMinor, "subtotal");
  const taxMinor = applyRate(subtotalMinor, taxRateBp);
  const totalMinor = assertMinor(subtotalMinor + taxMinor, "total");

  const price = (minor: number) => formatMinor(minor, plan.currency);
  const lines: InvoiceLine[] = [
    line(
      "base",
      `${plan.name} plan, ${plural(includedBugs, "Mapped Bug", "Mapped Bugs")} included`,
      1,
      baseMinor,
    ),
  ];
  if (overageBugs > 0) {
    lines.push(
      line(
        "overage",
        `Overage: ${plural(overageBugs, "Mapped Bug", "Mapped Bugs")} × ${price(unit)}`,
        overageBugs,
        unit,
      ),
    );
  }
  if (creditedBugs > 0) {
    lines.push(
      line(
        "credit",
        `Credit: ${plural(creditedBugs, "mismapped bug", "mismapped bugs")}`,
        creditedBugs,
        -unit,
      ),
    );
  }
  if (taxRateBp > 0) {
    lines.push(line("tax", `GST ${taxRateBp / 100}%`, 1, taxMinor));
  }

  return {
    currency: plan.currency,
    includedBugs,
    bugsCount,
    overageBugs,
    creditedBugs,
    creditsCarried: creditsOwed - creditedBugs,
    baseMinor,
    overageMinor,
    creditsMinor,
    subtotalMinor,
    taxRateBp,
    taxMinor,
    totalMinor,
    lines,
  };
}
