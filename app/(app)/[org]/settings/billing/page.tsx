import { AlertTriangleIcon, DownloadIcon, LockIcon, ReceiptTextIcon } from "lucide-react";
import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { can } from "@/lib/auth/permissions";
import { cancellationNote } from "@/lib/billing/cancellation-invoice";
import { refundNote } from "@/lib/billing/credit-refund";
import { invoicePdfPath } from "@/lib/billing/invoices/read";
import { applyRate, formatMinor } from "@/lib/billing/money";
import type { SubscriptionStatus } from "@/lib/supabase/billing.types";
import { requireOrgPage } from "../../org-pages";
import { BillingDetailsForm } from "./billing-details-form";
import { CapForm } from "./cap-form";
import { loadBilling } from "./load-billing";
import { CancelForm, ChangePlanForm, SubscribeForm } from "./plan-forms";

export const metadata: Metadata = { title: "Billing" };

const STATUS: Record<
  SubscriptionStatus,
  { label: string; variant: "success" | "warning" | "destructive" | "secondary" | "default" }
> = {
  trialing: { label: "Trial", variant: "default" },
  active: { label: "Active", variant: "success" },
  pending: { label: "Payment retrying", variant: "warning" },
  halted: { label: "Halted", variant: "destructive" },
  cancelled: { label: "Cancelled", variant: "secondary" },
};

const INVOICE_STATUS: Record<string, string> = {
  paid: "Paid",
  failed: "Payment failed",
  issued: "Due",
  void: "Void",
  draft: "Draft",
};
const invoiceStatus = (status: string) => INVOICE_STATUS[status] ?? status;

const day = (d: Date | string) =>
  new Date(d).toLocaleDateString("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });

/** A cancellation invoice's row, as `cancellationNote` reads it. */
function cancellationOf(inv: {
  total_minor: number;
  overage_bugs: number;
  included_bugs: number;
  addon_payment_link_url: string | null;
  addon_collected_payment_id: string | null;
}) {
  return {
    totalMinor: Number(inv.total_minor),
    overageBugs: inv.overage_bugs,
    includedBugs: inv.included_bugs,
    linked: Boolean(inv.addon_payment_link_url),
    paid: Boolean(inv.addon_collected_payment_id),
  };
}

export default async function BillingPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<{ checkout?: string }>;
}) {
  const { org: slug } = await params;
  const { checkout } = await searchParams;
  const { org, role, supabase } = await requireOrgPage(slug, "billing");
  const owner = can(role, "billing.manage");
  const view = await loadBilling(supabase, org.id);
  const { subscription: sub, plan, usage, trial, currency } = view;
  const status = STATUS[sub.status];
  const price = (p: (typeof view.plans)[number]) => {
    const base = Number(currency === "INR" ? p.price_inr_paise : p.price_usd_cents);
    const withTax = currency === "INR" ? base + applyRate(base, p.gst_rate_bp) : base;
    return `${formatMinor(base, currency)}/month${currency === "INR" ? ` + GST (${formatMinor(withTax, currency)})` : ""}`;
  };
  // the select's text stays short enough for a phone; the chosen plan's detail shows under it
  const choices = view.plans.map((p) => {
    const inr = currency === "INR";
    const base = Number(inr ? p.price_inr_paise : p.price_usd_cents);
    const overage = Number(inr ? p.overage_inr_paise : p.overage_usd_cents);
    return {
      id: p.id,
      label: `${p.name}: ${p.included_bugs} bugs, ${formatMinor(base, currency).replace(/\.00$/, "")}/mo`,
      detail: `${p.included_bugs} Mapped Bugs a month for ${price(p)}; each one past them ${formatMinor(overage, currency)}${inr ? " + GST" : ""}, up to your cap.`,
    };
  });
  const live = sub.status === "active" || sub.status === "pending" || sub.status === "halted";
  const barPercent = Math.min(100, usage.percent);
  const d = view.details;
  const next = view.nextInvoice;

  return (
    <>
      <PageHeader title="Billing" description={`Plan, usage and invoices of ${org.name}.`} />
      <div className="grid grid-cols-1 gap-8">
        {sub.action_needed ? (
          <Alert variant="destructive" data-testid="billing-action-needed">
            <AlertTriangleIcon aria-hidden="true" />
            <AlertTitle>
              {sub.action_needed === "halted" ? "Subscription halted" : "A payment failed"}
            </AlertTitle>
            <AlertDescription>
              {sub.action_needed === "halted"
                ? "Razorpay stopped retrying the charge. Update the card on Razorpay's page from the email it sent, or subscribe again, to keep bugs flowing past your allowance."
                : "Razorpay could not charge the card and will retry. Update the card on Razorpay's page from the email it sent."}
            </AlertDescription>
          </Alert>
        ) : null}
        {checkout === "done" && sub.status === "trialing" ? (
          <Alert variant="info" data-testid="billing-checkout-pending">
            <AlertTitle>Waiting for Razorpay</AlertTitle>
            <AlertDescription>
              The payment is being confirmed; this page shows the subscription as soon as Razorpay
              tells us. Reload in a few seconds.
            </AlertDescription>
          </Alert>
        ) : null}
        {owner ? null : (
          <Alert variant="info" data-testid="billing-admin-note">
            <LockIcon aria-hidden="true" />
            <AlertTitle>Owner-only changes</AlertTitle>
            <AlertDescription>
              You can see billing and edit the billing details. Subscribing, changing the plan,
              cancelling and the cap are the workspace owner&apos;s.
            </AlertDescription>
          </Alert>
        )}

        <Card data-testid="billing-plan">
          <CardHeader>
            <CardTitle className="flex items-center gap-2">
              {plan && sub.status !== "trialing" ? `${plan.name} plan` : "Free trial"}
              <Badge variant={status.variant} data-testid="billing-status">
                {status.label}
              </Badge>
            </CardTitle>
            <CardDescription data-testid="billing-plan-summary">
              {trial
                ? trial.status === "active"
                  ? `${trial.bugsLeft} of ${sub.trial_bug_limit} trial Mapped Bugs left, ends ${day(trial.endsAt)} (${Math.max(0, Math.ceil((trial.endsAt.getTime() - Date.now()) / 86_400_000))} days). No card needed.`
                  : `The trial ended ${trial.reason === "bugs" ? `after ${sub.trial_bug_limit} Mapped Bugs` : "after 14 days"}. Subscribe to keep mapping bugs.`
                : plan && sub.current_period_end
                  ? `${plan.included_bugs} Mapped Bugs per period, ${price(plan)}. Renews ${day(sub.current_period_end)}.`
                  : sub.status === "cancelled"
                    ? "Cancelled. New Mapped Bugs wait until you subscribe again."
                    : ""}
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-6">
            {owner && !live ? <SubscribeForm org={org.slug} plans={choices} /> : null}
            {owner && live && plan ? (
              <>
                <ChangePlanForm org={org.slug} plans={choices} current={plan.id} />
                <CancelForm org={org.slug} />
              </>
            ) : null}
            {!owner ? (
              <p className="text-sm text-muted-foreground">Ask the owner to change the plan.</p>
            ) : null}
          </CardContent>
        </Card>

        <Card data-testid="billing-usage">
          <CardHeader>
            <CardTitle>Usage this period</CardTitle>
            <CardDescription>
              Mapped Bugs billed from {day(view.window.start)} to {day(view.window.end)}.
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-6">
            <div className="grid gap-2">
              <div className="flex items-baseline justify-between text-sm">
                <span data-testid="billing-usage-count">
                  <strong className="text-lg">{usage.used}</strong> of {usage.allowance} included
                </span>
                <span className="text-muted-foreground">{usage.percent}%</span>
              </div>
              <div
                role="progressbar"
                aria-label="Mapped Bugs used of the allowance"
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={barPercent}
                className="h-2.5 w-full overflow-hidden rounded-full bg-secondary"
              >
                <div
                  className={`h-full rounded-full ${usage.percent >= 100 ? "bg-destructive" : usage.percent >= 80 ? "bg-warning" : "bg-primary"}`}
                  style={{ width: `${barPercent}%` }}
                />
              </div>
              {usage.overage > 0 ? (
                <p className="text-sm text-muted-foreground" data-testid="billing-overage">
                  {usage.overage} Mapped Bugs past the allowance, billed as overage on the next
                  invoice.
                </p>
              ) : null}
            </div>
            {live && plan ? (
              <CapForm
                org={org.slug}
                cap={usage.cap}
                allowance={usage.allowance}
                disabled={!owner}
              />
            ) : (
              <p className="text-sm text-muted-foreground">
                The overage cap applies once you subscribe; the trial includes {sub.trial_bug_limit}{" "}
                Mapped Bugs.
              </p>
            )}
          </CardContent>
        </Card>

        {next ? (
          <Card data-testid="billing-next-invoice">
            <CardHeader>
              <CardTitle>Next invoice (preview)</CardTitle>
              <CardDescription>
                As it stands today, for the renewal on {day(next.renewsAt)}: this period&apos;s
                Mapped Bugs and the credits not yet applied. It changes as bugs are mapped or
                flagged until then.
              </CardDescription>
            </CardHeader>
            <CardContent className="grid gap-4">
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>Line</TableHead>
                    <TableHead className="text-right">Amount</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {next.draft.lines.map((l) => (
                    <TableRow key={l.kind} data-testid={`next-invoice-${l.kind}`}>
                      <TableCell className="whitespace-normal">{l.description}</TableCell>
                      <TableCell className="text-right tabular-nums">
                        {formatMinor(l.amountMinor, next.draft.currency)}
                      </TableCell>
                    </TableRow>
                  ))}
                  <TableRow className="font-medium">
                    <TableCell>Total</TableCell>
                    <TableCell className="text-right tabular-nums" data-testid="next-invoice-total">
                      {formatMinor(next.draft.totalMinor, next.draft.currency)}
                    </TableCell>
                  </TableRow>
                </TableBody>
              </Table>
              <p className="text-sm text-muted-foreground" data-testid="next-invoice-collection">
                {next.addonMinor > 0
                  ? `Razorpay charges the plan at the renewal; the overage less credits (${formatMinor(next.addonMinor, next.draft.currency)}) is added to the subscription as an add-on and charged with the following renewal.`
                  : next.refundMinor > 0
                    ? `Razorpay charges the plan's amount at the renewal; the credits above the overage (${formatMinor(next.refundMinor, next.draft.currency)}) are then refunded to the card/payment of that charge.`
                    : "Razorpay charges the plan's amount at the renewal; nothing is added."}
              </p>
            </CardContent>
          </Card>
        ) : null}

        <Card data-testid="billing-invoices">
          <CardHeader>
            <CardTitle>Invoices</CardTitle>
            <CardDescription>One per billing period, with a PDF for your records.</CardDescription>
          </CardHeader>
          <CardContent>
            {view.invoices.length === 0 ? (
              <div
                className="flex flex-col items-center gap-2 py-8 text-center"
                data-testid="billing-invoices-empty"
              >
                <ReceiptTextIcon className="size-8 text-muted-foreground" aria-hidden="true" />
                <p className="font-medium">No invoices yet</p>
                <p className="max-w-sm text-sm text-muted-foreground">
                  Your first invoice appears here when Razorpay confirms the first payment of a
                  subscription.
                </p>
              </div>
            ) : (
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>Period</TableHead>
                    <TableHead className="hidden sm:table-cell">Mapped Bugs</TableHead>
                    <TableHead className="hidden sm:table-cell">Status</TableHead>
                    <TableHead className="text-right">Total</TableHead>
                    <TableHead className="text-right">PDF</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {view.invoices.map((inv) => (
                    <TableRow key={inv.id} data-testid="billing-invoice-row">
                      <TableCell className="whitespace-normal">
                        {day(inv.period_start)} – {day(inv.period_end)}
                        {inv.kind === "cancellation" ? (
                          <span
                            className="mt-1 block text-xs text-muted-foreground"
                            data-testid="billing-invoice-cancellation"
                          >
                            {cancellationNote(cancellationOf(inv))[0]}
                          </span>
                        ) : null}
                        <span className="mt-1 block text-xs text-muted-foreground sm:hidden">
                          {inv.bugs_count} Mapped Bugs · {invoiceStatus(inv.status)}
                        </span>
                      </TableCell>
                      <TableCell className="hidden sm:table-cell">
                        {inv.bugs_count}
                        {inv.overage_bugs > 0 ? ` (${inv.overage_bugs} overage)` : ""}
                        {inv.credited_bugs > 0 ? `, ${inv.credited_bugs} credited` : ""}
                      </TableCell>
                      <TableCell className="hidden sm:table-cell">
                        <Badge
                          variant={
                            inv.status === "paid"
                              ? "success"
                              : inv.status === "failed"
                                ? "destructive"
                                : "secondary"
                          }
                        >
                          {invoiceStatus(inv.status)}
                        </Badge>
                      </TableCell>
                      <TableCell
                        className="text-right tabular-nums"
                        data-testid="billing-invoice-total"
                      >
                        {formatMinor(Number(inv.total_minor), inv.currency)}
                        {inv.razorpay_addon_minor ? (
                          <span
                            className="block text-xs text-muted-foreground"
                            data-testid="billing-invoice-addon"
                          >
                            {formatMinor(Number(inv.razorpay_addon_minor), inv.currency)} overage{" "}
                            {inv.addon_payment_link_url ? (
                              inv.addon_collected_payment_id ? (
                                "paid by payment link"
                              ) : (
                                <>
                                  not charged: the subscription ended first.{" "}
                                  <a
                                    href={inv.addon_payment_link_url}
                                    className="font-medium text-primary underline-offset-4 hover:underline"
                                    data-testid="billing-invoice-addon-link"
                                    rel="noopener noreferrer"
                                    target="_blank"
                                  >
                                    Pay it on Razorpay
                                  </a>
                                </>
                              )
                            ) : inv.addon_collected_payment_id ? (
                              "collected with the next charge"
                            ) : (
                              "added to the next charge"
                            )}
                          </span>
                        ) : null}
                        {inv.kind === "cancellation" ? (
                          <span
                            className="block text-xs text-muted-foreground"
                            data-testid="billing-invoice-cancellation-pay"
                          >
                            {cancellationNote(cancellationOf(inv))[1]}
                            {inv.addon_payment_link_url && !inv.addon_collected_payment_id ? (
                              <>
                                {" "}
                                <a
                                  href={inv.addon_payment_link_url}
                                  className="font-medium text-primary underline-offset-4 hover:underline"
                                  data-testid="billing-invoice-cancellation-link"
                                  rel="noopener noreferrer"
                                  target="_blank"
                                >
                                  Open the payment link
                                </a>
                              </>
                            ) : null}
                          </span>
                        ) : null}
                        {inv.razorpay_refund_minor ? (
                          <span
                            className={
                              inv.razorpay_refund_status === "failed"
                                ? "block text-xs font-medium text-destructive"
                                : "block text-xs text-muted-foreground"
                            }
                            data-testid="billing-invoice-refund"
                            data-refund-status={inv.razorpay_refund_status ?? "processed"}
                          >
                            {refundNote(
                              formatMinor(Number(inv.razorpay_refund_minor), inv.currency),
                              inv.razorpay_refund_status ?? "processed",
                              inv.razorpay_refund_attempt ?? 1,
                            )}
                          </span>
                        ) : null}
                      </TableCell>
                      <TableCell className="text-right">
                        <a
                          href={invoicePdfPath(org.slug, inv.id)}
                          className="inline-flex items-center gap-1 text-sm font-medium text-primary underline-offset-4 hover:underline"
                          data-testid="billing-invoice-pdf"
                          download
                        >
                          <DownloadIcon className="size-4" aria-hidden="true" />
                          PDF
                        </a>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </CardContent>
        </Card>

        <Card data-testid="billing-details">
          <CardHeader>
            <CardTitle>Billing details</CardTitle>
            <CardDescription>
              Printed on every invoice. The country decides the currency: India bills in INR with
              GST, everywhere else in USD.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <BillingDetailsForm
              org={org.slug}
              initial={{
                contactName: d?.contact_name ?? "",
                contactEmail: d?.contact_email ?? "",
                addressLine1: d?.address_line1 ?? "",
                addressLine2: d?.address_line2 ?? "",
                city: d?.city ?? "",
                region: d?.region ?? "",
                postalCode: d?.postal_code ?? "",
                country: d?.country ?? "IN",
                gstin: d?.gstin ?? "",
              }}
            />
          </CardContent>
        </Card>
      </div>
    </>
  );
}
