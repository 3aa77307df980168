import { asSuperuser } from "./db";
import { buildPipelineWorld, type PipelineWorld } from "./pipeline-fixtures";

/**
 * The pipeline world plus billing rows in both workspaces: the trial subscription the workspace
 * got on creation, the fixture bug made a Mapped Bug (so it carries billed_at) with a credit, one
 * usage warning, one draft invoice with a base and a tax line, and billing details. Written as
 * the superuser (money state is the service role's; RLS tests judge what clients may do).
 */

export interface BillingRows {
  bugId: string;
  creditId: string;
  warningId: string;
  invoiceId: string;
  lineId: string;
}

export interface BillingWorld extends PipelineWorld {
  billingA: BillingRows;
  billingB: BillingRows;
}

async function one<R>(sql: string, params: unknown[]): Promise<R> {
  const [row] = await asSuperuser<R>(sql, params);
  if (!row) throw new Error(`fixture not created: ${sql.slice(0, 60)}`);
  return row;
}

async function billingRowsFor(organizationId: string, bugId: string): Promise<BillingRows> {
  await asSuperuser("update public.bugs set status = 'mapped' where id = $1", [bugId]);
  const { id: creditId } = await one<{ id: string }>(
    `insert into public.bug_credits (organization_id, bug_id, reason)
     values ($1, $2, 'points at the cart, the bug is in tax rounding') returning id`,
    [organizationId, bugId],
  );
  const { id: warningId } = await one<{ id: string }>(
    `insert into public.usage_warnings (organization_id, period_start, threshold, bugs_counted, allowance)
     select organization_id, trial_started_at, 80, 8, 10 from public.subscriptions
      where organization_id = $1
     returning id`,
    [organizationId],
  );
  // Starter in INR: 4,999.00 + 18% GST 899.82 = 5,898.82
  const { id: invoiceId } = await one<{ id: string }>(
    `insert into public.invoices
       (organization_id, period_start, period_end, plan_id, currency, included_bugs, bugs_count,
        overage_bugs, base_minor, overage_minor, subtotal_minor, tax_rate_bp, tax_minor, total_minor)
     values ($1, '2026-11-01', '2026-12-01', 'starter', 'INR', 50, 12, 0, 499900, 0, 499900, 1800,
             89982, 589882)
     returning id`,
    [organizationId],
  );
  const { id: lineId } = await one<{ id: string }>(
    `insert into public.invoice_lines
       (organization_id, invoice_id, position, kind, description, quantity, unit_minor, amount_minor)
     values ($1, $2, 0, 'base', 'Starter plan', 1, 499900, 499900),
            ($1, $2, 1, 'tax', 'GST 18%', 1, 89982, 89982)
     returning id`,
    [organizationId, invoiceId],
  );
  await asSuperuser(
    `insert into public.billing_details (organization_id, contact_name, contact_email, country, gstin)
     values ($1, 'Asha Rao', 'billing@acme.test', 'IN', '27AAPFU0939F1ZV')`,
    [organizationId],
  );
  return { bugId, creditId, warningId, invoiceId, lineId };
}

/** Builds the pipeline world and the billing rows of both workspaces. */
export async function buildBillingWorld(label: string): Promise<BillingWorld> {
  const world = await buildPipelineWorld(label);
  const billingA = await billingRowsFor(world.orgA.id, world.a.bugId);
  const billingB = await billingRowsFor(world.orgB.id, world.b.bugId);
  return { ...world, billingA, billingB };
}
