"use client";

import { useState } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { useToastedAction } from "@/components/ui/use-toasted-action";
import { fieldErrorsOf, formMessage } from "@/lib/auth/action-state";
import { cancel, changePlan, subscribe } from "./actions";

export interface PlanChoice {
  id: string;
  /** Short enough for a phone's select: name, allowance, price before tax. */
  label: string;
  /** The rest, shown under the select for the chosen plan: price with GST, overage price. */
  detail: string;
}

function PlanSelect({
  id,
  plans,
  value,
  errors,
}: {
  id: string;
  plans: PlanChoice[];
  value?: string;
  errors?: string[];
}) {
  const [chosen, setChosen] = useState(value ?? plans[0]?.id);
  const detail = plans.find((p) => p.id === chosen)?.detail;
  return (
    <FormField
      id={id}
      label="Plan"
      errors={errors}
      hint={detail ? <span data-testid={`${id}-detail`}>{detail}</span> : undefined}
      className="w-full"
    >
      {(aria) => (
        <Select
          {...aria}
          name="plan"
          defaultValue={value ?? plans[0]?.id}
          onChange={(e) => setChosen(e.target.value)}
          data-testid={id}
        >
          {plans.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </Select>
      )}
    </FormField>
  );
}

/** Trial or cancelled: choose a plan and pay on Razorpay's checkout page. */
export function SubscribeForm({ org, plans }: { org: string; plans: PlanChoice[] }) {
  const [state, action] = useToastedAction(subscribe);
  const error = state.status === "error" ? formMessage(state) : undefined;
  return (
    <form action={action} className="grid w-full max-w-xl gap-4" data-testid="subscribe-form">
      <input type="hidden" name="org" value={org} />
      <PlanSelect id="subscribe-plan" plans={plans} errors={fieldErrorsOf(state).plan} />
      {error ? (
        <Alert variant="destructive">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      ) : null}
      <div>
        <SubmitButton pendingText="Opening Razorpay…" data-testid="subscribe-submit">
          Subscribe with Razorpay
        </SubmitButton>
      </div>
      <p className="text-xs text-muted-foreground">
        You pay on Razorpay&apos;s secure page; card details never reach Patchline.
      </p>
    </form>
  );
}

/** A live subscription: move to another plan now. */
export function ChangePlanForm({
  org,
  plans,
  current,
}: {
  org: string;
  plans: PlanChoice[];
  current: string;
}) {
  const [state, action] = useToastedAction(changePlan);
  const error = state.status === "error" ? formMessage(state) : undefined;
  return (
    <form action={action} className="grid w-full max-w-xl gap-3" data-testid="change-plan-form">
      <input type="hidden" name="org" value={org} />
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
        <PlanSelect
          id="change-plan"
          plans={plans}
          value={current}
          errors={fieldErrorsOf(state).plan}
        />
        <SubmitButton
          variant="outline"
          pendingText="Changing…"
          className="sm:mt-[1.375rem] sm:shrink-0"
          data-testid="change-plan-submit"
        >
          Change plan
        </SubmitButton>
      </div>
      {error ? (
        <Alert variant="destructive">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      ) : null}
    </form>
  );
}

/**
 * The owner's cancellation, confirmed by typing "cancel": set apart below a rule, under its own
 * heading, so it does not read as part of the plan change above it.
 */
export function CancelForm({ org }: { org: string }) {
  const [state, action] = useToastedAction(cancel);
  const errors = fieldErrorsOf(state);
  const error = state.status === "error" && !errors.confirm ? formMessage(state) : undefined;
  return (
    <section
      aria-labelledby="cancel-heading"
      className="grid gap-3 border-t pt-6"
      data-testid="cancel-section"
    >
      <div className="grid gap-1">
        <h3 id="cancel-heading" className="text-sm font-semibold">
          Cancel subscription
        </h3>
        <p className="text-sm text-muted-foreground">
          Razorpay stops charging now. Mapped Bugs past the end of the paid period wait until you
          subscribe again.
        </p>
      </div>
      <form action={action} className="grid w-full max-w-xl gap-3" data-testid="cancel-form">
        <input type="hidden" name="org" value={org} />
        <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
          <FormField
            id="cancel-confirm"
            label="Type cancel to confirm"
            errors={errors.confirm}
            className="w-full"
          >
            {(aria) => (
              <Input {...aria} name="confirm" autoComplete="off" data-testid="cancel-confirm" />
            )}
          </FormField>
          <SubmitButton
            variant="destructive"
            pendingText="Cancelling…"
            className="sm:mt-[1.375rem] sm:shrink-0"
            data-testid="cancel-submit"
          >
            Cancel subscription
          </SubmitButton>
        </div>
        {error ? (
          <Alert variant="destructive">
            <AlertDescription>{error}</AlertDescription>
          </Alert>
        ) : null}
      </form>
    </section>
  );
}
